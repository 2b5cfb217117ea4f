from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from kisum.domain.core.entitlements import compute_entitlements, enabled_modules_at
from kisum.domain.core.subscriptions import (
    AddonSubscription,
    BasicSubscription,
    SubscriptionStatus,
    Terms,
    Window,
)

NOW = datetime(2030, 6, 1, 12, tzinfo=UTC)
DAY = timedelta(days=1)
PACKAGES = {"basic": frozenset({"basic"})}
ADDONS = {key: frozenset({key}) for key in ("finance", "market", "touring", "venue", "ai")}


def basic(status: str = "active", start: datetime | None = None, end: datetime | None = None) -> BasicSubscription:
    return BasicSubscription("basic", Terms(SubscriptionStatus(status), Window(start, end)))


def addon(
    key: str, status: str = "active", start: datetime | None = None, end: datetime | None = None
) -> AddonSubscription:
    return AddonSubscription(key, Terms(SubscriptionStatus(status), Window(start, end)))


def test_seed_example_basic_inactive_with_finance_and_market() -> None:
    result = compute_entitlements(NOW, basic("canceled"), [addon("finance"), addon("market")], PACKAGES, ADDONS)
    assert result.enabled_modules == ("finance", "market")


def test_seed_example_basic_active_with_finance() -> None:
    result = compute_entitlements(NOW, basic(), [addon("finance")], PACKAGES, ADDONS)
    assert result.enabled_modules == ("basic", "finance")


def test_no_subscription_means_no_modules() -> None:
    result = compute_entitlements(NOW, None, [], PACKAGES, ADDONS)
    assert result.enabled_modules == ()
    assert result.valid_until is None


def test_trialing_counts_as_active() -> None:
    result = compute_entitlements(NOW, basic("trialing"), [addon("ai", "trialing")], PACKAGES, ADDONS)
    assert result.enabled_modules == ("ai", "basic")


def test_past_due_canceled_and_expired_addons_grant_nothing() -> None:
    addons = [addon("finance", "past_due"), addon("market", "canceled"), addon("venue", "expired")]
    assert compute_entitlements(NOW, None, addons, PACKAGES, ADDONS).enabled_modules == ()


def test_modules_are_the_union_of_package_and_addon_modules_sorted() -> None:
    packages = {"basic": frozenset({"basic", "finance"})}
    addons = {"finance": frozenset({"finance"}), "ai": frozenset({"ai", "market"})}
    result = compute_entitlements(NOW, basic(), [addon("finance"), addon("ai")], packages, addons)
    assert result.enabled_modules == ("ai", "basic", "finance", "market")


def test_subscription_that_has_not_started_grants_nothing_yet() -> None:
    result = compute_entitlements(NOW, basic(start=NOW + DAY), [], PACKAGES, ADDONS)
    assert result.enabled_modules == ()
    assert result.valid_until == NOW + DAY


def test_subscription_that_ended_grants_nothing() -> None:
    result = compute_entitlements(NOW, basic(end=NOW), [], PACKAGES, ADDONS)
    assert result.enabled_modules == ()
    assert result.valid_until is None


def test_valid_until_is_the_earliest_future_end() -> None:
    addons = [addon("finance", end=NOW + 2 * DAY), addon("market", end=NOW + DAY)]
    result = compute_entitlements(NOW, basic(end=NOW + 3 * DAY), addons, PACKAGES, ADDONS)
    assert result.valid_until == NOW + DAY


def test_valid_until_ignores_past_boundaries() -> None:
    result = compute_entitlements(NOW, basic(start=NOW - DAY, end=NOW + DAY), [], PACKAGES, ADDONS)
    assert result.valid_until == NOW + DAY


def test_valid_until_ignores_boundaries_of_inactive_statuses() -> None:
    result = compute_entitlements(NOW, basic("canceled", start=NOW + DAY), [], PACKAGES, ADDONS)
    assert result.valid_until is None


def test_valid_until_skips_a_boundary_that_changes_nothing() -> None:
    # The finance addon ends tomorrow, but the package grants finance too: nothing changes then.
    packages = {"basic": frozenset({"basic", "finance"})}
    result = compute_entitlements(NOW, basic(end=NOW + 5 * DAY), [addon("finance", end=NOW + DAY)], packages, ADDONS)
    assert result.valid_until == NOW + 5 * DAY


def test_open_ended_active_subscriptions_have_no_valid_until() -> None:
    result = compute_entitlements(NOW, basic(), [addon("finance")], PACKAGES, ADDONS)
    assert result.valid_until is None


def test_unapproved_company_has_nothing() -> None:
    result = compute_entitlements(NOW, basic(), [addon("finance")], PACKAGES, ADDONS, company_active=False)
    assert result.enabled_modules == ()
    assert result.valid_until is None


offsets = st.none() | st.integers(min_value=-5, max_value=5)
statuses = st.sampled_from(list(SubscriptionStatus))


@st.composite
def subscriptions(draw: st.DrawFn) -> tuple[BasicSubscription | None, list[AddonSubscription]]:
    def terms() -> Terms:
        start = draw(offsets)
        end = draw(offsets)
        if start is not None and end is not None and end <= start:
            end = start + 1
        return Terms(
            draw(statuses),
            Window(
                None if start is None else NOW + start * DAY,
                None if end is None else NOW + end * DAY,
            ),
        )

    with_basic = draw(st.booleans())
    keys = draw(st.lists(st.sampled_from(sorted(ADDONS)), unique=True, max_size=5))
    return (BasicSubscription("basic", terms()) if with_basic else None), [AddonSubscription(k, terms()) for k in keys]


@given(subscriptions(), st.integers(min_value=-6, max_value=6))
def test_result_holds_until_valid_until_and_changes_there(
    subs: tuple[BasicSubscription | None, list[AddonSubscription]], probe: int
) -> None:
    basic_sub, addon_subs = subs
    result = compute_entitlements(NOW, basic_sub, addon_subs, PACKAGES, ADDONS)
    assert list(result.enabled_modules) == sorted(set(result.enabled_modules))
    instant = NOW + probe * DAY / 2
    if instant >= NOW and (result.valid_until is None or instant < result.valid_until):
        assert enabled_modules_at(instant, basic_sub, addon_subs, PACKAGES, ADDONS) == result.enabled_modules
    if result.valid_until is not None:
        assert result.valid_until > NOW
        assert enabled_modules_at(result.valid_until, basic_sub, addon_subs, PACKAGES, ADDONS) != (
            result.enabled_modules
        )


@given(subscriptions())
def test_enabled_modules_follow_the_rule(subs: tuple[BasicSubscription | None, list[AddonSubscription]]) -> None:
    basic_sub, addon_subs = subs
    expected: set[str] = set()
    if basic_sub is not None and basic_sub.is_active(NOW):
        expected |= PACKAGES["basic"]
    for item in addon_subs:
        if item.is_active(NOW):
            expected |= ADDONS[item.addon_key]
    assert compute_entitlements(NOW, basic_sub, addon_subs, PACKAGES, ADDONS).enabled_modules == tuple(sorted(expected))
