"""The one interval of time of the domain: subscriptions, campaigns, holds and calendar views.

An ``Interval`` runs from ``starts_at`` to ``ends_at``. Its variants are parameters, not types:

- ``includes_end``: half-open ``[start, end)`` (the default: back-to-back intervals do not
  overlap, and an empty one is refused) or closed ``[start, end]`` (one instant is allowed);
- open sides: a bound of ``None`` is open on that side (a subscription with no end). The
  type says which: ``Interval[datetime]`` has both bounds, ``Interval[datetime | None]`` may not.

Both bounds must carry a timezone. ``Interval.of`` is the constructor for input: it names the
fields as the client sent them (``startsAt``/``endsAt`` by default, ``from``/``to`` for a
calendar) and normalises both bounds to UTC. A broken interval is a ``FieldInvalid`` naming the
wire field; a context that keeps an older code subclasses ``Interval`` and overrides
``refuse`` (core's ``Window`` answers ``INVALID_WINDOW``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar

from kisum.domain.errors import FieldInvalid, FieldIssue

B = TypeVar("B", bound=datetime | None)

START_FIELD = "startsAt"
END_FIELD = "endsAt"


def _issue(
    starts_at: datetime | None, ends_at: datetime | None, includes_end: bool, start_field: str, end_field: str
) -> FieldIssue | None:
    """What is wrong with these bounds, or None: the one rule of every interval."""
    for bound, name in ((starts_at, start_field), (ends_at, end_field)):
        if bound is not None and (bound.tzinfo is None or bound.utcoffset() is None):
            return FieldIssue(name, "must carry a timezone offset")
    if starts_at is not None and ends_at is not None:
        if includes_end and ends_at < starts_at:
            return FieldIssue(end_field, f"must not be before {start_field}")
        if not includes_end and ends_at <= starts_at:
            return FieldIssue(end_field, f"must be after {start_field}")
    return None


@dataclass(frozen=True, slots=True)
class Interval(Generic[B]):
    """``[starts_at, ends_at)``, or ``[starts_at, ends_at]`` when ``includes_end``; None = open."""

    starts_at: B
    ends_at: B
    includes_end: bool = False

    def __post_init__(self) -> None:
        issue = _issue(self.starts_at, self.ends_at, self.includes_end, START_FIELD, END_FIELD)
        if issue is not None:
            raise self.refuse(issue)

    @classmethod
    def refuse(cls, issue: FieldIssue) -> FieldInvalid:
        """The error for a broken interval (a subclass may give its context's code)."""
        return FieldInvalid.of([issue])

    @classmethod
    def of(
        cls,
        starts_at: B,
        ends_at: B,
        *,
        includes_end: bool = False,
        start_field: str = START_FIELD,
        end_field: str = END_FIELD,
    ) -> Interval[B]:
        """From client input: checked with the client's field names, both bounds in UTC."""
        issue = _issue(starts_at, ends_at, includes_end, start_field, end_field)
        if issue is not None:
            raise cls.refuse(issue)
        return cls(_in_utc(starts_at), _in_utc(ends_at), includes_end)

    def contains(self, at: datetime) -> bool:
        if self.starts_at is not None and at < self.starts_at:
            return False
        if self.ends_at is None:
            return True
        return at <= self.ends_at if self.includes_end else at < self.ends_at

    def overlaps(self, other: Interval[datetime] | Interval[datetime | None]) -> bool:
        """Do the two share an instant? (Half-open intervals that only touch do not.)"""
        return _before_end(other.starts_at, self.ends_at, self.includes_end) and _before_end(
            self.starts_at, other.ends_at, other.includes_end
        )

    def boundaries(self) -> tuple[datetime, ...]:
        """The bounds that exist, in order."""
        return tuple(bound for bound in (self.starts_at, self.ends_at) if bound is not None)


def _before_end(start: datetime | None, end: datetime | None, includes_end: bool) -> bool:
    """Does something starting at ``start`` (None: always) begin before an interval ending at ``end``?"""
    if end is None or start is None:
        return True
    return start <= end if includes_end else start < end


def _in_utc(value: B) -> B:
    return value.astimezone(UTC) if value is not None else value
