from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from kisum.domain.core.company import Company, CompanyStatus, EntitlementsChanged
from kisum.domain.core.errors import (
    CompanyNotApproved,
    IllegalCompanyTransition,
    InvalidName,
    InvalidStatus,
    SubscriptionNotFound,
)
from kisum.domain.core.subscriptions import SubscriptionStatus, Window

T0 = datetime(2030, 1, 1, tzinfo=UTC)
T1 = T0 + timedelta(hours=1)
ACTIVE = SubscriptionStatus.ACTIVE
CANCELED = SubscriptionStatus.CANCELED
PACKAGES = {"basic": frozenset({"basic"})}
ADDONS = {"finance": frozenset({"finance"}), "market": frozenset({"market"})}


def new_company() -> Company:
    return Company.register(uuid.uuid4(), " Acme ", T0)


def approved_company() -> Company:
    company = new_company()
    company.approve(T0)
    company.pull_events()
    return company


def test_registered_company_is_pending_with_version_zero() -> None:
    company = new_company()
    assert company.status is CompanyStatus.PENDING
    assert company.name == "Acme"
    assert company.entitlement_version == 0
    assert company.events == []


def test_blank_name_is_refused() -> None:
    with pytest.raises(InvalidName):
        Company.register(uuid.uuid4(), "  ", T0)


def test_pending_company_can_be_approved() -> None:
    company = new_company()
    company.approve(T1)
    assert company.status is CompanyStatus.APPROVED
    assert company.updated_at == T1


def test_approved_company_can_be_suspended_and_approved_again() -> None:
    company = approved_company()
    company.suspend(T1)
    assert company.status is CompanyStatus.SUSPENDED
    company.approve(T1)
    assert company.status is CompanyStatus.APPROVED


@pytest.mark.parametrize(
    ("setup", "move"),
    [
        ([], "suspend"),
        (["approve"], "approve"),
        (["approve", "suspend"], "suspend"),
    ],
)
def test_illegal_transitions_are_conflicts(setup: list[str], move: str) -> None:
    company = new_company()
    for step in setup:
        getattr(company, step)(T0)
    before = company.status
    with pytest.raises(IllegalCompanyTransition) as raised:
        getattr(company, move)(T1)
    assert raised.value.code == "ILLEGAL_COMPANY_TRANSITION"
    assert company.status is before


def test_status_change_bumps_the_version_and_records_an_event() -> None:
    company = new_company()
    company.approve(T1)
    assert company.entitlement_version == 1
    assert company.pull_events() == [EntitlementsChanged(company.id, 1, T1)]
    assert company.events == []


def test_pending_company_cannot_subscribe() -> None:
    with pytest.raises(CompanyNotApproved) as raised:
        new_company().activate_addon("finance", ACTIVE, Window(), T0)
    assert raised.value.code == "COMPANY_NOT_APPROVED"


def test_suspended_company_cannot_subscribe() -> None:
    company = approved_company()
    company.suspend(T0)
    with pytest.raises(CompanyNotApproved):
        company.activate_basic("basic", ACTIVE, Window(), T0)


def test_activating_basic_bumps_the_version_once() -> None:
    company = approved_company()
    assert company.activate_basic("basic", ACTIVE, Window(), T1)
    assert company.entitlement_version == 2
    assert [e.entitlement_version for e in company.pull_events()] == [2]


def test_activating_the_same_terms_again_changes_nothing() -> None:
    company = approved_company()
    company.activate_addon("finance", ACTIVE, Window(), T1)
    company.pull_events()
    assert not company.activate_addon("finance", ACTIVE, Window(), T1)
    assert company.entitlement_version == 2
    assert company.pull_events() == []


def test_activate_refuses_an_inactive_status() -> None:
    with pytest.raises(InvalidStatus):
        approved_company().activate_basic("basic", SubscriptionStatus.PAST_DUE, Window(), T0)


def test_deactivate_refuses_a_granting_status() -> None:
    company = approved_company()
    company.activate_addon("finance", ACTIVE, Window(), T0)
    with pytest.raises(InvalidStatus):
        company.deactivate_addon("finance", SubscriptionStatus.TRIALING, None, T0)


def test_deactivate_keeps_the_window_unless_told() -> None:
    company = approved_company()
    window = Window(T0, T0 + timedelta(days=30))
    company.activate_addon("finance", ACTIVE, window, T0)
    company.deactivate_addon("finance", CANCELED, None, T1)
    assert company.addons["finance"].terms.window == window
    assert company.addons["finance"].terms.status is CANCELED


def test_deactivating_what_was_never_subscribed_is_not_found() -> None:
    company = approved_company()
    with pytest.raises(SubscriptionNotFound) as raised:
        company.deactivate_addon("finance", CANCELED, None, T0)
    assert raised.value.code == "ADDON_NOT_SUBSCRIBED"
    with pytest.raises(SubscriptionNotFound) as raised:
        company.deactivate_basic(CANCELED, None, T0)
    assert raised.value.code == "BASIC_NOT_SUBSCRIBED"


def test_a_suspended_company_may_still_lose_subscriptions() -> None:
    company = approved_company()
    company.activate_addon("finance", ACTIVE, Window(), T0)
    company.suspend(T0)
    assert company.deactivate_addon("finance", CANCELED, None, T1)


def test_company_entitlements_follow_its_subscriptions() -> None:
    company = approved_company()
    company.activate_basic("basic", ACTIVE, Window(), T0)
    company.activate_addon("finance", ACTIVE, Window(), T0)
    assert company.entitlements(T1, PACKAGES, ADDONS).enabled_modules == ("basic", "finance")
    company.deactivate_basic(CANCELED, None, T1)
    company.activate_addon("market", ACTIVE, Window(), T1)
    assert company.entitlements(T1, PACKAGES, ADDONS).enabled_modules == ("finance", "market")


def test_suspended_company_is_entitled_to_nothing() -> None:
    company = approved_company()
    company.activate_basic("basic", ACTIVE, Window(), T0)
    company.suspend(T1)
    assert company.entitlements(T1, PACKAGES, ADDONS).enabled_modules == ()


def test_offer_change_bumps_the_version() -> None:
    company = approved_company()
    company.offer_changed(T1)
    assert company.entitlement_version == 2
    assert company.pull_events() == [EntitlementsChanged(company.id, 2, T1)]
