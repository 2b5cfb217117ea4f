"""The booking machines (random action sequences never leave the table) and the artist payout."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisum.domain.business.booking import (
    AGREEMENT_MACHINE,
    AVAIL_MACHINE,
    EVENT_MACHINE,
    OFFER_MACHINE,
    AgreementStatus,
    AvailStatus,
    EventStatus,
    OfferAction,
    OfferStatus,
    artist_payout,
)
from kisum.domain.business.records import Avail, Offer
from kisum.domain.transitions import IllegalTransition

NOW = datetime(2031, 1, 1, tzinfo=UTC)
COMPANY = uuid.uuid4()

ALLOWED = {
    "offer": (OFFER_MACHINE, OfferStatus.DRAFT, set(OfferStatus)),
    "avail": (AVAIL_MACHINE, AvailStatus.OPEN, set(AvailStatus)),
    "agreement": (AGREEMENT_MACHINE, AgreementStatus.DRAFT, set(AgreementStatus)),
    "event": (EVENT_MACHINE, EventStatus.DRAFT, set(EventStatus)),
}
TERMINAL = {
    "offer": {OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.WITHDRAWN, OfferStatus.EXPIRED},
    "avail": {AvailStatus.BOOKED, AvailStatus.RELEASED},
    "agreement": {AgreementStatus.SIGNED, AgreementStatus.VOID},
    "event": {EventStatus.COMPLETED, EventStatus.CANCELLED},
}


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_terminal_states_have_no_way_out(name: str) -> None:
    machine = ALLOWED[name][0]
    for state in TERMINAL[name]:
        assert machine.actions_from(state) == []


@given(st.data())
def test_random_sequences_stay_inside_each_machine(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(ALLOWED)))
    machine, start, states = ALLOWED[name]
    actions = data.draw(st.lists(st.sampled_from(sorted({a for _, a in machine.moves})), max_size=30))
    state = start
    for action in actions:
        if machine.allows(state, action):
            state = machine.next(state, action)
        else:
            with pytest.raises(IllegalTransition):
                machine.next(state, action)
        assert state in states
    assert set(machine.reachable(start, actions)) <= states


def _offer(**values: object) -> Offer:
    base: dict[str, object] = {
        "event_id": uuid.uuid4(),
        "artist_id": uuid.uuid4(),
        "deal_type": "flat",
        "guarantee": 100,
    }
    base.update(values)
    return Offer.create(id=uuid.uuid4(), company_id=COMPANY, now=NOW, values=base, system={"currency": "EUR"})


@given(st.lists(st.sampled_from([a for a in OfferAction if a not in (OfferAction.EXPIRE,)]), max_size=25))
def test_an_offer_record_only_takes_allowed_moves(actions: list[OfferAction]) -> None:
    offer = _offer()
    for action in actions:
        before = (offer.status, offer.version, offer.guarantee)
        try:
            if action is OfferAction.COUNTER:
                offer.counter({"guarantee": offer.guarantee + 1}, NOW)
            elif action is OfferAction.EDIT:
                offer.change({"terms": "x"}, now=NOW)
            elif action is OfferAction.DELETE:
                offer.before_delete(NOW)
            else:
                offer.act(action, NOW)
        except IllegalTransition:
            assert (offer.status, offer.version, offer.guarantee) == before  # a refused move changes nothing
        assert OfferStatus(offer.status) in set(OfferStatus)
        assert offer.status != OfferStatus.EXPIRED  # never written, only read


def test_an_offer_past_its_expiry_reads_expired_and_refuses_accept() -> None:
    offer = _offer(expires_at=NOW + timedelta(days=1))
    offer.act(OfferAction.SEND, NOW)
    assert offer.as_of(NOW).status == "sent"
    assert offer.as_of(NOW + timedelta(days=2)).status == "expired"
    with pytest.raises(IllegalTransition):
        offer.act(OfferAction.ACCEPT, NOW)


def test_an_avail_hold_lapses_with_its_offer() -> None:
    avail = Avail.create(
        id=uuid.uuid4(),
        company_id=COMPANY,
        now=NOW,
        values={"artist_id": uuid.uuid4(), "starts_on": NOW.date(), "ends_on": NOW.date()},
    )
    offer_id = uuid.uuid4()
    avail.hold(offer_id, NOW + timedelta(hours=1), NOW)
    assert avail.status == "held"
    assert avail.as_of(NOW + timedelta(hours=2)).status == "open"
    avail.hold(uuid.uuid4(), None, NOW)  # another offer may hold it now
    with pytest.raises(IllegalTransition):
        avail.book(offer_id, NOW)


@pytest.mark.parametrize(
    ("deal", "percentage", "split", "gross", "net", "expected"),
    [
        ("flat", None, None, 500_000, 300_000, 100_000),
        ("flat", None, None, 0, -50_000, 100_000),
        ("versus", 5000, None, 500_000, 150_000, 100_000),  # 50 % of net = 75 000 < guarantee
        ("versus", 5000, None, 500_000, 300_001, 150_001),  # 150 000.5 rounds half-up once
        ("versus", 5000, None, 500_000, -10_000, 100_000),
        ("plus", 2500, 200_000, 500_000, 300_002, 125_001),  # 100 000 + 25 % of 100 002 = 25 000.5 → 25 001
        ("plus", 2500, 200_000, 500_000, 150_000, 100_000),  # below the split point: the guarantee
        ("door", 7000, None, 123_457, -1, 86_420),  # 70 % of 123 457 = 86 419.9
        ("door", 7000, None, 0, 0, 0),
    ],
)
def test_artist_payout_by_deal_type(
    deal: str, percentage: int | None, split: int | None, gross: int, net: int, expected: int
) -> None:
    payout = artist_payout(
        deal, guarantee=100_000, percentage=percentage, split_point=split, ticket_gross=gross, net=net
    )
    assert payout == expected


@given(
    st.sampled_from(["flat", "versus", "plus", "door"]),
    st.integers(0, 10**9),
    st.integers(0, 10_000),
    st.integers(0, 10**9),
    st.integers(-(10**9), 10**9),
    st.integers(0, 10**9),
)
def test_a_payout_is_never_negative_nor_below_the_guarantee_except_door(
    deal: str, guarantee: int, points: int, split: int, net: int, gross: int
) -> None:
    payout = artist_payout(deal, guarantee=guarantee, percentage=points, split_point=split, ticket_gross=gross, net=net)
    assert payout >= 0
    if deal != "door":
        assert payout >= guarantee
