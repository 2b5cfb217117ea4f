"""The local template provider: deterministic, rule-based answers for each kind of brief."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisum.adapters.suggestions.templates import TemplateSuggestionProvider, format_money
from kisum.domain.business.ai import EventDescriptionBrief, PricingBrief, SetlistBrief, Tone

provider = TemplateSuggestionProvider()


async def test_setlists_keep_opener_first_closer_last_and_every_song_once() -> None:
    brief = SetlistBrief(("Intro", "A", "B", "C", "Finale"), opener="Intro", closer="Finale", encore_size=1)
    for suggestion in await provider.suggest(brief):
        songs = [item.removeprefix("Encore: ") for item in suggestion.items]
        assert sorted(songs) == sorted(brief.songs)
        assert suggestion.items[0] == "Intro"
        assert suggestion.items[-2] == "Finale"
        assert suggestion.items[-1].startswith("Encore: ")


@given(
    songs=st.lists(
        st.text(alphabet="abcdefgh", min_size=1, max_size=8), min_size=1, max_size=12, unique_by=str.casefold
    )
)
async def test_setlists_are_the_same_for_the_same_brief(songs: list[str]) -> None:
    brief = SetlistBrief(tuple(songs), encore_size=0)
    assert await provider.suggest(brief) == await provider.suggest(SetlistBrief(tuple(songs), encore_size=0))


async def test_descriptions_use_the_details_given() -> None:
    brief = EventDescriptionBrief(
        "Summer Gala", artist_name="The Band", venue_name="Arena", city="Oslo", on=date(2025, 6, 30), tone=Tone.FORMAL
    )
    short, standard, social = await provider.suggest(brief)
    assert "The Band" in short.body
    assert "Arena, Oslo" in standard.body
    assert "Monday 30 June 2025" in standard.body
    assert social.items == ("#SummerGala", "#TheBand", "#Oslo")


async def test_prices_cover_costs_and_reach_the_margin() -> None:
    brief = PricingBrief(capacity=400, costs_minor=800_000, currency="EUR", target_margin_percent=25)
    break_even, standard, early, vip = await provider.suggest(brief)
    assert break_even.amount_minor == 2500  # 320 sold tickets pay 8000.00 EUR
    assert standard.amount_minor == 3150  # 10000.00 / 320 = 31.25 -> rounded up to 31.50
    assert break_even.amount_minor <= early.amount_minor <= standard.amount_minor < vip.amount_minor
    assert standard.amount_minor * 320 >= 800_000 * 125 // 100


@pytest.mark.parametrize(("amount", "currency", "text"), [(123_456, "EUR", "1234.56 EUR"), (5000, "JPY", "5000 JPY")])
def test_money_is_formatted_by_the_currency_minor_unit(amount: int, currency: str, text: str) -> None:
    assert format_money(amount, currency) == text
