"""Permission keys and grant patterns, shared by auth and every business backend.

This module is the one grammar of keys in the system; every other place that checks a key
(core's catalog, auth, the business routes' ``requires``) calls it. A *segment* is 1-48
characters: a lower-case ASCII letter, then lower-case letters, digits, ``_`` or ``-``
(``live-music``, ``model_2``). A module key (and every catalog key: modules, packages, addons)
is one segment; a permission key is ``module.resource.action``: exactly three segments. A grant
pattern is either a full key or a prefix of one or two segments followed by ``*`` as the last
segment: ``finance.*`` (everything in a module) or
``basic.artist.*`` (everything on one resource). ``*`` anywhere else, a bare ``*``, empty
segments, upper case, whitespace, or any other character is refused: parsing is strict and
never "fixes" input, so what is stored is exactly what was validated.

The key space is open-ended (new catalog keys may appear later), so coverage between patterns
(``pattern_covers``) is decided over every possible key, not over today's catalog. This is
what delegation needs: granting ``basic.*`` requires holding ``basic.*``, not merely every key
that ``basic.*`` happens to match today.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeGuard

from kisum.domain.errors import InvalidInput

WILDCARD = "*"
KEY_SEGMENTS = 3
MAX_SEGMENT_LENGTH = 48
MAX_KEY_LENGTH = KEY_SEGMENTS * MAX_SEGMENT_LENGTH + KEY_SEGMENTS - 1
SEGMENT_RULE = f"1-{MAX_SEGMENT_LENGTH} lowercase letters, digits, '_' or '-', starting with a letter"

_SEGMENT = re.compile(rf"[a-z][a-z0-9_-]{{0,{MAX_SEGMENT_LENGTH - 1}}}")


class InvalidPermission(InvalidInput):
    """A permission key or pattern that breaks the syntax (HTTP 400)."""

    code = "INVALID_PERMISSION"


class InvalidModule(InvalidInput):
    """A module key that breaks the syntax (HTTP 400)."""

    code = "INVALID_MODULE"


def is_valid_segment(segment: object) -> TypeGuard[str]:
    """One segment of the grammar: a module key, a catalog key, a resource or an action."""
    return isinstance(segment, str) and _SEGMENT.fullmatch(segment) is not None


def is_valid_module(module: object) -> TypeGuard[str]:
    """A module key has the syntax of one segment (``basic``, ``finance``)."""
    return is_valid_segment(module)


def is_valid_key(key: object) -> TypeGuard[str]:
    """True for a concrete key ``module.resource.action`` (no wildcard)."""
    if not isinstance(key, str) or len(key) > MAX_KEY_LENGTH:
        return False
    segments = key.split(".")
    return len(segments) == KEY_SEGMENTS and all(is_valid_segment(s) for s in segments)


def is_valid_pattern(pattern: object) -> TypeGuard[str]:
    """True for a concrete key, ``module.*`` or ``module.resource.*``."""
    if not isinstance(pattern, str) or len(pattern) > MAX_KEY_LENGTH:
        return False
    segments = pattern.split(".")
    if segments[-1] == WILDCARD:
        prefix = segments[:-1]
        return 1 <= len(prefix) < KEY_SEGMENTS and all(is_valid_segment(s) for s in prefix)
    return is_valid_key(pattern)


def parse_module(raw: object) -> str:
    if not is_valid_module(raw):
        raise InvalidModule(f"{raw!r} is not a valid module key ({SEGMENT_RULE})")
    return raw


def parse_key(raw: object) -> str:
    """Return ``raw`` if it is a concrete permission key, else raise ``InvalidPermission``."""
    if not is_valid_key(raw):
        raise InvalidPermission(f"{raw!r} is not a permission key (module.resource.action, lowercase)")
    return raw


def parse_pattern(raw: object) -> str:
    """Return ``raw`` if it is a key or a pattern with ``*`` as its last segment."""
    if not is_valid_pattern(raw):
        raise InvalidPermission(
            f"{raw!r} is not a permission pattern (a key, module.* or module.resource.*; '*' only last)"
        )
    return raw


def is_wildcard(pattern: str) -> bool:
    return parse_pattern(pattern).endswith("." + WILDCARD)


def _fixed_segments(pattern: str) -> tuple[str, ...]:
    """The segments a pattern pins down: all three for a key, the prefix for a wildcard."""
    segments = tuple(parse_pattern(pattern).split("."))
    return segments[:-1] if segments[-1] == WILDCARD else segments


def module_of(key_or_pattern: str) -> str:
    """The module a key or pattern belongs to (its first segment)."""
    return _fixed_segments(key_or_pattern)[0]


def matches(pattern: str, key: str) -> bool:
    """Does ``pattern`` grant the concrete ``key``? Both are validated; invalid input raises."""
    parse_key(key)
    if is_wildcard(pattern):
        prefix = _fixed_segments(pattern)
        return tuple(key.split("."))[: len(prefix)] == prefix
    return pattern == key


def pattern_covers(outer: str, inner: str) -> bool:
    """Does ``outer`` match every key that ``inner`` (a key or pattern) can match, now or later?

    ``basic.*`` covers ``basic.artist.view``, ``basic.artist.*`` and ``basic.*``;
    ``basic.artist.*`` does not cover ``basic.*``; a concrete key covers only itself.
    """
    inner_fixed = _fixed_segments(inner)
    if not is_wildcard(outer):
        return not is_wildcard(inner) and outer == inner
    outer_fixed = _fixed_segments(outer)
    return inner_fixed[: len(outer_fixed)] == outer_fixed


def covered_by_any(patterns: Iterable[str], inner: str) -> bool:
    """Is ``inner`` covered by one of ``patterns``?

    Over the open key space a union of patterns covers ``inner`` only if one of them does
    (a wildcard matches infinitely many future keys, which no finite set of narrower patterns
    can all match), so checking one by one is exact.
    """
    return any(pattern_covers(outer, inner) for outer in patterns)


def matches_any(patterns: Iterable[str], key: str) -> bool:
    return any(matches(pattern, key) for pattern in patterns)


def expand(patterns: Iterable[str], catalog: Iterable[str]) -> list[str]:
    """The concrete catalog keys matched by at least one pattern, sorted and without duplicates.

    Catalog entries that are not valid keys are ignored (fail closed: they can never be granted).
    """
    granted = [parse_pattern(p) for p in patterns]
    return sorted({key for key in catalog if is_valid_key(key) and matches_any(granted, key)})
