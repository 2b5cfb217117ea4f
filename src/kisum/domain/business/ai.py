"""AI: suggestion requests, what each kind needs in its context, and the record of each answer.

A request names a ``kind`` and carries a JSON ``context``. The context is parsed here into a
typed brief per kind (unknown keys and ill-typed values are refused, naming ``context.<key>``),
so a provider only ever sees valid briefs. Every answered request is kept for the company as a
``SuggestionRecord`` (request, result, which provider answered, when, who asked).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Final
from uuid import UUID

from kisum.domain.business.shared import amount_minor, currency_code, parse_enum
from kisum.domain.errors import FieldInvalid, NotFound

MAX_SONGS: Final = 100
MAX_TEXT: Final = 200


class SuggestionNotFound(NotFound):
    code = "SUGGESTION_NOT_FOUND"


class SuggestionKind(StrEnum):
    SETLIST = "setlist"
    EVENT_DESCRIPTION = "event-description"
    PRICING = "pricing"


class Tone(StrEnum):
    FORMAL = "formal"
    CASUAL = "casual"
    HYPE = "hype"


def parse_kind(value: str) -> SuggestionKind:
    return parse_enum(SuggestionKind, value, "kind")


class _Context:
    """Typed reads from a JSON object, naming ``context.<key>`` on any error."""

    def __init__(self, raw: Mapping[str, object], allowed: frozenset[str]) -> None:
        unknown = sorted(set(raw) - allowed)
        if unknown:
            raise FieldInvalid(f"context.{unknown[0]}", "is not a field of this kind of request")
        self.raw = raw

    def _name(self, key: str) -> str:
        return f"context.{key}"

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.raw.get(key)
        if value is None:
            if required:
                raise FieldInvalid(self._name(key), "is required")
            return None
        if not isinstance(value, str):
            raise FieldInvalid(self._name(key), "must be a string")
        cleaned = value.strip()
        if len(cleaned) > MAX_TEXT:
            raise FieldInvalid(self._name(key), f"must be at most {MAX_TEXT} characters")
        if not cleaned:
            if required:
                raise FieldInvalid(self._name(key), "must not be empty")
            return None
        return cleaned

    def integer(self, key: str, *, default: int | None, low: int, high: int) -> int:
        value = self.raw.get(key)
        if value is None:
            if default is None:
                raise FieldInvalid(self._name(key), "is required")
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldInvalid(self._name(key), "must be a whole number")
        if not low <= value <= high:
            raise FieldInvalid(self._name(key), f"must be between {low} and {high}")
        return value


@dataclass(frozen=True, slots=True)
class SetlistBrief:
    """Songs to order; an optional opener and closer (both among the songs); encore size."""

    songs: tuple[str, ...]
    opener: str | None = None
    closer: str | None = None
    encore_size: int = 1

    @classmethod
    def parse(cls, raw: Mapping[str, object]) -> SetlistBrief:
        context = _Context(raw, frozenset({"songs", "opener", "closer", "encoreSize"}))
        songs_raw = raw.get("songs")
        if not isinstance(songs_raw, list) or not songs_raw:
            raise FieldInvalid("context.songs", "must be a non-empty list of song titles")
        if len(songs_raw) > MAX_SONGS:
            raise FieldInvalid("context.songs", f"may hold at most {MAX_SONGS} songs")
        songs: list[str] = []
        seen: set[str] = set()
        for title in songs_raw:
            if not isinstance(title, str) or not title.strip() or len(title.strip()) > MAX_TEXT:
                raise FieldInvalid("context.songs", f"every title must be a string of 1 to {MAX_TEXT} characters")
            cleaned = title.strip()
            if cleaned.casefold() in seen:
                raise FieldInvalid("context.songs", f"{cleaned!r} is listed twice")
            seen.add(cleaned.casefold())
            songs.append(cleaned)
        opener, closer = context.text("opener"), context.text("closer")
        for key, song in (("opener", opener), ("closer", closer)):
            if song is not None and song.casefold() not in seen:
                raise FieldInvalid(f"context.{key}", "must be one of the songs")
        if opener is not None and closer is not None and opener.casefold() == closer.casefold():
            raise FieldInvalid("context.closer", "must differ from the opener")
        encore = context.integer("encoreSize", default=1, low=0, high=max(0, len(songs) - 1))
        return cls(tuple(songs), opener, closer, encore)


@dataclass(frozen=True, slots=True)
class EventDescriptionBrief:
    event_name: str
    artist_name: str | None = None
    venue_name: str | None = None
    city: str | None = None
    on: date | None = None
    genre: str | None = None
    tone: Tone = Tone.CASUAL

    @classmethod
    def parse(cls, raw: Mapping[str, object]) -> EventDescriptionBrief:
        context = _Context(raw, frozenset({"eventName", "artistName", "venueName", "city", "date", "genre", "tone"}))
        event_name = context.text("eventName", required=True)
        assert event_name is not None
        raw_date = context.text("date")
        on: date | None = None
        if raw_date is not None:
            try:
                on = date.fromisoformat(raw_date)
            except ValueError:
                raise FieldInvalid("context.date", "must be an ISO date such as 2025-06-30") from None
        tone_raw = context.text("tone")
        return cls(
            event_name=event_name,
            artist_name=context.text("artistName"),
            venue_name=context.text("venueName"),
            city=context.text("city"),
            on=on,
            genre=context.text("genre"),
            tone=Tone.CASUAL if tone_raw is None else parse_enum(Tone, tone_raw, "context.tone"),
        )


@dataclass(frozen=True, slots=True)
class PricingBrief:
    """What a show costs, how many can attend, and the margin the promoter wants."""

    capacity: int
    costs_minor: int
    currency: str
    target_margin_percent: int = 20
    sell_through_percent: int = 80

    @classmethod
    def parse(cls, raw: Mapping[str, object]) -> PricingBrief:
        context = _Context(
            raw, frozenset({"capacity", "costsMinor", "currency", "targetMarginPercent", "sellThroughPercent"})
        )
        currency = context.text("currency", required=True)
        assert currency is not None
        return cls(
            capacity=context.integer("capacity", default=None, low=1, high=1_000_000),
            costs_minor=amount_minor(
                context.integer("costsMinor", default=None, low=0, high=10**12), "context.costsMinor"
            ),
            currency=currency_code(currency, "context.currency"),
            target_margin_percent=context.integer("targetMarginPercent", default=20, low=0, high=500),
            sell_through_percent=context.integer("sellThroughPercent", default=80, low=1, high=100),
        )


Brief = SetlistBrief | EventDescriptionBrief | PricingBrief


def parse_brief(kind: SuggestionKind, context: Mapping[str, object]) -> Brief:
    if kind is SuggestionKind.SETLIST:
        return SetlistBrief.parse(context)
    if kind is SuggestionKind.EVENT_DESCRIPTION:
        return EventDescriptionBrief.parse(context)
    return PricingBrief.parse(context)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One proposal: a title, a text, optional ordered items, optional price."""

    title: str
    body: str
    items: tuple[str, ...] = ()
    amount_minor: int | None = None
    currency: str | None = None


@dataclass(frozen=True, slots=True)
class SuggestionRecord:
    id: UUID
    company_id: UUID
    requested_by: UUID | None
    kind: SuggestionKind
    context: Mapping[str, object]
    suggestions: Sequence[Suggestion]
    provider: str
    created_at: datetime
