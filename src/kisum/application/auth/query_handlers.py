"""Read side: who am I, what may I do here, my sessions, the company's members, the catalog.

Queries open the Unit of Work only to read and never commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple
from uuid import UUID

from kisum.application.auth.ports import (
    AccessCache,
    AccessStamp,
    AuthUnitOfWork,
    AuthUnitOfWorkFactory,
    MembershipStamp,
)
from kisum.application.auth.queries import GetMe, GetMyAccess, ListMySessions, ListPermissions, ListTenantUsers
from kisum.application.auth.services import EntitlementsReader, cache_ttl_seconds, load_actor
from kisum.application.auth.settings import AuthSettings
from kisum.application.auth.views import MembershipSummary, MembershipView, MeView, SessionView
from kisum.application.ports import Clock
from kisum.application.single_flight import SingleFlight
from kisum.domain.auth.access import (
    AccessModel,
    Permission,
    PermissionCatalog,
    access_version_of,
    compute_effective_access,
)
from kisum.domain.auth.delegation import may_list_members
from kisum.domain.auth.errors import DelegationExceeded, NotAMember, TokenRevoked
from kisum.domain.paging import Page, PageRequest


class GetMeHandler:
    def __init__(self, uow: AuthUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, query: GetMe) -> MeView:
        async with self._uow as uow:
            user = await uow.users.get(query.user_id)
            if user is None:
                raise TokenRevoked()
            memberships = await uow.memberships.list_by_user(user.id)
        return MeView(
            id=user.id,
            email=user.email,
            name=user.name,
            is_platform_admin=user.is_platform_admin,
            memberships=tuple(
                MembershipSummary(membership_id=m.id, company_id=m.company_id, role=m.role, status=m.status)
                for m in memberships
            ),
        )


class _BuildKey(NamedTuple):
    """Every input of a build: two misses with equal keys would build the same model."""

    company_id: UUID
    user_id: UUID
    token_version: int
    membership_access_version: int
    catalog_version: int
    entitlement_version: int | None


class GetMyAccessHandler:
    """The effective access of the caller in one company (DESIGN §2).

    - no membership there → 403 ``NOT_A_MEMBER`` (platform admins included);
    - a suspended membership (or user) is still a member: the answer is an access model with no
      modules, no permissions and an empty delegation (so a client sees *why* nothing is allowed,
      and backends deny everything);
    - core down → 503 ``ENTITLEMENTS_UNAVAILABLE`` (never a guess, never stale past validUntil).

    The answer is cached under its ``accessVersion`` for min(configured TTL, validUntil - now).
    One handler serves the whole process, so that concurrent misses of one caller share one
    build: when a cached model expires under load, one request rebuilds it while the others wait
    for that answer, instead of each asking the database and core at once (a stampede).
    """

    def __init__(
        self,
        new_uow: AuthUnitOfWorkFactory,
        entitlements: EntitlementsReader,
        access_cache: AccessCache,
        clock: Clock,
        settings: AuthSettings,
    ) -> None:
        self._new_uow = new_uow
        self._entitlements = entitlements
        self._access_cache = access_cache
        self._clock = clock
        self._settings = settings
        self._builds: SingleFlight[_BuildKey, AccessModel] = SingleFlight()

    async def __call__(self, query: GetMyAccess) -> AccessModel:
        # The hit path is one statement and no other I/O: the session (the bearer check, so a
        # logout stops the token at once) with every version number behind accessVersion, the
        # company's entitlement version included; the model under that full version never
        # changes, so the cache may keep it close. Entitlements, the membership with its grants,
        # the user and the catalog keys are loaded only on a miss.
        async with self._new_uow().reading() as uow:  # one statement: no transaction needed
            stamp = await uow.memberships.access_stamp(query.session_id, query.company_id)
        now = self._clock.now()
        if stamp is None or not stamp.bearer.accepts(user_id=query.user_id, token_version=query.token_version, now=now):
            raise TokenRevoked()
        membership = stamp.membership
        if membership is None:
            raise NotAMember()
        known_version = stamp.entitlement_version
        if known_version is not None and (cached := await self._cached(query, stamp, membership, known_version, now)):
            return cached
        key = _BuildKey(
            company_id=query.company_id,
            user_id=query.user_id,
            token_version=stamp.bearer.token_version,
            membership_access_version=membership.access_version,
            catalog_version=stamp.catalog_version,
            entitlement_version=known_version,
        )
        return await self._builds.run(key, lambda: self._build(query, stamp, membership))

    async def _build(self, query: GetMyAccess, stamp: AccessStamp, membership_stamp: MembershipStamp) -> AccessModel:
        """A miss: entitlements (cache or core), then the user, the membership with its grants, the catalog."""
        known_version = stamp.entitlement_version
        entitlements = await self._entitlements.get(query.company_id, at_least=known_version)
        now = self._clock.now()
        if known_version is None or entitlements.entitlement_version > known_version:
            async with self._new_uow() as uow:  # core is ahead of what we knew (a notification still on its way)
                await uow.entitlement_versions.advance(query.company_id, entitlements.entitlement_version)
                await uow.commit()
        if entitlements.entitlement_version != known_version and (
            cached := await self._cached(query, stamp, membership_stamp, entitlements.entitlement_version, now)
        ):
            return cached
        async with self._new_uow() as uow:
            user = await uow.users.get(query.user_id)
            membership = await uow.memberships.get_by_user(query.company_id, query.user_id)
            if user is None or membership is None:
                raise NotAMember()
            catalog_version = await uow.permissions.version()
            catalog = PermissionCatalog(version=catalog_version, keys=await uow.permissions.keys())
        access = compute_effective_access(user=user, membership=membership, entitlements=entitlements, catalog=catalog)
        ttl = cache_ttl_seconds(self._settings.access_cache_ttl_seconds, access.valid_until, now)
        if ttl > 0:
            await self._access_cache.put(access, ttl)
        return access

    async def _cached(
        self,
        query: GetMyAccess,
        stamp: AccessStamp,
        membership: MembershipStamp,
        entitlement_version: int,
        now: datetime,
    ) -> AccessModel | None:
        """The cached model under the access version these numbers make, if still valid."""
        version = access_version_of(
            entitlement_version=entitlement_version,
            membership_access_version=membership.access_version,
            token_version=stamp.bearer.token_version,
            catalog_version=stamp.catalog_version,
        )
        membership_id = membership.membership_id
        cached = await self._access_cache.get(query.company_id, membership_id, version)
        if (
            cached is not None
            and cached.access_version == version
            and cached.membership_id == membership_id
            and cached.user_id == query.user_id
            and (cached.valid_until is None or now < cached.valid_until)
        ):
            return cached
        return None


class ListMySessionsHandler:
    def __init__(self, uow: AuthUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, query: ListMySessions) -> Page[SessionView]:
        paging = PageRequest(query.page, query.limit)
        async with self._uow as uow:
            sessions = await uow.sessions.list_live_by_user(query.user_id, self._clock.now())
        window = sessions[paging.offset : paging.offset + paging.limit]
        return Page(
            items=tuple(SessionView.of(s, current_session_id=query.current_session_id) for s in window),
            page=paging.page,
            limit=paging.limit,
            total=len(sessions),
        )


class ListTenantUsersHandler:
    """Members of the actor's company with their grants as written. Only for callers who can
    manage or delegate something there (owners, can_manage_members, a non-empty delegation)."""

    def __init__(self, uow: AuthUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, query: ListTenantUsers) -> Page[MembershipView]:
        paging = PageRequest(query.page, query.limit)
        async with self._uow as uow:
            user, membership = await load_actor(uow, query.actor)
            if not may_list_members(user, membership):
                raise DelegationExceeded("You cannot list the members of this company.")
            memberships, total = await uow.memberships.list_by_company(
                query.actor.company_id, offset=paging.offset, limit=paging.limit
            )
            users = {u.id: u for u in await uow.users.list_by_ids({m.user_id for m in memberships})}
        return Page(
            items=tuple(MembershipView.of(m, users[m.user_id]) for m in memberships if m.user_id in users),
            page=paging.page,
            limit=paging.limit,
            total=total,
        )


class ListPermissionsHandler:
    def __init__(self, uow: AuthUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, query: ListPermissions) -> Page[Permission]:
        paging = PageRequest(query.page, query.limit)
        async with self._uow as uow:
            permissions = await uow.permissions.list_all()
        return Page(
            items=tuple(permissions[paging.offset : paging.offset + paging.limit]),
            page=paging.page,
            limit=paging.limit,
            total=len(permissions),
        )
