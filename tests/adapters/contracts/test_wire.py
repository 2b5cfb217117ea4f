"""The wire contracts encode exactly the bytes the roles exchanged before they were shared."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import msgspec
import pytest

from kisum.adapters.contracts.access import AccessOut, DelegationOut
from kisum.adapters.contracts.events import EntitlementsChangedBody
from kisum.adapters.contracts.owners import OwnerBody

COMPANY = uuid.UUID("00000000-0000-4000-8000-000000000001")
USER = uuid.UUID("00000000-0000-4000-8000-000000000002")
MEMBERSHIP = uuid.UUID("00000000-0000-4000-8000-000000000003")


def test_entitlements_changed_event_is_compact_camel_case() -> None:
    body = EntitlementsChangedBody(company_id=COMPANY, entitlement_version=3)
    assert msgspec.json.encode(body) == f'{{"companyId":"{COMPANY}","entitlementVersion":3}}'.encode()


def test_access_model_keeps_its_field_order_and_decodes_back() -> None:
    access = AccessOut(
        user_id=USER,
        company_id=COMPANY,
        membership_id=MEMBERSHIP,
        role="member",
        modules=["basic"],
        permissions=["basic.artist.view"],
        delegation=DelegationOut(can_manage_members=False, modules=[], permissions=[]),
        entitlement_version=2,
        access_version="2:1",
        valid_until=datetime(2030, 1, 1, tzinfo=UTC),
    )
    encoded = msgspec.json.encode(access)
    assert list(msgspec.json.decode(encoded)) == [
        "userId",
        "companyId",
        "membershipId",
        "role",
        "modules",
        "permissions",
        "delegation",
        "entitlementVersion",
        "accessVersion",
        "validUntil",
    ]
    assert msgspec.json.decode(encoded, type=AccessOut) == access


def test_a_reader_of_an_answer_ignores_fields_it_does_not_know() -> None:
    access = msgspec.json.decode(
        msgspec.json.encode(
            {
                "userId": str(USER),
                "companyId": str(COMPANY),
                "membershipId": str(MEMBERSHIP),
                "role": "owner",
                "modules": [],
                "permissions": [],
                "delegation": {"canManageMembers": True, "modules": [], "permissions": []},
                "entitlementVersion": 0,
                "accessVersion": "0:0",
                "validUntil": None,
                "explain": {"basic": ["owner"]},
            }
        ),
        type=AccessOut,
    )
    assert access.delegation.can_manage_members


def test_a_body_refuses_fields_it_does_not_know() -> None:
    raw = {"companyId": str(COMPANY), "email": "o@example.com", "name": "O", "admin": True}
    with pytest.raises(msgspec.ValidationError, match="admin"):
        msgspec.json.decode(msgspec.json.encode(raw), type=OwnerBody)
