"""Shared values of the module backends: partial updates, field errors, pages, money fields."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisum.domain.business.shared import (
    KEEP,
    MAX_AMOUNT_MINOR,
    amount_minor,
    changed,
    currency_code,
    optional_text,
    required_text,
    utc,
)
from kisum.domain.errors import FieldInvalid
from kisum.domain.paging import PageRequest


def test_changed_keeps_value_when_field_is_not_given() -> None:
    assert changed("old", KEEP) == "old"
    assert changed("old", None) is None
    assert changed("old", "new") == "new"


def test_required_text_trims_and_names_the_field_when_blank() -> None:
    assert required_text("  Catering ", "category", max_length=20) == "Catering"
    with pytest.raises(FieldInvalid) as caught:
        required_text("   ", "category", max_length=20)
    assert caught.value.field == "category"
    assert caught.value.detail.startswith("category:")
    assert caught.value.code == "VALIDATION_ERROR"


def test_required_text_refuses_text_longer_than_the_limit() -> None:
    with pytest.raises(FieldInvalid, match="at most 3"):
        required_text("abcd", "name", max_length=3)


def test_optional_text_turns_blank_into_none() -> None:
    assert optional_text("  ", "note", max_length=5) is None
    assert optional_text(None, "note", max_length=5) is None


@pytest.mark.parametrize("raw", ["eu", "EURO", "E1R", ""])
def test_currency_code_refuses_anything_but_three_letters(raw: str) -> None:
    with pytest.raises(FieldInvalid, match="currency"):
        currency_code(raw)


def test_currency_code_is_stored_upper_case() -> None:
    assert currency_code(" eur ") == "EUR"


@pytest.mark.parametrize("raw", [-1, MAX_AMOUNT_MINOR + 1, True])
def test_amount_minor_refuses_negative_huge_and_boolean_values(raw: int) -> None:
    with pytest.raises(FieldInvalid, match="amount"):
        amount_minor(raw, "amount")


def test_utc_refuses_naive_datetimes_and_normalises_offsets() -> None:
    with pytest.raises(FieldInvalid, match="startsAt"):
        utc(datetime(2025, 1, 1, 20, 0), "startsAt")
    local = datetime(2025, 1, 1, 20, 0, tzinfo=timezone(timedelta(hours=2)))
    assert utc(local, "startsAt") == datetime(2025, 1, 1, 18, 0, tzinfo=UTC)


@given(page=st.integers(min_value=1, max_value=10_000), limit=st.integers(min_value=1, max_value=100))
def test_page_request_offset_skips_whole_pages(page: int, limit: int) -> None:
    assert PageRequest(page, limit).offset == (page - 1) * limit


@pytest.mark.parametrize(("page", "limit", "field"), [(0, 20, "page"), (1, 0, "limit"), (1, 101, "limit")])
def test_page_request_names_the_bad_parameter(page: int, limit: int, field: str) -> None:
    with pytest.raises(FieldInvalid) as caught:
        PageRequest(page, limit)
    assert caught.value.field == field
