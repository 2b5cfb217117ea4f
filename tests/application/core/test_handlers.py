from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from kisum.application.core.commands import (
    ActivateAddon,
    ActivateBasic,
    ApproveCompany,
    CreateAddon,
    CreateCompany,
    CreateModule,
    CreatePackage,
    DeactivateAddon,
    DeactivateBasic,
    DeleteAddon,
    DeleteModule,
    DeletePackage,
    SuspendCompany,
    UpdateAddon,
    UpdateModule,
    UpdatePackage,
)
from kisum.application.core.handlers import (
    ActivateAddonHandler,
    ActivateBasicHandler,
    ApproveCompanyHandler,
    CreateAddonHandler,
    CreateCompanyHandler,
    CreateModuleHandler,
    CreatePackageHandler,
    DeactivateAddonHandler,
    DeactivateBasicHandler,
    DeleteAddonHandler,
    DeleteModuleHandler,
    DeletePackageHandler,
    SuspendCompanyHandler,
    UpdateAddonHandler,
    UpdateModuleHandler,
    UpdatePackageHandler,
)
from kisum.domain.core.company import CompanyStatus
from kisum.domain.errors import Conflict, InvalidInput, NotFound
from tests.application.core.fakes import FakeClock, FakeCoreUnitOfWork, FakeIds, RecordingNotifier, default_catalog


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def uow(clock: FakeClock) -> FakeCoreUnitOfWork:
    unit = FakeCoreUnitOfWork()
    default_catalog(unit, clock.now())
    return unit


@pytest.fixture
def notifier(uow: FakeCoreUnitOfWork) -> RecordingNotifier:
    return RecordingNotifier(uow)


async def _company(uow: FakeCoreUnitOfWork, clock: FakeClock, notifier: RecordingNotifier, *, approve: bool = True):  # type: ignore[no-untyped-def]
    view = await CreateCompanyHandler(uow, clock, FakeIds())(CreateCompany(name="Acme"))
    if approve:
        await ApproveCompanyHandler(uow, clock, notifier)(ApproveCompany(view.id))
    uow.commits = 0
    notifier.calls.clear()
    uow.outbox.events.clear()
    return view.id


# --- catalog ---------------------------------------------------------------------------------


async def test_create_module_stores_it_and_commits_once(uow: FakeCoreUnitOfWork, clock: FakeClock) -> None:
    view = await CreateModuleHandler(uow, clock)(CreateModule(key="crm", name="CRM"))
    assert view.key == "crm"
    assert uow.module_store["crm"].name == "CRM"
    assert uow.commits == 1


async def test_create_module_with_a_taken_key_is_a_conflict(uow: FakeCoreUnitOfWork, clock: FakeClock) -> None:
    with pytest.raises(Conflict) as raised:
        await CreateModuleHandler(uow, clock)(CreateModule(key="finance"))
    assert raised.value.code == "MODULE_EXISTS"
    assert uow.commits == 0


async def test_update_module_renames_it(uow: FakeCoreUnitOfWork, clock: FakeClock) -> None:
    clock.advance(timedelta(minutes=1))
    view = await UpdateModuleHandler(uow, clock)(UpdateModule(key="ai", name="Artificial intelligence"))
    assert view.name == "Artificial intelligence"
    assert uow.module_store["ai"].updated_at == clock.now()
    assert uow.commits == 1


async def test_update_unknown_module_is_not_found(uow: FakeCoreUnitOfWork, clock: FakeClock) -> None:
    with pytest.raises(NotFound) as raised:
        await UpdateModuleHandler(uow, clock)(UpdateModule(key="nope", name="x"))
    assert raised.value.code == "MODULE_NOT_FOUND"


async def test_delete_module_in_use_is_a_conflict(uow: FakeCoreUnitOfWork) -> None:
    with pytest.raises(Conflict) as raised:
        await DeleteModuleHandler(uow)(DeleteModule(key="finance"))
    assert raised.value.code == "MODULE_IN_USE"
    assert "finance" in uow.module_store
    assert uow.commits == 0


async def test_delete_unused_module_removes_it(uow: FakeCoreUnitOfWork, clock: FakeClock) -> None:
    await CreateModuleHandler(uow, clock)(CreateModule(key="crm"))
    await DeleteModuleHandler(uow)(DeleteModule(key="crm"))
    assert "crm" not in uow.module_store
    assert uow.commits == 2


async def test_create_package_with_unknown_module_is_invalid(uow: FakeCoreUnitOfWork, clock: FakeClock) -> None:
    with pytest.raises(InvalidInput) as raised:
        await CreatePackageHandler(uow, clock)(CreatePackage(key="pro", modules=("basic", "crm")))
    assert raised.value.code == "UNKNOWN_MODULE"
    assert "pro" not in uow.package_store
    assert uow.commits == 0


async def test_create_package_maps_its_modules(uow: FakeCoreUnitOfWork, clock: FakeClock) -> None:
    view = await CreatePackageHandler(uow, clock)(CreatePackage(key="pro", modules=("finance", "basic")))
    assert view.modules == ("basic", "finance")
    assert uow.commits == 1


async def test_create_duplicate_addon_is_a_conflict(uow: FakeCoreUnitOfWork, clock: FakeClock) -> None:
    with pytest.raises(Conflict) as raised:
        await CreateAddonHandler(uow, clock)(CreateAddon(key="finance", modules=("finance",)))
    assert raised.value.code == "ADDON_EXISTS"


async def test_changing_a_package_bumps_every_entitled_company_once(
    uow: FakeCoreUnitOfWork, clock: FakeClock, notifier: RecordingNotifier
) -> None:
    entitled = await _company(uow, clock, notifier)
    other = await _company(uow, clock, notifier)
    await ActivateBasicHandler(uow, clock, notifier)(ActivateBasic(entitled))
    before_other = uow.company_store[other].entitlement_version
    before = uow.company_store[entitled].entitlement_version
    uow.commits = 0
    notifier.calls.clear()

    view = await UpdatePackageHandler(uow, clock, notifier)(UpdatePackage(key="basic", modules=("basic", "ai")))

    assert view.modules == ("ai", "basic")
    assert uow.company_store[entitled].entitlement_version == before + 1
    assert uow.company_store[other].entitlement_version == before_other
    assert [(e.company_id, e.entitlement_version) for e in notifier.events] == [(entitled, before + 1)]
    assert uow.commits == 1


async def test_renaming_a_package_is_no_entitlement_change(
    uow: FakeCoreUnitOfWork, clock: FakeClock, notifier: RecordingNotifier
) -> None:
    company = await _company(uow, clock, notifier)
    await ActivateBasicHandler(uow, clock, notifier)(ActivateBasic(company))
    version = uow.company_store[company].entitlement_version
    notifier.calls.clear()
    await UpdatePackageHandler(uow, clock, notifier)(UpdatePackage(key="basic", name="Basic plan"))
    assert uow.company_store[company].entitlement_version == version
    assert notifier.events == []


async def test_changing_an_addon_bumps_its_holders(
    uow: FakeCoreUnitOfWork, clock: FakeClock, notifier: RecordingNotifier
) -> None:
    company = await _company(uow, clock, notifier)
    await ActivateAddonHandler(uow, clock, notifier)(ActivateAddon(company, "finance"))
    version = uow.company_store[company].entitlement_version
    await UpdateAddonHandler(uow, clock, notifier)(UpdateAddon(key="finance", modules=("finance", "market")))
    assert uow.company_store[company].entitlement_version == version + 1


async def test_update_addon_with_unknown_module_writes_nothing(
    uow: FakeCoreUnitOfWork, clock: FakeClock, notifier: RecordingNotifier
) -> None:
    with pytest.raises(InvalidInput):
        await UpdateAddonHandler(uow, clock, notifier)(UpdateAddon(key="finance", modules=("nope",)))
    assert uow.addon_store["finance"].modules == frozenset({"finance"})
    assert uow.commits == 0


async def test_delete_subscribed_package_is_a_conflict(
    uow: FakeCoreUnitOfWork, clock: FakeClock, notifier: RecordingNotifier
) -> None:
    company = await _company(uow, clock, notifier)
    await ActivateBasicHandler(uow, clock, notifier)(ActivateBasic(company))
    with pytest.raises(Conflict) as raised:
        await DeletePackageHandler(uow)(DeletePackage(key="basic"))
    assert raised.value.code == "PACKAGE_IN_USE"


async def test_delete_unsubscribed_addon_removes_it(uow: FakeCoreUnitOfWork) -> None:
    await DeleteAddonHandler(uow)(DeleteAddon(key="venue"))
    assert "venue" not in uow.addon_store
    assert uow.commits == 1


async def test_delete_unknown_addon_is_not_found(uow: FakeCoreUnitOfWork) -> None:
    with pytest.raises(NotFound) as raised:
        await DeleteAddonHandler(uow)(DeleteAddon(key="nope"))
    assert raised.value.code == "ADDON_NOT_FOUND"


# --- companies -------------------------------------------------------------------------------


async def test_create_company_is_pending(uow: FakeCoreUnitOfWork, clock: FakeClock) -> None:
    ids = FakeIds()
    view = await CreateCompanyHandler(uow, clock, ids)(CreateCompany(name="Acme"))
    assert view.id == ids.issued[0]
    assert view.status == "pending"
    assert view.entitlement_version == 0
    assert uow.commits == 1


async def test_approve_then_suspend_moves_the_status_and_notifies_after_commit(
    uow: FakeCoreUnitOfWork, clock: FakeClock, notifier: RecordingNotifier
) -> None:
    company = await _company(uow, clock, notifier, approve=False)
    await ApproveCompanyHandler(uow, clock, notifier)(ApproveCompany(company))
    view = await SuspendCompanyHandler(uow, clock, notifier)(SuspendCompany(company))
    assert view.status == "suspended"
    assert uow.company_store[company].status is CompanyStatus.SUSPENDED
    assert uow.commits == 2
    assert [(events[0].entitlement_version, commits) for events, commits in notifier.calls] == [(1, 1), (2, 2)]
    assert [e.entitlement_version for e in uow.committed_outbox] == [1, 2]


async def test_approving_twice_is_a_conflict(
    uow: FakeCoreUnitOfWork, clock: FakeClock, notifier: RecordingNotifier
) -> None:
    company = await _company(uow, clock, notifier)
    with pytest.raises(Conflict) as raised:
        await ApproveCompanyHandler(uow, clock, notifier)(ApproveCompany(company))
    assert raised.value.code == "ILLEGAL_COMPANY_TRANSITION"
    assert uow.commits == 0
    assert notifier.calls == []


async def test_approving_unknown_company_is_not_found(
    uow: FakeCoreUnitOfWork, clock: FakeClock, notifier: RecordingNotifier
) -> None:
    with pytest.raises(NotFound) as raised:
        await ApproveCompanyHandler(uow, clock, notifier)(ApproveCompany(uuid.uuid4()))
    assert raised.value.code == "COMPANY_NOT_FOUND"


# --- subscriptions ---------------------------------------------------------------------------


async def test_activate_basic_returns_entitlements_and_bumps_once(
    uow: FakeCoreUnitOfWork, clock: FakeClock, notifier: RecordingNotifier
) -> None:
    company = await _company(uow, clock, notifier)
    view = await ActivateBasicHandler(uow, clock, notifier)(ActivateBasic(company))
    assert view.enabled_modules == ("basic",)
    assert view.entitlement_version == 2
    assert view.basic is not None
    assert view.basic.status == "active"
    assert uow.companies.locked[-1] == company
    assert uow.commits == 1
    assert notifier.calls == [(list(uow.committed_outbox), 1)]


async def test_seed_example_basic_active_plus_finance(
    uow: FakeCoreUnitOfWork, clock: FakeClock, notifier: RecordingNotifier
) -> None:
    company = await _company(uow, clock, notifier)
    await ActivateBasicHandler(uow, clock, notifier)(ActivateBasic(company))
    view = await ActivateAddonHandler(uow, clock, notifier)(ActivateAddon(company, "finance"))
    assert view.enabled_modules == ("basic", "finance")
    assert [(a.addon_key, a.modules) for a in view.addons] == [("finance", ("finance",))]


async def test_seed_example_basic_inactive_with_finance_and_market(
    uow: FakeCoreUnitOfWork, clock: FakeClock, notifier: RecordingNotifier
) -> None:
    company = await _company(uow, clock, notifier)
    await ActivateBasicHandler(uow, clock, notifier)(ActivateBasic(company))
    await ActivateAddonHandler(uow, clock, notifier)(ActivateAddon(company, "finance"))
    await ActivateAddonHandler(uow, clock, notifier)(ActivateAddon(company, "market"))
    view = await DeactivateBasicHandler(uow, clock, notifier)(DeactivateBasic(company))
    assert view.enabled_modules == ("finance", "market")
    assert view.basic is not None
    assert view.basic.status == "canceled"
    assert view.entitlement_version == 5


async def test_repeating_an_activation_changes_no_version(
    uow: FakeCoreUnitOfWork, clock: FakeClock, notifier: RecordingNotifier
) -> None:
    company = await _company(uow, clock, notifier)
    first = await ActivateAddonHandler(uow, clock, notifier)(ActivateAddon(company, "ai"))
    second = await ActivateAddonHandler(uow, clock, notifier)(ActivateAddon(company, "ai"))
    assert second.entitlement_version == first.entitlement_version
    assert [len(events) for events, _ in notifier.calls] == [1, 0]
    assert uow.commits == 2


async def test_activating_for_an_unknown_company_is_not_found(
    uow: FakeCoreUnitOfWork, clock: FakeClock, notifier: RecordingNotifier
) -> None:
    with pytest.raises(NotFound) as raised:
        await ActivateAddonHandler(uow, clock, notifier)(ActivateAddon(uuid.uuid4(), "finance"))
    assert raised.value.code == "COMPANY_NOT_FOUND"


async def test_activating_for_a_pending_company_is_a_conflict(
    uow: FakeCoreUnitOfWork, clock: FakeClock, notifier: RecordingNotifier
) -> None:
    company = await _company(uow, clock, notifier, approve=False)
    with pytest.raises(Conflict) as raised:
        await ActivateAddonHandler(uow, clock, notifier)(ActivateAddon(company, "finance"))
    assert raised.value.code == "COMPANY_NOT_APPROVED"
    assert uow.company_store[company].addons == {}
    assert uow.commits == 0


async def test_activating_an_unknown_addon_is_invalid(
    uow: FakeCoreUnitOfWork, clock: FakeClock, notifier: RecordingNotifier
) -> None:
    company = await _company(uow, clock, notifier)
    with pytest.raises(InvalidInput) as raised:
        await ActivateAddonHandler(uow, clock, notifier)(ActivateAddon(company, "crm"))
    assert raised.value.code == "UNKNOWN_ADDON"


async def test_activating_an_unknown_package_is_invalid(
    uow: FakeCoreUnitOfWork, clock: FakeClock, notifier: RecordingNotifier
) -> None:
    company = await _company(uow, clock, notifier)
    with pytest.raises(InvalidInput) as raised:
        await ActivateBasicHandler(uow, clock, notifier)(ActivateBasic(company, package_key="gold"))
    assert raised.value.code == "UNKNOWN_PACKAGE"


async def test_end_before_start_is_invalid(
    uow: FakeCoreUnitOfWork, clock: FakeClock, notifier: RecordingNotifier
) -> None:
    company = await _company(uow, clock, notifier)
    now = clock.now()
    with pytest.raises(InvalidInput) as raised:
        await ActivateAddonHandler(uow, clock, notifier)(
            ActivateAddon(company, "finance", starts_at=now, ends_at=now - timedelta(days=1))
        )
    assert raised.value.code == "INVALID_WINDOW"


async def test_unknown_status_is_invalid(
    uow: FakeCoreUnitOfWork, clock: FakeClock, notifier: RecordingNotifier
) -> None:
    company = await _company(uow, clock, notifier)
    with pytest.raises(InvalidInput) as raised:
        await ActivateBasicHandler(uow, clock, notifier)(ActivateBasic(company, status="paused"))
    assert raised.value.code == "INVALID_STATUS"


async def test_future_window_gives_valid_until(
    uow: FakeCoreUnitOfWork, clock: FakeClock, notifier: RecordingNotifier
) -> None:
    company = await _company(uow, clock, notifier)
    ends = clock.now() + timedelta(days=30)
    view = await ActivateAddonHandler(uow, clock, notifier)(
        ActivateAddon(company, "finance", status="trialing", ends_at=ends)
    )
    assert view.enabled_modules == ("finance",)
    assert view.valid_until == ends


async def test_deactivate_addon_keeps_history_and_removes_the_module(
    uow: FakeCoreUnitOfWork, clock: FakeClock, notifier: RecordingNotifier
) -> None:
    company = await _company(uow, clock, notifier)
    await ActivateAddonHandler(uow, clock, notifier)(ActivateAddon(company, "finance"))
    view = await DeactivateAddonHandler(uow, clock, notifier)(DeactivateAddon(company, "finance", status="past_due"))
    assert view.enabled_modules == ()
    assert [(a.addon_key, a.status) for a in view.addons] == [("finance", "past_due")]


async def test_deactivate_never_subscribed_addon_is_not_found(
    uow: FakeCoreUnitOfWork, clock: FakeClock, notifier: RecordingNotifier
) -> None:
    company = await _company(uow, clock, notifier)
    with pytest.raises(NotFound) as raised:
        await DeactivateAddonHandler(uow, clock, notifier)(DeactivateAddon(company, "finance"))
    assert raised.value.code == "ADDON_NOT_SUBSCRIBED"
    assert uow.commits == 0
