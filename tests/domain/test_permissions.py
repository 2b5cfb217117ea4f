from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisum.domain.core.catalog import validate_key
from kisum.domain.core.errors import InvalidKey
from kisum.domain.permissions import (
    MAX_KEY_LENGTH,
    MAX_SEGMENT_LENGTH,
    InvalidModule,
    InvalidPermission,
    covered_by_any,
    expand,
    is_valid_key,
    is_valid_module,
    is_valid_pattern,
    is_valid_segment,
    is_wildcard,
    matches,
    module_of,
    parse_key,
    parse_module,
    parse_pattern,
    pattern_covers,
)

# A small alphabet so that generated keys and patterns collide often.
segments = st.sampled_from(["basic", "finance", "artist", "event", "view", "edit", "a", "b-c", "d_1"])
keys = st.tuples(segments, segments, segments).map(".".join)
wildcards = st.one_of(
    segments.map(lambda m: f"{m}.*"),
    st.tuples(segments, segments).map(lambda t: f"{t[0]}.{t[1]}.*"),
)
patterns = st.one_of(keys, wildcards)


@pytest.mark.parametrize("key", ["basic.artist.view", "finance.budget-line.edit", "ai.model_2.run", "a.b.c"])
def test_parse_key_accepts_valid_keys(key: str) -> None:
    assert parse_key(key) == key
    assert is_valid_key(key)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "basic",
        "basic.artist",
        "basic.artist.view.extra",
        "Basic.artist.view",
        "basic.artist.View",
        "basic..view",
        ".artist.view",
        "basic.artist.",
        "basic.artist.*",
        "basic.*.view",
        "1basic.artist.view",
        "basic.artist.vi ew",
        " basic.artist.view",
        "basic.artist.view\n",
        "basic.artíst.view",
        "basic.-artist.view",
        "basic.artist.view;drop",
        "basic." + "a" * 65 + ".view",
    ],
)
def test_parse_key_refuses_invalid_keys(raw: str) -> None:
    with pytest.raises(InvalidPermission) as caught:
        parse_key(raw)
    assert caught.value.code == "INVALID_PERMISSION"


@pytest.mark.parametrize("raw", [None, 3, b"basic.artist.view", ["basic.artist.view"]])
def test_parse_key_refuses_non_strings(raw: object) -> None:
    with pytest.raises(InvalidPermission):
        parse_key(raw)


@pytest.mark.parametrize("pattern", ["finance.*", "basic.artist.*", "basic.artist.view"])
def test_parse_pattern_accepts_keys_and_trailing_wildcards(pattern: str) -> None:
    assert parse_pattern(pattern) == pattern


@pytest.mark.parametrize(
    "raw",
    [
        "*",
        "*.*",
        "basic.*.*",
        "basic.*.view",
        "*.artist.view",
        "basic.artist.view.*",
        "basic*",
        "basic.art*",
        "basic.*.",
    ],
)
def test_parse_pattern_refuses_misplaced_wildcards(raw: str) -> None:
    assert not is_valid_pattern(raw)
    with pytest.raises(InvalidPermission):
        parse_pattern(raw)


def test_parse_module_validates_one_segment() -> None:
    assert parse_module("finance") == "finance"
    for raw in ["", "Finance", "finance.x", "fin ance", "*"]:
        with pytest.raises(InvalidModule):
            parse_module(raw)


@pytest.mark.parametrize(
    ("pattern", "key", "expected"),
    [
        ("finance.*", "finance.budget.view", True),
        ("finance.*", "financex.budget.view", False),
        ("basic.artist.*", "basic.artist.view", True),
        ("basic.artist.*", "basic.artists.view", False),
        ("basic.artist.*", "basic.event.view", False),
        ("basic.artist.view", "basic.artist.view", True),
        ("basic.artist.view", "basic.artist.edit", False),
    ],
)
def test_matches(pattern: str, key: str, expected: bool) -> None:
    assert matches(pattern, key) is expected


def test_matches_refuses_a_pattern_as_the_key() -> None:
    with pytest.raises(InvalidPermission):
        matches("basic.*", "basic.artist.*")


def test_module_of_keys_and_patterns() -> None:
    assert module_of("basic.artist.view") == "basic"
    assert module_of("finance.*") == "finance"
    assert module_of("market.deal.*") == "market"
    with pytest.raises(InvalidPermission):
        module_of("*")


def test_is_wildcard() -> None:
    assert is_wildcard("basic.*")
    assert is_wildcard("basic.artist.*")
    assert not is_wildcard("basic.artist.view")


def test_expand_returns_sorted_unique_catalog_keys() -> None:
    catalog = ["basic.event.view", "basic.artist.view", "finance.budget.view", "basic.artist.edit", "bad key"]
    assert expand(["basic.artist.*", "basic.artist.view"], catalog) == ["basic.artist.edit", "basic.artist.view"]
    assert expand(["basic.*"], catalog) == ["basic.artist.edit", "basic.artist.view", "basic.event.view"]
    assert expand([], catalog) == []
    assert expand(["market.*"], catalog) == []


def test_expand_never_returns_keys_outside_the_catalog() -> None:
    assert expand(["basic.artist.view"], []) == []


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        ("basic.*", "basic.artist.view", True),
        ("basic.*", "basic.artist.*", True),
        ("basic.*", "basic.*", True),
        ("basic.artist.*", "basic.*", False),
        ("basic.artist.*", "basic.artist.view", True),
        ("basic.artist.*", "basic.artist.*", True),
        ("basic.artist.*", "basic.event.view", False),
        ("basic.artist.view", "basic.artist.view", True),
        ("basic.artist.view", "basic.artist.*", False),
        ("basic.artist.view", "basic.*", False),
        ("finance.*", "basic.artist.view", False),
        ("basic.*", "basics.artist.view", False),
    ],
)
def test_pattern_covers(outer: str, inner: str, expected: bool) -> None:
    assert pattern_covers(outer, inner) is expected


def test_covered_by_any_needs_one_pattern_that_covers_it_all() -> None:
    held = ["basic.artist.view", "basic.artist.edit", "basic.artist.create", "basic.artist.delete"]
    assert covered_by_any(held, "basic.artist.view")
    assert not covered_by_any(held, "basic.artist.*")


@given(pattern=patterns, key=keys)
def test_a_key_is_matched_exactly_when_it_is_covered(pattern: str, key: str) -> None:
    assert matches(pattern, key) is pattern_covers(pattern, key)


@given(outer=patterns, inner=patterns, key=keys)
def test_coverage_implies_every_matched_key_is_matched_by_the_outer(outer: str, inner: str, key: str) -> None:
    if pattern_covers(outer, inner) and matches(inner, key):
        assert matches(outer, key)


@given(outer=patterns, inner=patterns)
def test_no_coverage_has_a_witness_key(outer: str, inner: str) -> None:
    """If outer does not cover inner, some key (maybe not yet in any catalog) proves it."""
    if pattern_covers(outer, inner):
        return
    fixed = inner.split(".")
    if fixed[-1] == "*":
        fixed = fixed[:-1]
    candidates = [
        ".".join([*fixed, *filler][:3])
        for filler in (["zz-fresh", "zz-fresh"], ["zz-other", "zz-other"], ["zz-fresh", "zz-other"])
    ]
    assert any(matches(inner, k) and not matches(outer, k) for k in candidates)


@given(pattern=patterns)
def test_coverage_is_reflexive(pattern: str) -> None:
    assert pattern_covers(pattern, pattern)


@given(a=patterns, b=patterns, c=patterns)
def test_coverage_is_transitive(a: str, b: str, c: str) -> None:
    if pattern_covers(a, b) and pattern_covers(b, c):
        assert pattern_covers(a, c)


@given(a=patterns, b=patterns)
def test_mutual_coverage_means_equality(a: str, b: str) -> None:
    if pattern_covers(a, b) and pattern_covers(b, a):
        assert a == b


@given(granted=st.lists(patterns, max_size=4), catalog=st.lists(keys, max_size=12))
def test_expand_is_exactly_the_matching_catalog_keys(granted: list[str], catalog: list[str]) -> None:
    result = expand(granted, catalog)
    assert result == sorted(set(result))
    assert set(result) == {k for k in catalog if any(matches(p, k) for p in granted)}


# --- the one grammar: catalog keys, modules and permission segments -------------------------


@pytest.mark.parametrize(
    "segment", ["live-music", "model_2", "a", "a1", "a-", "a_", "x" * MAX_SEGMENT_LENGTH, "b-c_d-9"]
)
def test_a_segment_takes_letters_digits_underscore_and_dash_after_a_letter(segment: str) -> None:
    assert is_valid_segment(segment)
    assert parse_module(segment) == segment
    assert validate_key(segment) == segment
    assert parse_key(f"{segment}.{segment}.{segment}") == f"{segment}.{segment}.{segment}"


@pytest.mark.parametrize(
    "segment",
    ["", "-a", "_a", "1a", "A", "aB", "a.b", "a b", "a*", "é", "a\n", "x" * (MAX_SEGMENT_LENGTH + 1)],
)
def test_a_segment_is_refused_alike_everywhere(segment: str) -> None:
    assert not is_valid_segment(segment)
    with pytest.raises(InvalidModule):
        parse_module(segment)
    with pytest.raises(InvalidKey):
        validate_key(segment)
    with pytest.raises(InvalidPermission):
        parse_key(f"basic.{segment}.view")
    with pytest.raises(InvalidPermission):
        parse_key(f"{segment}.artist.view")


def test_a_dash_is_allowed_in_every_segment_including_the_module() -> None:
    assert parse_key("live-music.set-list.re-order") == "live-music.set-list.re-order"
    assert module_of("live-music.set-list.*") == "live-music"


def test_the_longest_key_is_three_full_segments() -> None:
    longest = ".".join(["x" * MAX_SEGMENT_LENGTH] * 3)
    assert len(longest) == MAX_KEY_LENGTH
    assert parse_key(longest) == longest
    assert not is_valid_key(longest + "x")


@given(st.text(max_size=60))
def test_module_and_catalog_keys_agree_on_every_string(raw: str) -> None:
    try:
        validate_key(raw)
        catalog_ok = True
    except InvalidKey:
        catalog_ok = False
    assert is_valid_module(raw) is catalog_ok
