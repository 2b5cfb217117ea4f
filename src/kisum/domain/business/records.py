"""The tenant-owned records of the Base module, each declared once (``declaration.py``).

Every record belongs to exactly one company (``company_id``), fixed at creation. Values are
cleaned by the declared field rules on create and on change; cross-field rules live in
``check``. A change that breaks a rule leaves the record as it was. To add a resource: a
``ResourceKind``, a declared class here and in ``RECORD_TYPES``, its table, its migration.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from typing import ClassVar, Self, TypeVar
from uuid import UUID

from kisum.domain.business import fields as f
from kisum.domain.business.booking import (
    AGREEMENT_MACHINE,
    AVAIL_LAPSE,
    AVAIL_MACHINE,
    EVENT_MACHINE,
    OFFER_LAPSE,
    OFFER_MACHINE,
    OFFER_TERMS,
    AgreementAction,
    AgreementStatus,
    AvailAction,
    AvailStatus,
    DealType,
    EventAction,
    EventStatus,
    Lapse,
    OfferAction,
    OfferStatus,
    OfferVersion,
    Signer,
    check_deal,
    choice,
    event_status_change,
)
from kisum.domain.business.declaration import Declaration, declared, resource
from kisum.domain.business.errors import FieldInvalid, FileTooLarge, FileTypeNotAllowed, UnknownReference
from kisum.domain.errors import Conflict, FieldIssue, Forbidden, wire_name
from kisum.domain.money import CurrencyMismatch, amount, basis_points, currency_code
from kisum.domain.transitions import IllegalTransition, Transitions


class ResourceKind(StrEnum):
    ARTIST = "artist"
    EVENT = "event"
    AGENCY = "agency"
    VENDOR = "vendor"
    VENUE = "venue"
    TASK = "task"
    FILE = "file"
    AVAIL = "avail"
    OFFER = "offer"
    AGREEMENT = "agreement"
    TICKET = "ticket"
    INCOME = "income"
    EXPENSE = "expense"
    APPROVAL = "approval"


NAME = f.text(200, required=True)


def _currency(field: str, value: object) -> str | None:
    return None if value is None else currency_code(value, field)


NOTES = f.text(5000)


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _timezone(field: str, value: object) -> str | None:
    """An IANA time zone name (``Europe/Paris``), as the zone database spells it."""
    clean = f.text(64)(field, value)
    if clean is None:
        return None
    if clean not in _zones():
        raise FieldInvalid(field, f"{clean!r} is not an IANA time zone name such as Europe/Paris")
    return str(clean)


@dataclass(slots=True, kw_only=True)
class TenantRecord:
    """Base of every record: identity, owning company, timestamps; the rules come from its declaration."""

    DECLARATION: ClassVar[Declaration]
    LAPSE: ClassVar[Lapse | None] = None
    """A ``status`` that reads differently once an instant has passed (computed when read)."""

    id: UUID
    company_id: UUID
    created_at: datetime
    updated_at: datetime

    @property
    def kind(self) -> ResourceKind:
        return ResourceKind(self.DECLARATION.kind)

    @classmethod
    def create(
        cls,
        *,
        id: UUID,
        company_id: UUID,
        now: datetime,
        values: Mapping[str, object],
        system: Mapping[str, object] | None = None,
    ) -> Self:
        """A new record from a client's ``values`` (cleaned) and the ``system``-set fields (trusted)."""
        clean = cls.DECLARATION.clean(values, creating=True)
        record = cls(id=id, company_id=company_id, created_at=now, updated_at=now, **clean, **(system or {}))
        record.check()
        return record

    def change(self, changes: Mapping[str, object], *, now: datetime) -> None:
        """Apply the changes, or none of them if a field or a rule across fields refuses."""
        clean = self.DECLARATION.clean(changes, creating=False)
        before = {name: getattr(self, name) for name in clean}
        for name, value in clean.items():
            setattr(self, name, value)
        try:
            self.check()
        except FieldInvalid:
            for name, value in before.items():
                setattr(self, name, value)
            raise
        self.updated_at = now

    def check(self) -> None:
        """Rules across fields; none by default."""

    def as_of(self, now: datetime) -> Self:
        """The record as it reads at ``now``: a lapsed status shows its lapsed value (never written
        because of this alone)."""
        lapse = self.LAPSE
        if lapse is not None and lapse.applies(getattr(self, "status"), getattr(self, lapse.field), now):  # noqa: B009
            setattr(self, "status", lapse.becomes)  # noqa: B010
        return self

    def before_delete(self, now: datetime) -> bool:
        """Called by DELETE: refuse (raise), or return True when the record is kept, changed in
        place (an avail is released), instead of removed; False (default) removes it."""
        return False

    def referenced_ids(self, field_name: str) -> tuple[UUID, ...]:
        value = getattr(self, field_name)
        if value is None:
            return ()
        if isinstance(value, UUID):
            return (value,)
        return tuple(value)


@resource(kind="artist", plural="artists", permission="basic.artist")
@dataclass(slots=True, kw_only=True)
class Artist(TenantRecord):
    name: str = declared(NAME, required=True, sort=True, search=True)
    genre: str | None = declared(f.text(100), default=None, filter=True, sort=True)
    email: str | None = declared(f.email, default=None)
    phone: str | None = declared(f.text(50), default=None)
    notes: str | None = declared(NOTES, default=None)


@resource(kind="venue", plural="venues", permission="basic.venue")
@dataclass(slots=True, kw_only=True)
class Venue(TenantRecord):
    name: str = declared(NAME, required=True, sort=True, search=True)
    address: str | None = declared(f.text(500), default=None)
    city: str | None = declared(f.text(100), default=None, filter=True, sort=True)
    country: str | None = declared(f.upper_code(2), default=None, filter=True, sort=True)
    capacity: int | None = declared(f.whole_number(0, 10_000_000), default=None, sort=True)
    notes: str | None = declared(NOTES, default=None)


@resource(kind="vendor", plural="vendors", permission="basic.vendor")
@dataclass(slots=True, kw_only=True)
class Vendor(TenantRecord):
    name: str = declared(NAME, required=True, sort=True, search=True)
    category: str | None = declared(f.text(100), default=None, filter=True, sort=True)
    email: str | None = declared(f.email, default=None)
    phone: str | None = declared(f.text(50), default=None)
    notes: str | None = declared(NOTES, default=None)


@resource(kind="agency", plural="agencies", permission="basic.agency")
@dataclass(slots=True, kw_only=True)
class Agency(TenantRecord):
    """An agency is known by a short ``key``, unique inside its company."""

    key: str = declared(f.key, required=True, unique=True, sort=True)
    name: str = declared(NAME, required=True, sort=True, search=True)
    email: str | None = declared(f.email, default=None)
    phone: str | None = declared(f.text(50), default=None)
    website: str | None = declared(f.url, default=None)
    notes: str | None = declared(NOTES, default=None)


class EventWindow(StrEnum):
    """``upcoming``: not over yet; ``past``: over. Events without a date are only in ``all``."""

    ALL = "all"
    UPCOMING = "upcoming"
    PAST = "past"


@resource(
    kind="event",
    plural="events",
    permission="basic.event",
    default_sort=("starts_at", "name"),
    time_span=("starts_at", "ends_at"),
)
@dataclass(slots=True, kw_only=True)
class Event(TenantRecord):
    name: str = declared(NAME, required=True, sort=True, search=True)
    starts_at: datetime | None = declared(f.instant, default=None, sort=True)
    ends_at: datetime | None = declared(f.instant, default=None, sort=True)
    venue_id: UUID | None = declared(f.reference, default=None, reference="venue", filter=True)
    artist_ids: tuple[UUID, ...] = declared(f.references(100), default=(), reference="artist", filter="artist_id")
    status: str | None = declared(choice(EventStatus), default=EventStatus.DRAFT.value, filter=True, sort=True)
    """A lifecycle (``booking.EVENT_MACHINE``): ``draft`` → ``confirmed`` (set, or by an accepted
    offer) → ``completed``, or ``cancelled``; a PUT may move it along the machine only."""
    notes: str | None = declared(NOTES, default=None)
    currency: str | None = declared(_currency, default=None, filter=True)
    """The one currency the event settles in: set explicitly, or by its first offer or money line."""

    def change(self, changes: Mapping[str, object], *, now: datetime) -> None:
        if "status" in changes:
            wanted = choice(EventStatus)("status", changes["status"])
            if wanted is None:
                raise FieldInvalid("status", "cannot be cleared; events are draft, confirmed, completed or cancelled")
            event_status_change(self.status, wanted)
        TenantRecord.change(self, changes, now=now)

    def book(self, now: datetime) -> None:
        """An offer for this event was accepted: a draft event is confirmed (409 when cancelled/completed)."""
        self.status = EVENT_MACHINE.next(EventStatus(self.status or EventStatus.DRAFT), EventAction.BOOK).value
        self.updated_at = now

    def check(self) -> None:
        if self.status is None:
            self.status = EventStatus.DRAFT.value
        if self.ends_at is not None and self.starts_at is None:
            raise FieldInvalid("starts_at", "is required when endsAt is set")
        if self.starts_at is not None and self.ends_at is not None and self.ends_at < self.starts_at:
            raise FieldInvalid("ends_at", "must not be before startsAt")

    def settles_in(self, currency: str | None) -> str:
        """The currency of a new offer or money line: the event's, which the first one may set.

        A line that names another currency than the event's is refused (``CURRENCY_MISMATCH``);
        a line without one takes the event's; if neither has one, the currency is required."""
        if self.currency is None:
            if currency is None:
                raise FieldInvalid("currency", "is required: the event has no currency yet")
            self.currency = currency
        elif currency is not None and currency != self.currency:
            raise CurrencyMismatch(f"currency: the event settles in {self.currency}, not {currency}.")
        return self.currency

    def ends(self) -> datetime | None:
        """When the event is over: its end, or its start when it has no end."""
        return self.ends_at or self.starts_at

    def is_in(self, window: EventWindow, now: datetime) -> bool:
        if window is EventWindow.ALL:
            return True
        end = self.ends()
        if end is None:
            return False
        return end >= now if window is EventWindow.UPCOMING else end < now


@resource(kind="task", plural="tasks", permission="basic.task", default_sort=("done", "due_date", "name"))
@dataclass(slots=True, kw_only=True)
class Task(TenantRecord):
    name: str = declared(NAME, required=True, sort=True, search=True)
    description: str | None = declared(NOTES, default=None)
    assignee_user_id: UUID | None = declared(f.reference, default=None, filter=True)
    due_date: date | None = declared(f.day, default=None, sort=True)
    done: bool = declared(f.flag, default=False, filter=True, sort=True)


# --- Booking: avails, offers, agreements (DESIGN §6; rules and machines in ``booking.py``) -------


def _amount(field: str, value: object) -> int | None:
    return None if value is None else amount(value, field)


def _points(field: str, value: object) -> int | None:
    return None if value is None else basis_points(value, field)


@resource(
    kind="avail",
    plural="avails",
    permission="basic.avail",
    default_sort=("starts_on", "ends_on"),
    descriptions={"delete": "Release avails"},
)
@dataclass(slots=True, kw_only=True)
class Avail(TenantRecord):
    """Dates an artist can play: ``open`` → ``held`` (by a sent offer) → ``booked``, or ``released``."""

    LAPSE: ClassVar[Lapse | None] = AVAIL_LAPSE

    artist_id: UUID = declared(f.reference, required=True, reference="artist", filter=True)
    starts_on: date = declared(f.day, required=True, sort=True, filter="to", filter_op="le")
    """``?to=`` keeps avails that start on or before that day."""
    ends_on: date = declared(f.day, required=True, sort=True, filter="from", filter_op="ge")
    """``?from=`` keeps avails that end on or after that day (with ``to``: overlapping the range)."""
    city: str | None = declared(f.text(100), default=None, sort=True)
    notes: str | None = declared(NOTES, default=None)
    status: str = declared(choice(AvailStatus), default=AvailStatus.OPEN.value, writable=False, filter=True, sort=True)
    offer_id: UUID | None = declared(f.reference, default=None, writable=False)
    """The offer holding or having booked it."""
    hold_expires_at: datetime | None = declared(f.instant, default=None, writable=False, shown=False)
    """The holding offer's ``expiresAt``: past it, the hold lapses (the avail reads open)."""

    def check(self) -> None:
        if self.ends_on < self.starts_on:
            raise FieldInvalid("ends_on", "must not be before startsOn")

    def change(self, changes: Mapping[str, object], *, now: datetime) -> None:
        AVAIL_MACHINE.next(AvailStatus(self.status), AvailAction.EDIT)
        TenantRecord.change(self, changes, now=now)

    def _move(self, action: AvailAction, now: datetime) -> None:
        self.status = AVAIL_MACHINE.next(AvailStatus(self.status), action).value
        self.updated_at = now

    def before_delete(self, now: datetime) -> bool:
        self.release(now)
        return True

    def release(self, now: datetime) -> None:
        self._move(AvailAction.RELEASE, now)
        self.offer_id, self.hold_expires_at = None, None

    def hold(self, offer_id: UUID, expires_at: datetime | None, now: datetime) -> None:
        """A sent offer holds it (again: a re-sent or countered offer refreshes its expiry)."""
        if not (self.status == AvailStatus.HELD and self.offer_id == offer_id):
            self._move(AvailAction.HOLD, now)
        self.offer_id, self.hold_expires_at, self.updated_at = offer_id, expires_at, now

    def reopen(self, offer_id: UUID, now: datetime) -> None:
        """Its offer was declined or withdrawn: open again (nothing to do if another offer holds it)."""
        if self.status == AvailStatus.HELD and self.offer_id == offer_id:
            self._move(AvailAction.REOPEN, now)
            self.offer_id, self.hold_expires_at = None, None

    def book(self, offer_id: UUID, now: datetime) -> None:
        if self.offer_id != offer_id:
            raise IllegalTransition(f"The avail is {self.status} and not held by this offer.")
        self._move(AvailAction.BOOK, now)
        self.hold_expires_at = None


@resource(
    kind="offer",
    plural="offers",
    permission="basic.offer",
    default_sort=("-created_at",),
    descriptions={"edit": "Edit draft offers", "delete": "Delete draft offers"},
)
@dataclass(slots=True, kw_only=True)
class Offer(TenantRecord):
    """A promoter's offer to an artist for an event (``booking.OFFER_MACHINE``)."""

    LAPSE: ClassVar[Lapse | None] = OFFER_LAPSE

    event_id: UUID = declared(f.reference, required=True, reference="event", filter=True)
    artist_id: UUID = declared(f.reference, required=True, reference="artist", filter=True)
    avail_id: UUID | None = declared(f.reference, default=None, reference="avail", filter=True)
    deal_type: str = declared(choice(DealType), required=True, filter=True, sort=True)
    guarantee: int = declared(_amount, required=True, sort=True)
    percentage: int | None = declared(_points, default=None)
    """Basis points (0 to 10 000)."""
    split_point: int | None = declared(_amount, default=None)
    currency: str | None = declared(_currency, default=None, filter=True)
    """The event's currency (a body may omit it; another one is 400 CURRENCY_MISMATCH)."""
    expires_at: datetime | None = declared(f.instant, default=None, sort=True)
    terms: str | None = declared(f.text(20_000), default=None)
    status: str = declared(choice(OfferStatus), default=OfferStatus.DRAFT.value, writable=False, filter=True, sort=True)
    version: int = declared(f.whole_number(0, 1_000_000), default=0, writable=False)
    """How many versions of its terms were sent (1 at the first send, +1 per counter)."""
    created_by: UUID | None = declared(f.reference, default=None, writable=False)

    def check(self) -> None:
        check_deal(self.deal_type, self.percentage, self.split_point)

    def change(self, changes: Mapping[str, object], *, now: datetime) -> None:
        OFFER_MACHINE.next(OfferStatus(self.status), OfferAction.EDIT)
        TenantRecord.change(self, changes, now=now)

    def before_delete(self, now: datetime) -> bool:
        OFFER_MACHINE.next(OfferStatus(self.status), OfferAction.DELETE)
        return False

    def act(self, action: OfferAction, now: datetime) -> None:
        """Send, accept, decline or withdraw (409 ILLEGAL_TRANSITION when the machine refuses)."""
        if action is OfferAction.COUNTER:
            raise ValueError("a counter carries terms: use counter()")
        self.status = OFFER_MACHINE.next(OfferStatus(self.status), action).value
        if action is OfferAction.SEND and self.version == 0:
            self.version = 1
        self.updated_at = now

    def counter(self, changes: Mapping[str, object], now: datetime) -> None:
        """New terms from the other side: at least one must change; each counter is a new version."""
        state = OfferStatus(self.status)
        OFFER_MACHINE.next(state, OfferAction.COUNTER)
        outside = sorted(set(changes) - set(OFFER_TERMS))
        if outside:
            raise FieldInvalid.of(FieldIssue(wire_name(name), "cannot be countered") for name in outside)
        clean = self.DECLARATION.clean(changes, creating=False)
        if all(getattr(self, name) == value for name, value in clean.items()):
            raise FieldInvalid("terms", "a counter must change at least one of the offer's terms")
        before = {name: getattr(self, name) for name in clean}
        for name, value in clean.items():
            setattr(self, name, value)
        try:
            self.check()
        except FieldInvalid:
            for name, value in before.items():
                setattr(self, name, value)
            raise
        self.status = OFFER_MACHINE.next(state, OfferAction.COUNTER).value
        self.version += 1
        self.updated_at = now

    def snapshot(self, *, id: UUID, action: str, by: UUID | None, now: datetime) -> OfferVersion:
        """The current terms as version ``self.version``."""
        return OfferVersion(
            id=id,
            company_id=self.company_id,
            offer_id=self.id,
            number=self.version,
            action=action,
            deal_type=self.deal_type,
            guarantee=self.guarantee,
            percentage=self.percentage,
            split_point=self.split_point,
            currency=str(self.currency),
            expires_at=self.expires_at,
            terms=self.terms,
            created_by=by,
            created_at=now,
        )

    def summary(self) -> str:
        """Terms for the agreement of an accepted offer that carries none of its own."""
        parts = [f"Deal: {self.deal_type}", f"guarantee {self.guarantee} ({self.currency} minor units)"]
        if self.percentage is not None:
            parts.append(f"percentage {self.percentage} basis points")
        if self.split_point is not None:
            parts.append(f"split point {self.split_point}")
        return ", ".join(parts) + "."


class NoSigners(Conflict):
    code = "NO_SIGNERS"


@resource(
    kind="agreement",
    plural="agreements",
    permission="basic.agreement",
    default_sort=("-created_at",),
    descriptions={"edit": "Edit draft agreements and void agreements", "delete": "Delete draft agreements"},
)
@dataclass(slots=True, kw_only=True)
class Agreement(TenantRecord):
    """The contract of an accepted offer; its signers live beside it (``booking.Signer``)."""

    offer_id: UUID = declared(f.reference, required=True, reference="offer", unique=True, filter=True)
    event_id: UUID | None = declared(f.reference, default=None, writable=False, filter=True)
    terms: str = declared(f.text(50_000, required=True), required=True)
    status: str = declared(
        choice(AgreementStatus), default=AgreementStatus.DRAFT.value, writable=False, filter=True, sort=True
    )
    sent_at: datetime | None = declared(f.instant, default=None, writable=False)
    signed_at: datetime | None = declared(f.instant, default=None, writable=False, sort=True)
    created_by: UUID | None = declared(f.reference, default=None, writable=False)

    def change(self, changes: Mapping[str, object], *, now: datetime) -> None:
        self.editable()
        TenantRecord.change(self, changes, now=now)

    def editable(self) -> None:
        """Terms and signers are frozen once sent (409 ILLEGAL_TRANSITION)."""
        AGREEMENT_MACHINE.next(AgreementStatus(self.status), AgreementAction.EDIT)

    def before_delete(self, now: datetime) -> bool:
        AGREEMENT_MACHINE.next(AgreementStatus(self.status), AgreementAction.DELETE)
        return False

    def send(self, signers: tuple[Signer, ...], now: datetime) -> None:
        next_state = AGREEMENT_MACHINE.next(AgreementStatus(self.status), AgreementAction.SEND)
        if not signers:
            raise NoSigners("An agreement needs at least one signer before it is sent.")
        self.status, self.sent_at, self.updated_at = next_state.value, now, now

    def sign(self, signers: tuple[Signer, ...], signer_id: UUID, by: UUID, now: datetime) -> Signer:
        """Record that ``signer_id`` signed; the last signature makes the agreement signed."""
        signer = next((s for s in signers if s.id == signer_id), None)
        if signer is None:
            raise UnknownReference("signer_id", "is not a signer of this agreement")
        if signer.signed_at is not None:
            raise IllegalTransition("This signer has already signed.")
        missing = [s for s in signers if s.signed_at is None and s.id != signer_id]
        action = AgreementAction.SIGN if missing else AgreementAction.SIGN_LAST
        self.status = AGREEMENT_MACHINE.next(AgreementStatus(self.status), action).value
        if not missing:
            self.signed_at = now
        self.updated_at = now
        return dataclasses.replace(signer, signed_at=now, signed_by=by)

    def void(self, now: datetime) -> None:
        self.status = AGREEMENT_MACHINE.next(AgreementStatus(self.status), AgreementAction.VOID).value
        self.updated_at = now


@dataclass(frozen=True, slots=True)
class FilePolicy:
    """What an upload may be: at most ``max_bytes``, one of ``allowed_types``."""

    max_bytes: int
    allowed_types: frozenset[str]

    def check(self, *, content_type: str, size: int) -> str:
        kind = content_type.split(";", 1)[0].strip().lower()
        if kind not in self.allowed_types:
            raise FileTypeNotAllowed(kind or "(none)")
        if size > self.max_bytes:
            raise FileTooLarge(self.max_bytes)
        return kind


_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def safe_file_name(raw: str | None) -> str:
    """The last path segment, normalised, without characters that are unsafe in a file name."""
    base = unicodedata.normalize("NFC", (raw or "").replace("\\", "/").rsplit("/", 1)[-1])
    cleaned = _UNSAFE_NAME.sub("_", base).strip(" .")
    return cleaned[:200] or "file"


@resource(
    kind="file",
    plural="files",
    permission="basic.file",
    default_sort=("-created_at",),
    creatable=False,
    descriptions={"view": "See and download files", "create": "Upload files", "edit": "Rename files"},
)
@dataclass(slots=True, kw_only=True)
class StoredFile(TenantRecord):
    """Metadata of an uploaded file; the bytes live in storage under ``storage_key``."""

    name: str = declared(NAME, required=True, sort=True, search=True)
    content_type: str = declared(f.text(255), writable=False, filter=True, sort=True)
    size_bytes: int = declared(f.whole_number(0, 2**62), writable=False, sort=True)
    sha256: str = declared(f.text(64), writable=False)
    storage_key: str = declared(f.text(200), writable=False, shown=False)
    uploaded_by: UUID = declared(f.reference, writable=False)

    @classmethod
    def upload(
        cls,
        *,
        id: UUID,
        company_id: UUID,
        now: datetime,
        name: str | None,
        content_type: str,
        size_bytes: int,
        sha256: str,
        uploaded_by: UUID,
        policy: FilePolicy,
    ) -> StoredFile:
        kind = policy.check(content_type=content_type, size=size_bytes)
        return cls(
            id=id,
            company_id=company_id,
            created_at=now,
            updated_at=now,
            name=safe_file_name(name),
            content_type=kind,
            size_bytes=size_bytes,
            sha256=sha256,
            storage_key=f"{company_id}/{id}",
            uploaded_by=uploaded_by,
        )


# --- Money lines of an event and approvals (tickets, income, expenses, the approval inbox) ---------


def _minor_units(field: str, value: object) -> int | None:
    return None if value is None else amount(value, field)


def _count(field: str, value: object) -> int | None:
    return None if value is None else amount(value, field)


E = TypeVar("E", bound=StrEnum)


def _choice(values: type[E]) -> f.FieldRule:
    """One of the enumeration's values (as text)."""

    def rule(field: str, value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or value not in {member.value for member in values}:
            allowed = ", ".join(member.value for member in values)
            raise FieldInvalid(field, f"must be one of {allowed}")
        return value

    return rule


@dataclass(slots=True, kw_only=True)
class MoneyLine(TenantRecord):
    """A line of an event's money: it settles in the event's one currency (``Event.settles_in``)."""

    event_id: UUID
    currency: str | None

    def settle_with(self, event: Event) -> None:
        """Take the event's currency (the first line may set it); another one is CURRENCY_MISMATCH."""
        self.currency = event.settles_in(self.currency)


@resource(
    kind="ticket",
    plural="tickets",
    permission="basic.ticket",
    parent="event_id",
    counted=False,
    default_sort=("name",),
    descriptions={"view": "See an event's ticket tiers", "create": "Add ticket tiers", "edit": "Edit ticket tiers"},
)
@dataclass(slots=True, kw_only=True)
class TicketTier(MoneyLine):
    """A tier of an event's tickets: ``sold + comps <= capacity``, all at least 0."""

    event_id: UUID = declared(f.reference, reference="event", writable=False)
    name: str = declared(NAME, required=True, sort=True, search=True)
    price: int = declared(_minor_units, required=True, sort=True)
    capacity: int = declared(_count, required=True, sort=True)
    sold: int = declared(_count, default=0, sort=True)
    comps: int = declared(_count, default=0, sort=True)
    currency: str | None = declared(_currency, default=None, filter=True)

    def check(self) -> None:
        for name in ("price", "capacity", "sold", "comps"):
            if getattr(self, name) is None:
                raise FieldInvalid(name, "must not be null")
        if self.sold + self.comps > self.capacity:
            raise FieldInvalid("sold", "sold + comps must not exceed capacity")

    def gross(self) -> int:
        """Ticket revenue of the tier in minor units (price times sold; comps are free)."""
        return self.price * self.sold


@resource(
    kind="income",
    plural="income",
    permission="basic.income",
    parent="event_id",
    counted=False,
    default_sort=("-created_at",),
    descriptions={"view": "See an event's other income", "create": "Add income lines", "edit": "Edit income lines"},
)
@dataclass(slots=True, kw_only=True)
class IncomeLine(MoneyLine):
    """Other revenue of an event (bar, merchandise, sponsorship…)."""

    event_id: UUID = declared(f.reference, reference="event", writable=False)
    category: str = declared(f.text(100, required=True), required=True, filter=True, sort=True)
    description: str | None = declared(f.text(500), default=None, search=True)
    amount: int = declared(_minor_units, required=True, sort=True)
    currency: str | None = declared(_currency, default=None, filter=True)

    def check(self) -> None:
        if self.amount is None:
            raise FieldInvalid("amount", "must not be null")


class ExpenseStatus(StrEnum):
    ESTIMATED = "estimated"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class ExpenseAction(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"


EXPENSE_STATES: Transitions[ExpenseStatus, ExpenseAction] = Transitions(
    "expense",
    {
        (ExpenseStatus.ESTIMATED, ExpenseAction.SUBMIT): ExpenseStatus.SUBMITTED,
        (ExpenseStatus.SUBMITTED, ExpenseAction.APPROVE): ExpenseStatus.APPROVED,
        (ExpenseStatus.SUBMITTED, ExpenseAction.REJECT): ExpenseStatus.REJECTED,
    },
)
"""An expense is estimated, then submitted for approval, then approved or rejected (both final)."""


@resource(
    kind="expense",
    plural="expenses",
    permission="basic.expense",
    parent="event_id",
    counted=False,
    default_sort=("-created_at",),
    descriptions={"view": "See an event's expenses", "create": "Estimate expenses", "edit": "Edit expenses"},
)
@dataclass(slots=True, kw_only=True)
class Expense(MoneyLine):
    """A cost of an event. Its estimate is frozen once submitted; its actual amount is set only once approved."""

    event_id: UUID = declared(f.reference, reference="event", writable=False)
    category: str = declared(f.text(100, required=True), required=True, filter=True, sort=True)
    description: str | None = declared(f.text(500), default=None, search=True)
    vendor_id: UUID | None = declared(f.reference, default=None, reference="vendor", filter=True)
    estimated_amount: int = declared(_minor_units, required=True, sort=True)
    actual_amount: int | None = declared(_minor_units, default=None, sort=True)
    currency: str | None = declared(_currency, default=None, filter=True)
    status: str = declared(
        _choice(ExpenseStatus), default=ExpenseStatus.ESTIMATED.value, writable=False, filter=True, sort=True
    )
    submitted_by: UUID | None = declared(f.reference, default=None, writable=False)
    submitted_at: datetime | None = declared(f.instant, default=None, writable=False, sort=True)

    @property
    def state(self) -> ExpenseStatus:
        return ExpenseStatus(self.status)

    def check(self) -> None:
        if self.estimated_amount is None:
            raise FieldInvalid("estimated_amount", "must not be null")

    def change(self, changes: Mapping[str, object], *, now: datetime) -> None:
        """An estimate (and its currency) is frozen once submitted; an actual amount needs an approved expense."""
        state = self.state
        frozen = {"estimated_amount", "currency"} & set(changes)
        if frozen and state is not ExpenseStatus.ESTIMATED:
            raise IllegalTransition(f"An expense that is {state.value} keeps its estimate.")
        if "actual_amount" in changes and state is not ExpenseStatus.APPROVED:
            raise IllegalTransition(f"An expense that is {state.value} cannot take an actual amount; approve it first.")
        TenantRecord.change(self, changes, now=now)

    def before_delete(self, now: datetime) -> bool:
        if self.state is not ExpenseStatus.ESTIMATED:
            raise IllegalTransition(f"An expense that is {self.status} cannot be deleted; its approval keeps it.")
        return False

    def submit(self, *, by: UUID, now: datetime) -> None:
        self.status = EXPENSE_STATES.next(self.state, ExpenseAction.SUBMIT).value
        self.submitted_by, self.submitted_at, self.updated_at = by, now, now

    def decide(self, action: ExpenseAction, *, now: datetime) -> None:
        self.status = EXPENSE_STATES.next(self.state, action).value
        self.updated_at = now

    def settled_amount(self) -> int:
        """What the expense costs: its actual amount once set, else its estimate."""
        return self.estimated_amount if self.actual_amount is None else self.actual_amount


class ApprovalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ApprovalAction(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


APPROVAL_STATES: Transitions[ApprovalStatus, ApprovalAction] = Transitions(
    "approval",
    {
        (ApprovalStatus.PENDING, ApprovalAction.APPROVE): ApprovalStatus.APPROVED,
        (ApprovalStatus.PENDING, ApprovalAction.REJECT): ApprovalStatus.REJECTED,
    },
)
"""A request is decided once: approved or rejected, never both, never twice."""


class SelfApproval(Forbidden):
    """Four eyes: whoever asked for an approval never decides it (HTTP 403)."""

    code = "SELF_APPROVAL"


class ApprovalSubject(StrEnum):
    """What an approval may be about (expenses today; later kinds join here)."""

    EXPENSE = "expense"


@resource(
    kind="approval",
    plural="approvals",
    permission="basic.approval",
    default_sort=("-created_at",),
    counted=False,
    creatable=False,
    editable=False,
    deletable=False,
    descriptions={"view": "See the approval inbox"},
)
@dataclass(slots=True, kw_only=True)
class Approval(TenantRecord):
    """A request that someone other than its requester approves or rejects (four eyes)."""

    subject_kind: str = declared(_choice(ApprovalSubject), writable=False, filter=True, sort=True)
    subject_id: UUID = declared(f.reference, writable=False, filter=True)
    event_id: UUID | None = declared(f.reference, default=None, reference="event", writable=False, filter=True)
    summary: str = declared(f.text(500), writable=False, search=True)
    amount: int | None = declared(_minor_units, default=None, writable=False, sort=True)
    currency: str | None = declared(_currency, default=None, writable=False)
    status: str = declared(
        _choice(ApprovalStatus), default=ApprovalStatus.PENDING.value, writable=False, filter=True, sort=True
    )
    requested_by: UUID = declared(f.reference, writable=False, filter=True)
    decided_by: UUID | None = declared(f.reference, default=None, writable=False)
    decided_at: datetime | None = declared(f.instant, default=None, writable=False, sort=True)
    reason: str | None = declared(f.text(1000), default=None, writable=False)

    @property
    def state(self) -> ApprovalStatus:
        return ApprovalStatus(self.status)

    @classmethod
    def of_expense(cls, expense: Expense, *, id: UUID, by: UUID, now: datetime) -> Approval:
        label = expense.category if expense.description is None else f"{expense.category}: {expense.description}"
        return cls(
            id=id,
            company_id=expense.company_id,
            created_at=now,
            updated_at=now,
            subject_kind=ApprovalSubject.EXPENSE.value,
            subject_id=expense.id,
            event_id=expense.event_id,
            summary=label[:500],
            amount=expense.estimated_amount,
            currency=expense.currency,
            requested_by=by,
        )

    def decide(self, action: ApprovalAction, *, by: UUID, now: datetime, reason: str | None = None) -> None:
        """Approve or reject; never by the requester (403 SELF_APPROVAL), never twice (409)."""
        if by == self.requested_by:
            raise SelfApproval("You asked for this approval: someone else must decide it.")
        self.status = APPROVAL_STATES.next(self.state, action).value
        self.decided_by, self.decided_at, self.updated_at = by, now, now
        self.reason = reason


RECORD_TYPES: Mapping[ResourceKind, type[TenantRecord]] = {
    ResourceKind(record_type.DECLARATION.kind): record_type
    for record_type in (
        *(Artist, Event, Agency, Vendor, Venue, Task, StoredFile),
        *(Avail, Offer, Agreement),
        *(TicketTier, IncomeLine, Expense, Approval),
    )
}
"""Every Base resource; the routes, the repositories and the dashboard are built from this."""

if set(RECORD_TYPES) != set(ResourceKind):
    raise TypeError("every ResourceKind needs its declared record type in RECORD_TYPES")

RESTRICTED_BY: Mapping[ResourceKind, tuple[tuple[ResourceKind, str], ...]] = {
    ResourceKind.ARTIST: ((ResourceKind.AVAIL, "artist_id"), (ResourceKind.OFFER, "artist_id")),
    ResourceKind.EVENT: ((ResourceKind.OFFER, "event_id"),),
    ResourceKind.OFFER: ((ResourceKind.AGREEMENT, "offer_id"),),
}
"""DELETE of a record that these (kind, field) point at is refused (409 RECORD_IN_USE, naming them).
Links not listed here are unlinked instead (an artist leaves events' ``artistIds``; a deleted
venue leaves its events without a venue)."""


@dataclass(slots=True, kw_only=True)
class CompanyProfile:
    """A company's business metadata as the Base module keeps it (the registry lives in core)."""

    RULES: ClassVar[Mapping[str, f.FieldRule]] = {
        "display_name": f.text(200),
        "legal_name": f.text(200),
        "tax_id": f.text(50),
        "email": f.email,
        "phone": f.text(50),
        "website": f.url,
        "address": f.text(500),
        "city": f.text(100),
        "country": f.upper_code(2),
        "currency": _currency,
        "timezone": _timezone,
    }

    company_id: UUID
    display_name: str | None = None
    legal_name: str | None = None
    tax_id: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    address: str | None = None
    city: str | None = None
    country: str | None = None
    currency: str | None = None
    timezone: str | None = None
    updated_at: datetime | None = None

    @property
    def shown_display_name(self) -> str | None:
        """The display name, else the legal name: the registry's name lives in core, which the Base
        backend does not ask on each read; the legal name is the company's own name as it set it here."""
        return self.display_name or self.legal_name

    def change(self, changes: Mapping[str, object], *, now: datetime) -> None:
        unknown = sorted(set(changes) - set(self.RULES))
        if unknown:
            raise FieldInvalid(unknown[0], "is not a field of the company profile")
        clean = {name: self.RULES[name](name, value) for name, value in changes.items()}
        for name, value in clean.items():
            setattr(self, name, value)
        self.updated_at = now
