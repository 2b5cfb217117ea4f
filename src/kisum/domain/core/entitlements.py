"""Entitlements: which modules a company may use now, and until when that answer holds.

enabledModules = (modules of the Basic package IF Basic is active) + (modules of every active addon).
``valid_until`` is the earliest future instant at which that set changes (a ``starts_at`` or
``ends_at`` of a subscription whose status grants access), or ``None`` when nothing scheduled
changes it. Caches of an answer must not outlive it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import datetime

from kisum.domain.core.subscriptions import AddonSubscription, BasicSubscription


@dataclass(frozen=True, slots=True)
class Entitlements:
    enabled_modules: tuple[str, ...]
    valid_until: datetime | None


def enabled_modules_at(
    at: datetime,
    basic: BasicSubscription | None,
    addons: Sequence[AddonSubscription],
    package_modules: Mapping[str, Set[str]],
    addon_modules: Mapping[str, Set[str]],
) -> tuple[str, ...]:
    modules: set[str] = set()
    if basic is not None and basic.is_active(at):
        modules |= package_modules.get(basic.package_key, frozenset())
    for addon in addons:
        if addon.is_active(at):
            modules |= addon_modules.get(addon.addon_key, frozenset())
    return tuple(sorted(modules))


def compute_entitlements(
    at: datetime,
    basic: BasicSubscription | None,
    addons: Sequence[AddonSubscription],
    package_modules: Mapping[str, Set[str]],
    addon_modules: Mapping[str, Set[str]],
    *,
    company_active: bool = True,
) -> Entitlements:
    """The company's modules at ``at``; a company that is not approved has none, for now and later."""
    if not company_active:
        return Entitlements(enabled_modules=(), valid_until=None)
    now = enabled_modules_at(at, basic, addons, package_modules, addon_modules)
    boundaries: set[datetime] = set()
    if basic is not None:
        boundaries.update(basic.terms.future_boundaries(at))
    for addon in addons:
        boundaries.update(addon.terms.future_boundaries(at))
    # The answer is constant between consecutive boundaries, so the first boundary whose
    # answer differs from the current one is exactly when the current answer stops holding.
    for boundary in sorted(boundaries):
        if enabled_modules_at(boundary, basic, addons, package_modules, addon_modules) != now:
            return Entitlements(enabled_modules=now, valid_until=boundary)
    return Entitlements(enabled_modules=now, valid_until=None)
