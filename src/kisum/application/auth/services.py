"""Pieces the auth handlers share: entitlements with their cache, cache TTLs, actor loading, paging."""

from __future__ import annotations

import math
from datetime import datetime
from uuid import UUID

from kisum.application.auth.commands import TenantActor
from kisum.application.auth.ports import AuthUnitOfWork, EntitlementsCache, EntitlementsGateway
from kisum.application.auth.settings import AuthSettings
from kisum.application.ports import Clock, IdGenerator
from kisum.application.single_flight import SingleFlight
from kisum.domain.auth.access import Entitlements
from kisum.domain.auth.audit import AuditAction, AuditEntry, AuditValue
from kisum.domain.auth.errors import EntitlementsUnavailable, MembershipNotFound, NotAMember
from kisum.domain.auth.identity import Membership, User


def cache_ttl_seconds(configured_seconds: int, valid_until: datetime | None, now: datetime) -> int:
    """``min(configured, validUntil - now)`` in whole seconds, rounded down; 0 means do not cache.

    Rounding down guarantees that a cached answer never outlives ``validUntil``.
    """
    if configured_seconds <= 0:
        return 0
    if valid_until is None:
        return configured_seconds
    remaining = math.floor((valid_until - now).total_seconds())
    return max(0, min(configured_seconds, remaining))


class EntitlementsReader:
    """Entitlements of a company: the cache while it is fresh, else core (and cache the answer).

    One per process: concurrent misses for one company share one call to core. A shared call may
    have started before a change the caller already knows of; ``at_least`` names that version,
    and an older answer is then asked for again.
    """

    def __init__(
        self, gateway: EntitlementsGateway, cache: EntitlementsCache, clock: Clock, settings: AuthSettings
    ) -> None:
        self._gateway = gateway
        self._cache = cache
        self._clock = clock
        self._settings = settings
        self._fetches: SingleFlight[UUID, Entitlements] = SingleFlight()

    async def get(self, company_id: UUID, *, at_least: int | None = None) -> Entitlements:
        cached = await self._cache.get(company_id)
        if (
            cached is not None
            and cached.company_id == company_id
            and not cached.is_expired(self._clock.now())
            and (at_least is None or cached.entitlement_version >= at_least)
        ):
            return cached
        fetched = await self._fetches.run(company_id, lambda: self._fetch(company_id))
        if at_least is not None and fetched.entitlement_version < at_least:
            fetched = await self._fetch(company_id)
        return fetched

    async def _fetch(self, company_id: UUID) -> Entitlements:
        now = self._clock.now()
        fresh = await self._gateway.get(company_id)
        if fresh.company_id != company_id:
            raise EntitlementsUnavailable("Core answered for another company.")
        ttl = cache_ttl_seconds(self._settings.entitlements_cache_ttl_seconds, fresh.valid_until, now)
        if ttl > 0:
            await self._cache.put(fresh, ttl)
        return fresh


async def load_actor(uow: AuthUnitOfWork, actor: TenantActor) -> tuple[User, Membership]:
    """The actor's user and membership in ``actor.company_id`` (unlocked); ``NotAMember`` if missing."""
    user = await uow.users.get(actor.user_id)
    membership = await uow.memberships.get_by_user(actor.company_id, actor.user_id)
    if user is None or membership is None:
        raise NotAMember()
    return user, membership


async def lock_actor_and_target(
    uow: AuthUnitOfWork, actor: Membership, target_membership_id: UUID
) -> tuple[Membership, Membership]:
    """Re-read the actor's and the target's memberships under lock, in id order.

    Locking the actor's own membership means a concurrent revocation of the actor's rights
    cannot interleave with the actor using them; the fixed order means two managers acting on
    each other cannot deadlock. Call after ``load_actor`` so that ``NotAMember`` (403) always
    comes before ``MembershipNotFound`` (404): a non-member learns nothing about memberships.
    """
    locked: dict[UUID, Membership | None] = {}
    for membership_id in sorted({actor.id, target_membership_id}):
        locked[membership_id] = await uow.memberships.get(actor.company_id, membership_id, for_update=True)
    actor_membership = locked[actor.id]
    if actor_membership is None or actor_membership.user_id != actor.user_id:
        raise NotAMember()
    target = locked[target_membership_id]
    if target is None:
        raise MembershipNotFound()
    return actor_membership, target


class Auditor:
    """Builds audit entries with an id and the current time, written through the UoW."""

    def __init__(self, clock: Clock, ids: IdGenerator) -> None:
        self._clock = clock
        self._ids = ids

    async def record(
        self,
        uow: AuthUnitOfWork,
        *,
        actor: str,
        action: AuditAction,
        company_id: UUID | None = None,
        target_membership_id: UUID | None = None,
        target_user_id: UUID | None = None,
        **details: AuditValue,
    ) -> None:
        await uow.audit.record(
            AuditEntry(
                id=self._ids.new_id(),
                at=self._clock.now(),
                actor=actor,
                action=action,
                company_id=company_id,
                target_membership_id=target_membership_id,
                target_user_id=target_user_id,
                details=dict(details),
            )
        )
