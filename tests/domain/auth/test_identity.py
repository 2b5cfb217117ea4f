from __future__ import annotations

from uuid import uuid4

import pytest

from kisum.domain.auth.errors import InvalidEmail, InvalidName
from kisum.domain.auth.identity import (
    DelegationPolicy,
    Membership,
    MembershipStatus,
    Role,
    User,
    UserStatus,
    lookup_email,
    normalize_email,
    normalize_name,
)
from kisum.domain.permissions import InvalidModule, InvalidPermission
from tests.domain.auth.builders import COMPANY, NOW


def test_emails_are_trimmed_and_lower_cased() -> None:
    assert normalize_email("  Alice.Smith@Example.COM ") == "alice.smith@example.com"


def test_emails_are_nfc_normalised() -> None:
    decomposed = "jose\u0301@example.com"
    assert normalize_email(decomposed) == "jos\u00e9@example.com"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "no-at-sign",
        "@example.com",
        "alice@",
        "a@b@c.com",
        "al ice@example.com",
        "alice@exa mple.com",
        "alice@-example.com",
        "alice@example..com",
        ".alice@example.com",
        "al..ice@example.com",
        "alice@exam_ple.com",
        "<alice@example.com>",
        "alice\x00@example.com",
        "a" * 65 + "@example.com",
        "a@" + "b" * 250 + ".com",
    ],
)
def test_invalid_emails_are_refused(raw: str) -> None:
    with pytest.raises(InvalidEmail) as caught:
        normalize_email(raw)
    assert caught.value.code == "INVALID_EMAIL"
    assert lookup_email(raw) is None


def test_names_are_trimmed_and_bounded() -> None:
    assert normalize_name("  Björk ") == "Björk"
    for raw in ["", "   ", "x" * 201, "bad\x07name"]:
        with pytest.raises(InvalidName):
            normalize_name(raw)


def test_a_registered_user_is_active_with_token_version_one() -> None:
    u = User.register(user_id=uuid4(), email="A@B.io", name="A", password_hash=None, now=NOW)
    assert (u.email, u.status, u.token_version, u.is_platform_admin) == ("a@b.io", UserStatus.ACTIVE, 1, False)
    assert not u.can_log_in  # no password yet


def test_suspending_and_reactivating_a_user_bumps_the_token_version() -> None:
    u = User.register(user_id=uuid4(), email="a@b.io", name="A", password_hash="h", now=NOW)
    u.suspend()
    u.suspend()
    assert (u.status, u.token_version) == (UserStatus.SUSPENDED, 2)
    u.activate()
    assert (u.is_active, u.token_version) == (True, 3)


def new_membership() -> Membership:
    return Membership.create(membership_id=uuid4(), user_id=uuid4(), company_id=COMPANY, role=Role.MEMBER, now=NOW)


def test_every_change_of_grants_role_or_status_bumps_the_access_version() -> None:
    m = new_membership()
    steps = [
        lambda: m.grant_modules(["basic"]),
        lambda: m.grant_permissions(["basic.*"]),
        lambda: m.revoke_permission("basic.*"),
        lambda: m.revoke_module("basic"),
        lambda: m.set_delegation(DelegationPolicy.of(can_manage_members=True, modules=[], permissions=[])),
        lambda: m.change_role(Role.ADMIN),
        lambda: m.change_status(MembershipStatus.SUSPENDED),
    ]
    for expected, step in enumerate(steps, start=2):
        assert step()
        assert m.access_version == expected


def test_no_op_changes_do_not_bump_the_access_version() -> None:
    m = new_membership()
    m.grant_modules(["basic"])
    assert m.grant_modules(["basic"]) == frozenset()
    assert not m.revoke_module("finance")
    assert not m.revoke_permission("basic.*")
    assert not m.set_delegation(DelegationPolicy())
    assert not m.change_role(Role.MEMBER)
    assert not m.change_status(MembershipStatus.ACTIVE)
    assert m.access_version == 2


def test_grants_are_validated() -> None:
    m = new_membership()
    with pytest.raises(InvalidModule):
        m.grant_modules(["Finance"])
    with pytest.raises(InvalidPermission):
        m.grant_permissions(["basic.*.view"])
    with pytest.raises(InvalidPermission):
        DelegationPolicy.of(can_manage_members=False, modules=[], permissions=["*"])
    assert m.access_version == 1


def test_forgetting_a_deleted_catalog_key_drops_concrete_grants_only() -> None:
    m = new_membership()
    m.grant_permissions(["basic.artist.view", "basic.artist.*"])
    m.set_delegation(DelegationPolicy.of(can_manage_members=True, modules=["basic"], permissions=["basic.artist.view"]))
    assert m.forget_permission_key("basic.artist.view")
    assert m.permission_grants == {"basic.artist.*"}
    assert m.delegation == DelegationPolicy.of(can_manage_members=True, modules=["basic"], permissions=[])
    assert not m.forget_permission_key("basic.artist.view")
    assert not m.forget_permission_key("basic.artist.*")
