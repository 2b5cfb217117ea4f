"""Money lines and approvals: the machines over random action sequences, the rules of each line."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisum.domain.business.errors import FieldInvalid
from kisum.domain.business.notifications import APPROVERS, Recipients
from kisum.domain.business.records import (
    APPROVAL_STATES,
    EXPENSE_STATES,
    Approval,
    ApprovalAction,
    ApprovalStatus,
    CompanyProfile,
    Event,
    Expense,
    ExpenseAction,
    ExpenseStatus,
    IncomeLine,
    SelfApproval,
    TicketTier,
)
from kisum.domain.money import CurrencyMismatch, share
from kisum.domain.transitions import IllegalTransition

NOW = datetime(2031, 1, 1, tzinfo=UTC)
COMPANY = uuid.uuid4()
SUBMITTER, DECIDER = uuid.uuid4(), uuid.uuid4()


def _event(currency: str | None = None) -> Event:
    return Event.create(id=uuid.uuid4(), company_id=COMPANY, now=NOW, values={"name": "Gig", "currency": currency})


def _expense(event: Event, estimate: int = 100) -> Expense:
    expense = Expense.create(
        id=uuid.uuid4(),
        company_id=COMPANY,
        now=NOW,
        values={"category": "sound", "estimated_amount": estimate},
        system={"event_id": event.id},
    )
    expense.settle_with(event)
    return expense


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["submit", "approve", "reject", "estimate", "actual"]),
        st.sampled_from([SUBMITTER, DECIDER]),
        st.integers(0, 10**6),
    ),
    max_size=12,
)


@given(ACTIONS)
def test_no_sequence_leaves_the_expense_and_approval_machines(actions: list[tuple[str, uuid.UUID, int]]) -> None:
    """Whatever a client tries, the expense and its approval only move as the tables allow, the
    estimate never changes once submitted, an actual amount exists only on an approved expense,
    and nobody decides what they asked for."""
    event = _expense_event = _event("EUR")
    expense = _expense(_expense_event)
    approval: Approval | None = None
    for action, who, value in actions:
        before = (expense.status, expense.estimated_amount, expense.actual_amount, approval and approval.status)
        try:
            if action == "submit":
                expense.submit(by=who, now=NOW)
                approval = Approval.of_expense(expense, id=uuid.uuid4(), by=who, now=NOW)
            elif action in ("approve", "reject"):
                if approval is None:
                    raise IllegalTransition("nothing to decide")
                approval.decide(ApprovalAction(action), by=who, now=NOW, reason="r")
                expense.decide(ExpenseAction(action), now=NOW)
            elif action == "estimate":
                expense.change({"estimated_amount": value}, now=NOW)
            else:
                expense.change({"actual_amount": value}, now=NOW)
        except (IllegalTransition, SelfApproval):
            after = (expense.status, expense.estimated_amount, expense.actual_amount, approval and approval.status)
            assert after == before  # a refusal writes nothing
        assert ExpenseStatus(expense.status) in EXPENSE_STATES.states()
        if expense.actual_amount is not None:
            assert expense.status == ExpenseStatus.APPROVED
        if approval is not None:
            assert ApprovalStatus(approval.status) in APPROVAL_STATES.states()
            assert approval.decided_by != approval.requested_by
            assert (approval.status == ApprovalStatus.PENDING) == (expense.status == ExpenseStatus.SUBMITTED)
        else:
            assert expense.status == ExpenseStatus.ESTIMATED
    assert event.currency == "EUR"


def test_deciding_twice_and_self_approval_are_refused() -> None:
    expense = _expense(_event("EUR"))
    expense.submit(by=SUBMITTER, now=NOW)
    approval = Approval.of_expense(expense, id=uuid.uuid4(), by=SUBMITTER, now=NOW)
    with pytest.raises(SelfApproval):
        approval.decide(ApprovalAction.APPROVE, by=SUBMITTER, now=NOW)
    approval.decide(ApprovalAction.REJECT, by=DECIDER, now=NOW, reason="no")
    with pytest.raises(IllegalTransition):
        approval.decide(ApprovalAction.APPROVE, by=DECIDER, now=NOW)
    assert approval.status == "rejected"


@given(
    st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 10**5)), min_size=1, max_size=20),
    st.integers(0, 10_000),
)
def test_money_totals_never_change_sign_by_rounding(lines: list[tuple[int, int]], points: int) -> None:
    """Gross from tiers is a sum of non-negative products; a share of a non-negative (or negative)
    total keeps its sign and never exceeds the total."""
    tiers = [
        TicketTier.create(
            id=uuid.uuid4(),
            company_id=COMPANY,
            now=NOW,
            values={"name": "t", "price": price, "capacity": sold, "sold": sold},
            system={"event_id": uuid.uuid4()},
        )
        for price, sold in lines
    ]
    gross = sum(tier.gross() for tier in tiers)
    assert gross >= 0
    for total in (gross, -gross):
        part = share(total, points)
        assert part == 0 or (part > 0) == (total > 0)
        assert abs(part) <= abs(total)


@given(st.integers(0, 1000), st.integers(0, 1000), st.integers(0, 1000))
def test_a_tier_never_sells_past_its_capacity(capacity: int, sold: int, comps: int) -> None:
    values = {"name": "GA", "price": 100, "capacity": capacity, "sold": sold, "comps": comps}
    if sold + comps <= capacity:
        tier = TicketTier.create(
            id=uuid.uuid4(), company_id=COMPANY, now=NOW, values=values, system={"event_id": uuid.uuid4()}
        )
        with pytest.raises(FieldInvalid):
            tier.change({"sold": capacity + 1}, now=NOW)
        assert tier.sold == sold  # unchanged
    else:
        with pytest.raises(FieldInvalid):
            TicketTier.create(
                id=uuid.uuid4(), company_id=COMPANY, now=NOW, values=values, system={"event_id": uuid.uuid4()}
            )


def test_a_line_takes_the_events_currency_or_sets_it_first() -> None:
    event = _event()
    line = IncomeLine.create(
        id=uuid.uuid4(),
        company_id=COMPANY,
        now=NOW,
        values={"category": "bar", "amount": 5, "currency": "gbp"},
        system={"event_id": event.id},
    )
    line.settle_with(event)
    assert (event.currency, line.currency) == ("GBP", "GBP")
    other = IncomeLine.create(
        id=uuid.uuid4(),
        company_id=COMPANY,
        now=NOW,
        values={"category": "bar", "amount": 5, "currency": "EUR"},
        system={"event_id": event.id},
    )
    with pytest.raises(CurrencyMismatch):
        other.settle_with(event)


def test_an_approval_notification_reaches_holders_but_never_the_submitter() -> None:
    to = Recipients.holders_of(APPROVERS, except_user=SUBMITTER)
    assert to.includes(DECIDER, frozenset({APPROVERS}))
    assert not to.includes(SUBMITTER, frozenset({APPROVERS}))
    assert not to.includes(DECIDER, frozenset({"basic.expense.view"}))
    assert Recipients.user(SUBMITTER).includes(SUBMITTER, frozenset())
    assert not Recipients.user(SUBMITTER).includes(DECIDER, frozenset({APPROVERS}))


@pytest.mark.parametrize(
    ("field", "value"), [("timezone", "Europe/Pariss"), ("timezone", "../etc/passwd"), ("currency", "XYZ")]
)
def test_company_profile_refuses_unknown_zones_and_currencies(field: str, value: str) -> None:
    profile = CompanyProfile(company_id=COMPANY)
    with pytest.raises(FieldInvalid):
        profile.change({field: value}, now=NOW)
    assert getattr(profile, field) is None
