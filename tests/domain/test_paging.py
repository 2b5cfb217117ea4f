from __future__ import annotations

import pytest

from kisum.domain.errors import FieldInvalid
from kisum.domain.paging import DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, PageRequest


def test_the_default_page_is_the_first_twenty() -> None:
    request = PageRequest()
    assert (request.page, request.limit, request.offset) == (1, DEFAULT_PAGE_LIMIT, 0)


def test_the_offset_counts_whole_pages() -> None:
    assert PageRequest(3, 10).offset == 20


@pytest.mark.parametrize("limit", [1, MAX_PAGE_LIMIT])
def test_limits_at_the_bounds_are_allowed(limit: int) -> None:
    assert PageRequest(1, limit).limit == limit


def test_a_bad_page_and_a_bad_limit_are_one_400_naming_both() -> None:
    with pytest.raises(FieldInvalid) as caught:
        PageRequest(0, MAX_PAGE_LIMIT + 1)
    assert caught.value.code == "VALIDATION_ERROR"
    assert [issue.field for issue in caught.value.issues] == ["page", "limit"]
