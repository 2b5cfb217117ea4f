"""AI rules: what each kind of suggestion request needs in its context."""

from __future__ import annotations

from datetime import date

import pytest

from kisum.domain.business.ai import (
    EventDescriptionBrief,
    PricingBrief,
    SetlistBrief,
    SuggestionKind,
    Tone,
    parse_brief,
    parse_kind,
)
from kisum.domain.errors import FieldInvalid


def test_unknown_kind_is_refused_naming_kind() -> None:
    with pytest.raises(FieldInvalid) as caught:
        parse_kind("poster")
    assert caught.value.field == "kind"


def test_setlist_brief_keeps_titles_and_defaults_the_encore() -> None:
    brief = parse_brief(SuggestionKind.SETLIST, {"songs": [" Intro ", "Hit"], "opener": "intro"})
    assert brief == SetlistBrief(("Intro", "Hit"), opener="intro", closer=None, encore_size=1)


@pytest.mark.parametrize(
    ("context", "field"),
    [
        ({}, "context.songs"),
        ({"songs": []}, "context.songs"),
        ({"songs": ["A", "a"]}, "context.songs"),
        ({"songs": ["A", 3]}, "context.songs"),
        ({"songs": ["A", "B"], "opener": "C"}, "context.opener"),
        ({"songs": ["A", "B"], "opener": "A", "closer": "a"}, "context.closer"),
        ({"songs": ["A", "B"], "encoreSize": 2}, "context.encoreSize"),
        ({"songs": ["A"], "tempo": "fast"}, "context.tempo"),
    ],
)
def test_setlist_brief_names_the_bad_context_field(context: dict[str, object], field: str) -> None:
    with pytest.raises(FieldInvalid) as caught:
        parse_brief(SuggestionKind.SETLIST, context)
    assert caught.value.field == field


def test_event_description_brief_parses_date_and_tone() -> None:
    brief = parse_brief(SuggestionKind.EVENT_DESCRIPTION, {"eventName": "Gala", "date": "2025-06-30", "tone": "formal"})
    assert brief == EventDescriptionBrief("Gala", on=date(2025, 6, 30), tone=Tone.FORMAL)


@pytest.mark.parametrize(
    ("context", "field"),
    [
        ({}, "context.eventName"),
        ({"eventName": "Gala", "date": "30/06/2025"}, "context.date"),
        ({"eventName": "Gala", "tone": "angry"}, "context.tone"),
        ({"eventName": 12}, "context.eventName"),
    ],
)
def test_event_description_brief_names_the_bad_context_field(context: dict[str, object], field: str) -> None:
    with pytest.raises(FieldInvalid) as caught:
        parse_brief(SuggestionKind.EVENT_DESCRIPTION, context)
    assert caught.value.field == field


def test_pricing_brief_applies_defaults() -> None:
    brief = parse_brief(SuggestionKind.PRICING, {"capacity": 500, "costsMinor": 1_000_000, "currency": "eur"})
    assert brief == PricingBrief(500, 1_000_000, "EUR", target_margin_percent=20, sell_through_percent=80)


@pytest.mark.parametrize(
    ("context", "field"),
    [
        ({"costsMinor": 1, "currency": "EUR"}, "context.capacity"),
        ({"capacity": 0, "costsMinor": 1, "currency": "EUR"}, "context.capacity"),
        ({"capacity": 10, "costsMinor": -1, "currency": "EUR"}, "context.costsMinor"),
        ({"capacity": 10, "costsMinor": 1, "currency": "EURO"}, "context.currency"),
        ({"capacity": 10, "costsMinor": 1, "currency": "EUR", "sellThroughPercent": 0}, "context.sellThroughPercent"),
        ({"capacity": True, "costsMinor": 1, "currency": "EUR"}, "context.capacity"),
    ],
)
def test_pricing_brief_names_the_bad_context_field(context: dict[str, object], field: str) -> None:
    with pytest.raises(FieldInvalid) as caught:
        parse_brief(SuggestionKind.PRICING, context)
    assert caught.value.field == field
