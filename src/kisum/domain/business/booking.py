"""The booking flow's rules: the state machines of avails, offers, agreements and events, the
deal types and the artist payout of an accepted offer.

Each machine is one ``Transitions`` table. A refused move is 409 ``ILLEGAL_TRANSITION`` and the
caller writes nothing. Some states lapse with time (an offer past its ``expiresAt``): that is data
(``Lapse``), read the same way by the domain (``as_of``) and by storage (lists), never written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from kisum.domain.errors import Conflict, FieldInvalid
from kisum.domain.money import share
from kisum.domain.transitions import IllegalTransition, Transitions


def choice(values: type[StrEnum]) -> Callable[[str, object], str | None]:
    """A field rule: one of the enum's values (``None`` means absent)."""

    allowed = [member.value for member in values]

    def rule(field: str, value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or value.strip().lower() not in allowed:
            raise FieldInvalid(field, f"must be one of {', '.join(allowed)}")
        return value.strip().lower()

    return rule


@dataclass(frozen=True, slots=True)
class Lapse:
    """A stored state that reads as ``becomes`` once the instant in ``field`` has passed."""

    field: str
    states: tuple[str, ...]
    becomes: str

    def applies(self, status: str, deadline: datetime | None, now: datetime) -> bool:
        return status in self.states and deadline is not None and deadline <= now


class RecordInUse(Conflict):
    """A record that others point at cannot be deleted (HTTP 409); the detail names who points."""

    code = "RECORD_IN_USE"


# --- Avails -------------------------------------------------------------------------------------


class AvailStatus(StrEnum):
    OPEN = "open"
    HELD = "held"
    BOOKED = "booked"
    RELEASED = "released"


class AvailAction(StrEnum):
    EDIT = "edit"
    HOLD = "hold"
    REOPEN = "reopen"
    BOOK = "book"
    RELEASE = "release"


AVAIL_MACHINE: Transitions[AvailStatus, AvailAction] = Transitions(
    "avail",
    {
        (AvailStatus.OPEN, AvailAction.EDIT): AvailStatus.OPEN,
        (AvailStatus.OPEN, AvailAction.HOLD): AvailStatus.HELD,
        (AvailStatus.HELD, AvailAction.REOPEN): AvailStatus.OPEN,
        (AvailStatus.HELD, AvailAction.BOOK): AvailStatus.BOOKED,
        (AvailStatus.OPEN, AvailAction.RELEASE): AvailStatus.RELEASED,
    },
)
AVAIL_LAPSE = Lapse("hold_expires_at", (AvailStatus.HELD.value,), AvailStatus.OPEN.value)
"""A hold by an offer that has expired reads as open again (no write needed)."""


# --- Offers -------------------------------------------------------------------------------------


class DealType(StrEnum):
    FLAT = "flat"
    VERSUS = "versus"
    PLUS = "plus"
    DOOR = "door"


class OfferStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    COUNTERED = "countered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class OfferAction(StrEnum):
    EDIT = "edit"
    DELETE = "delete"
    SEND = "send"
    COUNTER = "counter"
    ACCEPT = "accept"
    DECLINE = "decline"
    WITHDRAW = "withdraw"
    EXPIRE = "expire"


_OPEN_OFFER = (OfferStatus.SENT, OfferStatus.COUNTERED)
OFFER_MACHINE: Transitions[OfferStatus, OfferAction] = Transitions(
    "offer",
    {
        (OfferStatus.DRAFT, OfferAction.EDIT): OfferStatus.DRAFT,
        (OfferStatus.DRAFT, OfferAction.DELETE): OfferStatus.DRAFT,
        (OfferStatus.DRAFT, OfferAction.SEND): OfferStatus.SENT,
        (OfferStatus.COUNTERED, OfferAction.SEND): OfferStatus.SENT,
        (OfferStatus.SENT, OfferAction.COUNTER): OfferStatus.COUNTERED,
        **{(state, OfferAction.ACCEPT): OfferStatus.ACCEPTED for state in _OPEN_OFFER},
        **{(state, OfferAction.DECLINE): OfferStatus.DECLINED for state in _OPEN_OFFER},
        **{(state, OfferAction.WITHDRAW): OfferStatus.WITHDRAWN for state in _OPEN_OFFER},
        **{(state, OfferAction.EXPIRE): OfferStatus.EXPIRED for state in _OPEN_OFFER},
    },
)
"""``delete`` and ``edit`` loop on ``draft``: they are allowed there only. ``expire`` is never
written: it is what ``OFFER_LAPSE`` reads once ``expiresAt`` has passed."""
OFFER_LAPSE = Lapse("expires_at", tuple(state.value for state in _OPEN_OFFER), OfferStatus.EXPIRED.value)

OFFER_TERMS = ("deal_type", "guarantee", "percentage", "split_point", "expires_at", "terms")
"""What a counter may change (the event, the artist and the currency stay)."""


def check_deal(deal_type: str, percentage: int | None, split_point: int | None) -> None:
    """Which of percentage and split point each deal type needs, and refuses."""
    if deal_type in (DealType.VERSUS, DealType.PLUS, DealType.DOOR) and percentage is None:
        raise FieldInvalid("percentage", f"is required for a {deal_type} deal")
    if deal_type == DealType.FLAT and percentage is not None:
        raise FieldInvalid("percentage", "is not part of a flat deal")
    if deal_type == DealType.PLUS and split_point is None:
        raise FieldInvalid("split_point", "is required for a plus deal")
    if deal_type != DealType.PLUS and split_point is not None:
        raise FieldInvalid("split_point", "is part of a plus deal only")


def artist_payout(
    deal_type: str,
    *,
    guarantee: int,
    percentage: int | None,
    split_point: int | None,
    ticket_gross: int,
    net: int,
) -> int:
    """What the artist of an accepted offer is paid, in minor units, rounded half-up once.

    flat: the guarantee; versus: the greater of the guarantee and percentage * net; plus: the
    guarantee + percentage * (net - split point) when that is positive; door: percentage * ticket
    gross. A percentage share is never negative (a loss pays the guarantee)."""
    points = percentage or 0
    if deal_type == DealType.FLAT:
        return guarantee
    if deal_type == DealType.VERSUS:
        return max(guarantee, share(max(net, 0), points))
    if deal_type == DealType.PLUS:
        return guarantee + share(max(net - (split_point or 0), 0), points)
    if deal_type == DealType.DOOR:
        return share(max(ticket_gross, 0), points)
    raise ValueError(f"unknown deal type {deal_type!r}")


@dataclass(frozen=True, slots=True)
class OfferVersion:
    """The terms of an offer as sent (number 1) or as countered (2, 3, …); never changed."""

    id: UUID
    company_id: UUID
    offer_id: UUID
    number: int
    action: str
    """``sent`` (the first terms) or ``countered``."""
    deal_type: str
    guarantee: int
    percentage: int | None
    split_point: int | None
    currency: str
    expires_at: datetime | None
    terms: str | None
    created_by: UUID | None
    created_at: datetime


# --- Agreements ---------------------------------------------------------------------------------


class AgreementStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    PARTIALLY_SIGNED = "partially_signed"
    SIGNED = "signed"
    VOID = "void"


class AgreementAction(StrEnum):
    EDIT = "edit"
    DELETE = "delete"
    SEND = "send"
    SIGN = "sign"
    """A signature that leaves others missing."""
    SIGN_LAST = "sign_last"
    """The signature that completes the agreement."""
    VOID = "void"


AGREEMENT_MACHINE: Transitions[AgreementStatus, AgreementAction] = Transitions(
    "agreement",
    {
        (AgreementStatus.DRAFT, AgreementAction.EDIT): AgreementStatus.DRAFT,
        (AgreementStatus.DRAFT, AgreementAction.DELETE): AgreementStatus.DRAFT,
        (AgreementStatus.DRAFT, AgreementAction.SEND): AgreementStatus.SENT,
        (AgreementStatus.SENT, AgreementAction.SIGN): AgreementStatus.PARTIALLY_SIGNED,
        (AgreementStatus.PARTIALLY_SIGNED, AgreementAction.SIGN): AgreementStatus.PARTIALLY_SIGNED,
        (AgreementStatus.SENT, AgreementAction.SIGN_LAST): AgreementStatus.SIGNED,
        (AgreementStatus.PARTIALLY_SIGNED, AgreementAction.SIGN_LAST): AgreementStatus.SIGNED,
        (AgreementStatus.DRAFT, AgreementAction.VOID): AgreementStatus.VOID,
        (AgreementStatus.SENT, AgreementAction.VOID): AgreementStatus.VOID,
        (AgreementStatus.PARTIALLY_SIGNED, AgreementAction.VOID): AgreementStatus.VOID,
    },
)


@dataclass(frozen=True, slots=True)
class Signer:
    """Who must sign an agreement; ``signed_at`` once they have (recorded by ``signed_by``)."""

    id: UUID
    company_id: UUID
    agreement_id: UUID
    position: int
    name: str
    email: str
    role: str | None = None
    signed_at: datetime | None = None
    signed_by: UUID | None = None


# --- Events -------------------------------------------------------------------------------------


class EventStatus(StrEnum):
    DRAFT = "draft"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class EventAction(StrEnum):
    CONFIRM = "confirm"
    BOOK = "book"
    """An offer for it is accepted: a draft event is confirmed, a confirmed one stays."""
    COMPLETE = "complete"
    CANCEL = "cancel"


EVENT_MACHINE: Transitions[EventStatus, EventAction] = Transitions(
    "event",
    {
        (EventStatus.DRAFT, EventAction.CONFIRM): EventStatus.CONFIRMED,
        (EventStatus.DRAFT, EventAction.BOOK): EventStatus.CONFIRMED,
        (EventStatus.CONFIRMED, EventAction.BOOK): EventStatus.CONFIRMED,
        (EventStatus.CONFIRMED, EventAction.COMPLETE): EventStatus.COMPLETED,
        (EventStatus.DRAFT, EventAction.CANCEL): EventStatus.CANCELLED,
        (EventStatus.CONFIRMED, EventAction.CANCEL): EventStatus.CANCELLED,
    },
)
"""A client moves an event by PUT ``status``: allowed when one action leads there (or it stays)."""


def event_status_change(current: str | None, wanted: str) -> str:
    """The status a PUT may set: the same one, or one an action of the machine reaches."""
    state = EventStatus(current or EventStatus.DRAFT)
    target = EventStatus(wanted)
    if target is state or target in _reached(state):
        return target.value
    raise IllegalTransition(f"An event that is {state.value} cannot become {target.value}.")


def _reached(state: EventStatus) -> list[EventStatus]:
    return [EVENT_MACHINE.moves[(state, action)] for action in EVENT_MACHINE.actions_from(state)]
