"""The commercial catalog: modules, and the packages and addons that switch modules on.

Keys are lowercase identifiers (``basic``, ``finance``); a module key is the first segment of
every permission (``finance.invoice.view``), so every catalog key follows the one segment grammar
of ``kisum.domain.permissions`` and never contains a dot.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from datetime import datetime

from kisum.domain.core.errors import InvalidKey, InvalidName, ModulesRequired, UnknownModule
from kisum.domain.permissions import SEGMENT_RULE, is_valid_segment

NAME_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 2000

BASIC_PACKAGE_KEY = "basic"


def validate_key(key: str, *, what: str = "key") -> str:
    """A key is one segment of the permission grammar (``kisum.domain.permissions``)."""
    if not is_valid_segment(key):
        raise InvalidKey(f"{what} {key!r} is not a valid key: use {SEGMENT_RULE}")
    return key


def validate_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned or len(cleaned) > NAME_MAX_LENGTH:
        raise InvalidName(f"a name must have 1-{NAME_MAX_LENGTH} characters")
    return cleaned


def validate_description(description: str | None) -> str | None:
    if description is None:
        return None
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise InvalidName(f"a description has at most {DESCRIPTION_MAX_LENGTH} characters", code="INVALID_DESCRIPTION")
    return description


def normalize_module_keys(modules: Iterable[str]) -> frozenset[str]:
    keys = frozenset(validate_key(key, what="module") for key in modules)
    if not keys:
        raise ModulesRequired("at least one module is required")
    return keys


def ensure_modules_exist(requested: Set[str], known: Set[str]) -> None:
    """Every module a package or addon maps to must be in the catalog."""
    missing = sorted(requested - known)
    if missing:
        raise UnknownModule(f"unknown module(s): {', '.join(missing)}")


@dataclass(slots=True)
class Module:
    key: str
    name: str
    description: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def create(cls, key: str, name: str | None, description: str | None, at: datetime) -> Module:
        validate_key(key, what="module")
        return cls(
            key=key,
            name=validate_name(name if name is not None else key),
            description=validate_description(description),
            created_at=at,
            updated_at=at,
        )

    def rename(self, name: str | None, description: str | None, *, clear_description: bool, at: datetime) -> None:
        if name is not None:
            self.name = validate_name(name)
        if description is not None or clear_description:
            self.description = validate_description(description)
        self.updated_at = at


@dataclass(slots=True)
class Offer:
    """What packages and addons share: a key, a name, and the modules it switches on."""

    key: str
    name: str
    description: str | None
    modules: frozenset[str]
    created_at: datetime
    updated_at: datetime = field(compare=False)

    def update(
        self,
        *,
        name: str | None,
        description: str | None,
        clear_description: bool,
        modules: Iterable[str] | None,
        at: datetime,
    ) -> bool:
        """Apply a change; returns whether the set of modules changed (an entitlement change)."""
        if name is not None:
            self.name = validate_name(name)
        if description is not None or clear_description:
            self.description = validate_description(description)
        modules_changed = False
        if modules is not None:
            new_modules = normalize_module_keys(modules)
            modules_changed = new_modules != self.modules
            self.modules = new_modules
        self.updated_at = at
        return modules_changed


@dataclass(slots=True)
class Package(Offer):
    """A base plan (``basic``) that a company subscribes to; maps to modules."""

    @classmethod
    def create(
        cls, key: str, name: str | None, description: str | None, modules: Iterable[str], at: datetime
    ) -> Package:
        validate_key(key, what="package")
        return cls(
            key=key,
            name=validate_name(name if name is not None else key),
            description=validate_description(description),
            modules=normalize_module_keys(modules),
            created_at=at,
            updated_at=at,
        )


@dataclass(slots=True)
class Addon(Offer):
    """An extra a company adds on top of (or without) Basic; maps to modules."""

    @classmethod
    def create(cls, key: str, name: str | None, description: str | None, modules: Iterable[str], at: datetime) -> Addon:
        validate_key(key, what="addon")
        return cls(
            key=key,
            name=validate_name(name if name is not None else key),
            description=validate_description(description),
            modules=normalize_module_keys(modules),
            created_at=at,
            updated_at=at,
        )
