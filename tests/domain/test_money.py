"""Money rules: integer minor units, ISO 4217 codes, one half-up rounding per share."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisum.domain.errors import FieldInvalid
from kisum.domain.money import MAX_AMOUNT, CurrencyMismatch, Money, amount, basis_points, currency_code, share


@pytest.mark.parametrize(("raw", "code"), [("EUR", "EUR"), (" usd ", "USD"), ("jpy", "JPY")])
def test_currency_codes_are_iso_4217_upper_case(raw: str, code: str) -> None:
    assert currency_code(raw) == code


@pytest.mark.parametrize("raw", ["EURO", "XYZ", "", "E1R", 978, None])
def test_unknown_currency_is_refused_naming_the_field(raw: object) -> None:
    with pytest.raises(FieldInvalid) as raised:
        currency_code(raw, "currency")
    assert raised.value.field == "currency"


@pytest.mark.parametrize(("base", "points", "expected"), [(1000, 1500, 150), (5, 5000, 3), (15, 3333, 5), (1, 4999, 0)])
def test_share_rounds_half_up_once(base: int, points: int, expected: int) -> None:
    assert share(base, points) == expected


@given(st.integers(-MAX_AMOUNT, MAX_AMOUNT), st.integers(0, 10_000))
def test_share_never_changes_sign_and_stays_within_the_base(base: int, points: int) -> None:
    result = share(base, points)
    assert abs(result) <= abs(base)
    assert result == 0 or (result > 0) == (base > 0)
    assert abs(result * 10_000 - base * points) <= 5_000  # within half a minor unit


@pytest.mark.parametrize("raw", [-1, MAX_AMOUNT + 1, 1.5, True, "10"])
def test_amounts_are_whole_non_negative_minor_units(raw: object) -> None:
    with pytest.raises(FieldInvalid):
        amount(raw, "price")


@pytest.mark.parametrize("raw", [-1, 10_001, 50.0, False])
def test_basis_points_are_whole_and_at_most_ten_thousand(raw: object) -> None:
    with pytest.raises(FieldInvalid):
        basis_points(raw, "percentage")


def test_money_of_two_currencies_does_not_mix() -> None:
    assert Money(5, "EUR") + Money(7, "EUR") == Money(12, "EUR")
    assert (Money(5, "EUR") - Money(7, "EUR")).amount == -2
    with pytest.raises(CurrencyMismatch) as raised:
        _ = Money(5, "EUR") + Money(5, "USD")
    assert raised.value.code == "CURRENCY_MISMATCH"
