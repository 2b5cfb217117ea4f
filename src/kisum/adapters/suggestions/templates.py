"""The local suggestion provider: rules and templates, no network, no model.

Same brief in, same suggestions out (nothing random, nothing from the clock), so answers can be
tested and cached. A model-backed provider can replace it behind the same port.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Final

from kisum.domain.business.ai import (
    Brief,
    EventDescriptionBrief,
    PricingBrief,
    SetlistBrief,
    Suggestion,
    Tone,
)

PROVIDER_NAME: Final = "local-templates/1"
PRICE_STEP_MINOR: Final = 50
"""Ticket prices are rounded up to a multiple of this many minor units."""
ZERO_DECIMAL_CURRENCIES: Final = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"}
)


class TemplateSuggestionProvider:
    @property
    def name(self) -> str:
        return PROVIDER_NAME

    async def suggest(self, brief: Brief) -> Sequence[Suggestion]:
        if isinstance(brief, SetlistBrief):
            return setlists(brief)
        if isinstance(brief, EventDescriptionBrief):
            return descriptions(brief)
        return prices(brief)


# --- setlists ----------------------------------------------------------------------------------


def _stable_rank(title: str) -> str:
    return hashlib.sha256(title.casefold().encode()).hexdigest()


def _arrange(brief: SetlistBrief, middle: list[str]) -> tuple[str, ...]:
    """Opener first, closer last of the main set; the last ``encore_size`` of ``middle`` are the encore."""
    split = len(middle) - brief.encore_size
    main, encore = middle[:split], middle[split:]
    ordered = [*([brief.opener] if brief.opener else []), *main, *([brief.closer] if brief.closer else [])]
    return (*ordered, *(f"Encore: {song}" for song in encore))


def setlists(brief: SetlistBrief) -> list[Suggestion]:
    fixed = {song.casefold() for song in (brief.opener, brief.closer) if song}
    rest = [song for song in brief.songs if song.casefold() not in fixed]
    encore = min(brief.encore_size, len(rest))
    brief = SetlistBrief(brief.songs, brief.opener, brief.closer, encore)
    variants = (
        ("Your order", "Keeps the order you gave; the last songs become the encore.", rest),
        (
            "Mixed running order",
            "A reshuffle that breaks up the order the songs were listed in.",
            sorted(rest, key=_stable_rank),
        ),
        (
            "Reversed build",
            "Starts with what you listed last and builds towards your first picks.",
            list(reversed(rest)),
        ),
    )
    main_size = len(brief.songs) - encore
    summary = f" Main set of {main_size} songs" + (f", encore of {encore}." if encore else ", no encore.")
    return [Suggestion(title, body + summary, _arrange(brief, order)) for title, body, order in variants]


# --- event descriptions ------------------------------------------------------------------------


def _place(brief: EventDescriptionBrief) -> str:
    if brief.venue_name and brief.city:
        return f" at {brief.venue_name}, {brief.city}"
    if brief.venue_name:
        return f" at {brief.venue_name}"
    return f" in {brief.city}" if brief.city else ""


def _when(brief: EventDescriptionBrief) -> str:
    on = brief.on
    return f" on {on:%A} {on.day} {on:%B %Y}" if on else ""


def _hashtag(text: str) -> str:
    return "#" + "".join(part.capitalize() for part in "".join(c if c.isalnum() else " " for c in text).split())


def descriptions(brief: EventDescriptionBrief) -> list[Suggestion]:
    who = brief.artist_name or brief.event_name
    place, when = _place(brief), _when(brief)
    genre = f" {brief.genre}" if brief.genre else ""
    openers = {
        Tone.FORMAL: f"{brief.event_name} presents {who} in concert{place}{when}.",
        Tone.CASUAL: f"Catch {who} live{place}{when}!",
        Tone.HYPE: f"{who.upper()} LIVE{place.upper()}{when.upper()} - this is the one you cannot miss!",
    }
    middles = {
        Tone.FORMAL: f"An evening of{genre or ' live'} music, performed in full.",
        Tone.CASUAL: f"Expect a night of{genre or ' great live'} music with friends.",
        Tone.HYPE: f"Loud{genre}, packed and unforgettable.",
    }
    closers = {
        Tone.FORMAL: "Tickets are available now.",
        Tone.CASUAL: "Grab your tickets before they are gone.",
        Tone.HYPE: "Tickets are flying - get yours now!",
    }
    first, middle, last = openers[brief.tone], middles[brief.tone], closers[brief.tone]
    tags = [_hashtag(text) for text in (brief.event_name, brief.artist_name, brief.city, brief.genre) if text]
    unique_tags = tuple(dict.fromkeys(tag for tag in tags if len(tag) > 1))
    return [
        Suggestion("Short", f"{first} {last}"),
        Suggestion("Standard", f"{first} {middle} {last}"),
        Suggestion("Social post", f"{first} {' '.join(unique_tags)}".strip(), unique_tags),
    ]


# --- pricing -----------------------------------------------------------------------------------


def _ceil_div(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


def _round_up(amount: int) -> int:
    return _ceil_div(amount, PRICE_STEP_MINOR) * PRICE_STEP_MINOR


def format_money(amount: int, currency: str) -> str:
    if currency in ZERO_DECIMAL_CURRENCIES:
        return f"{amount} {currency}"
    return f"{amount // 100}.{amount % 100:02d} {currency}"


def prices(brief: PricingBrief) -> list[Suggestion]:
    sold = max(1, _ceil_div(brief.capacity * brief.sell_through_percent, 100))
    break_even = _round_up(_ceil_div(brief.costs_minor, sold))
    standard = _round_up(_ceil_div(brief.costs_minor * (100 + brief.target_margin_percent), 100 * sold))
    early = max(break_even, _round_up(standard * 85 // 100))
    vip = _round_up(standard * 2)
    early_seats, vip_seats = max(1, brief.capacity // 5), max(1, brief.capacity // 10)

    def money(amount: int) -> str:
        return format_money(amount, brief.currency)

    return [
        Suggestion(
            "Break-even price",
            f"Selling {sold} of {brief.capacity} tickets ({brief.sell_through_percent}%) at {money(break_even)} "
            f"covers costs of {money(brief.costs_minor)}.",
            amount_minor=break_even,
            currency=brief.currency,
        ),
        Suggestion(
            "Standard ticket",
            f"{money(standard)} reaches the {brief.target_margin_percent}% target margin at "
            f"{brief.sell_through_percent}% sell-through.",
            amount_minor=standard,
            currency=brief.currency,
        ),
        Suggestion(
            "Early bird",
            f"{money(early)} for the first {early_seats} tickets, about 15% below standard and never below "
            "break-even, to build early momentum.",
            amount_minor=early,
            currency=brief.currency,
        ),
        Suggestion(
            "VIP",
            f"{money(vip)} for up to {vip_seats} tickets with extras (early entry, merch bundle).",
            amount_minor=vip,
            currency=brief.currency,
        ),
    ]
