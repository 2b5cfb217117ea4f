"""A company of the registry, and the subscriptions it holds (the aggregate root of core).

Status moves pending → approved → suspended (and a suspended company may be approved again);
only an approved company can gain subscriptions, and only an approved company is entitled to
anything. Every change of what the company is entitled to bumps ``entitlement_version`` by
exactly one and records an ``EntitlementsChanged`` event for auth.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from kisum.domain.core.catalog import validate_key, validate_name
from kisum.domain.core.entitlements import Entitlements, compute_entitlements
from kisum.domain.core.errors import (
    CompanyNotApproved,
    IllegalCompanyTransition,
    InvalidStatus,
    SubscriptionNotFound,
)
from kisum.domain.core.subscriptions import (
    AddonSubscription,
    BasicSubscription,
    SubscriptionStatus,
    Terms,
    Window,
)


class CompanyStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    SUSPENDED = "suspended"


LEGAL_TRANSITIONS: Mapping[CompanyStatus, frozenset[CompanyStatus]] = {
    CompanyStatus.PENDING: frozenset({CompanyStatus.APPROVED}),
    CompanyStatus.APPROVED: frozenset({CompanyStatus.SUSPENDED}),
    CompanyStatus.SUSPENDED: frozenset({CompanyStatus.APPROVED}),
}


@dataclass(frozen=True, slots=True)
class EntitlementsChanged:
    """What auth is told after commit: drop what you cached for this company below this version."""

    company_id: UUID
    entitlement_version: int
    occurred_at: datetime


@dataclass(slots=True)
class Company:
    id: UUID
    name: str
    status: CompanyStatus
    created_at: datetime
    updated_at: datetime
    entitlement_version: int = 0
    basic: BasicSubscription | None = None
    addons: dict[str, AddonSubscription] = field(default_factory=dict)
    events: list[EntitlementsChanged] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def register(cls, company_id: UUID, name: str, at: datetime) -> Company:
        return cls(
            id=company_id,
            name=validate_name(name),
            status=CompanyStatus.PENDING,
            created_at=at,
            updated_at=at,
        )

    # --- registry status -----------------------------------------------------------------------

    def approve(self, at: datetime) -> None:
        self._move_to(CompanyStatus.APPROVED, at)

    def suspend(self, at: datetime) -> None:
        self._move_to(CompanyStatus.SUSPENDED, at)

    def _move_to(self, target: CompanyStatus, at: datetime) -> None:
        if target not in LEGAL_TRANSITIONS[self.status]:
            raise IllegalCompanyTransition(f"a company cannot go from {self.status.value} to {target.value}")
        self.status = target
        # Whether a company is approved decides whether it is entitled to anything.
        self._entitlements_changed(at)

    @property
    def is_approved(self) -> bool:
        return self.status is CompanyStatus.APPROVED

    # --- subscriptions -------------------------------------------------------------------------

    def activate_basic(self, package_key: str, status: SubscriptionStatus, window: Window, at: datetime) -> bool:
        """Subscribe to (or renew, or re-date) the Basic package; returns whether anything changed."""
        self._require_approved()
        _require_granting(status, "activate")
        new = BasicSubscription(validate_key(package_key, what="package"), Terms(status, window))
        return self._set_basic(new, at)

    def deactivate_basic(self, status: SubscriptionStatus, window: Window | None, at: datetime) -> bool:
        if self.basic is None:
            raise SubscriptionNotFound("this company has no Basic subscription", code="BASIC_NOT_SUBSCRIBED")
        _require_not_granting(status)
        new = BasicSubscription(self.basic.package_key, Terms(status, window or self.basic.terms.window))
        return self._set_basic(new, at)

    def activate_addon(self, addon_key: str, status: SubscriptionStatus, window: Window, at: datetime) -> bool:
        self._require_approved()
        _require_granting(status, "activate")
        key = validate_key(addon_key, what="addon")
        return self._set_addon(AddonSubscription(key, Terms(status, window)), at)

    def deactivate_addon(self, addon_key: str, status: SubscriptionStatus, window: Window | None, at: datetime) -> bool:
        current = self.addons.get(addon_key)
        if current is None:
            raise SubscriptionNotFound(f"this company has no {addon_key!r} addon", code="ADDON_NOT_SUBSCRIBED")
        _require_not_granting(status)
        return self._set_addon(AddonSubscription(addon_key, Terms(status, window or current.terms.window)), at)

    def offer_changed(self, at: datetime) -> None:
        """A package or addon this company holds now maps to other modules."""
        self._entitlements_changed(at)

    def entitlements(
        self, at: datetime, package_modules: Mapping[str, Set[str]], addon_modules: Mapping[str, Set[str]]
    ) -> Entitlements:
        return compute_entitlements(
            at,
            self.basic,
            [self.addons[key] for key in sorted(self.addons)],
            package_modules,
            addon_modules,
            company_active=self.is_approved,
        )

    def pull_events(self) -> list[EntitlementsChanged]:
        events, self.events = self.events, []
        return events

    # --- internals -----------------------------------------------------------------------------

    def _set_basic(self, new: BasicSubscription, at: datetime) -> bool:
        if new == self.basic:
            return False
        self.basic = new
        self._entitlements_changed(at)
        return True

    def _set_addon(self, new: AddonSubscription, at: datetime) -> bool:
        if self.addons.get(new.addon_key) == new:
            return False
        self.addons[new.addon_key] = new
        self._entitlements_changed(at)
        return True

    def _require_approved(self) -> None:
        if not self.is_approved:
            raise CompanyNotApproved(f"the company is {self.status.value}; only an approved company can subscribe")

    def _entitlements_changed(self, at: datetime) -> None:
        self.entitlement_version += 1
        self.updated_at = at
        self.events.append(EntitlementsChanged(self.id, self.entitlement_version, at))


def _require_granting(status: SubscriptionStatus, action: str) -> None:
    if not status.grants_access:
        raise InvalidStatus(f"{action} takes status active or trialing, not {status.value}")


def _require_not_granting(status: SubscriptionStatus) -> None:
    if status.grants_access:
        raise InvalidStatus(f"deactivate takes an inactive status (past_due, canceled, expired), not {status.value}")
