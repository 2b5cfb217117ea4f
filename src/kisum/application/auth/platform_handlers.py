"""Platform and internal use cases: owner memberships, the permission catalog, the bootstrap
admin, and invalidation when core's entitlements change."""

from __future__ import annotations

import unicodedata

from kisum.application.auth.commands import (
    BootstrapPlatformAdmin,
    CatalogCaller,
    CreateOwnerMembership,
    CreatePermission,
    DeletePermission,
    HandleEntitlementsChanged,
    ServiceCaller,
)
from kisum.application.auth.ports import AccessCache, AuthUnitOfWork, EntitlementsCache, PasswordHasher
from kisum.application.auth.services import Auditor
from kisum.application.auth.settings import AuthSettings
from kisum.application.auth.views import BootstrapResult, OwnerMembership
from kisum.application.ports import Clock, IdGenerator
from kisum.domain.auth.access import Permission
from kisum.domain.auth.audit import AuditAction, service_actor, user_actor
from kisum.domain.auth.errors import (
    AlreadyMember,
    PasswordRequired,
    PermissionExists,
    PermissionNotFound,
    PlatformAdminRequired,
)
from kisum.domain.auth.identity import Membership, Role, User, normalize_email, normalize_name
from kisum.domain.errors import InvalidInput
from kisum.domain.permissions import parse_key

MAX_DESCRIPTION_LENGTH = 500


async def authorize_catalog_caller(uow: AuthUnitOfWork, caller: CatalogCaller) -> str:
    """The audit actor of a catalog change; a user must be an active platform admin."""
    if isinstance(caller, ServiceCaller):
        return service_actor(caller.role)
    user = await uow.users.get(caller.user_id)
    if user is None or not user.is_active or not user.is_platform_admin:
        raise PlatformAdminRequired()
    return user_actor(user.id)


def _description(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw).strip()
    if len(text) > MAX_DESCRIPTION_LENGTH or any(
        unicodedata.category(ch).startswith("C") and ch not in "\n\t" for ch in text
    ):
        raise InvalidInput(f"The description must have at most {MAX_DESCRIPTION_LENGTH} printable characters.")
    return text


class CreateOwnerMembershipHandler:
    """Internal (admin approving a company). Idempotent: the same company and email return the
    existing owner membership without writing. An existing user keeps their password and name;
    a new user needs a password (``PASSWORD_REQUIRED``) that passes the policy. A non-owner
    membership of that user in that company is ``ALREADY_MEMBER`` (it is not silently promoted).
    """

    def __init__(
        self,
        uow: AuthUnitOfWork,
        hasher: PasswordHasher,
        clock: Clock,
        ids: IdGenerator,
        settings: AuthSettings,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._ids = ids
        self._settings = settings
        self._auditor = Auditor(clock, ids)

    async def __call__(self, command: CreateOwnerMembership) -> OwnerMembership:
        email = normalize_email(command.email)
        name = normalize_name(command.name)
        actor = service_actor(command.caller.role)
        async with self._uow as uow:
            now = self._clock.now()
            user = await uow.users.get_by_email(email, for_update=True)
            if user is not None:
                existing = await uow.memberships.get_by_user(command.company_id, user.id, for_update=True)
                if existing is not None:
                    if existing.is_owner:
                        return OwnerMembership(user_id=user.id, membership_id=existing.id, created=False)
                    raise AlreadyMember()
            else:
                if command.password is None:
                    raise PasswordRequired("A password is needed to create the owner's account.")
                self._settings.password_policy.check(command.password, context=(email, name))
                user = User.register(
                    user_id=self._ids.new_id(),
                    email=email,
                    name=name,
                    password_hash=await self._hasher.hash(command.password),
                    now=now,
                )
                await uow.users.add(user)
                await self._auditor.record(uow, actor=actor, action=AuditAction.USER_CREATED, target_user_id=user.id)
            membership = Membership.create(
                membership_id=self._ids.new_id(),
                user_id=user.id,
                company_id=command.company_id,
                role=Role.OWNER,
                now=now,
            )
            await uow.memberships.add(membership)
            await self._auditor.record(
                uow,
                actor=actor,
                action=AuditAction.OWNER_MEMBERSHIP_CREATED,
                company_id=command.company_id,
                target_membership_id=membership.id,
                target_user_id=user.id,
            )
            await uow.commit()
        return OwnerMembership(user_id=user.id, membership_id=membership.id, created=True)


class CreatePermissionHandler:
    def __init__(self, uow: AuthUnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow
        self._auditor = Auditor(clock, ids)

    async def __call__(self, command: CreatePermission) -> Permission:
        permission = Permission(key=parse_key(command.key), description=_description(command.description))
        async with self._uow as uow:
            actor = await authorize_catalog_caller(uow, command.caller)
            if await uow.permissions.get(permission.key) is not None:
                raise PermissionExists(f"The permission {permission.key!r} already exists.")
            await uow.permissions.add(permission)
            await self._auditor.record(
                uow, actor=actor, action=AuditAction.PERMISSION_CREATED, permission=permission.key
            )
            await uow.commit()
        return permission


class DeletePermissionHandler:
    """Delete a catalog key and every concrete grant or delegation of it (patterns stay), so that
    re-creating the key later cannot revive old grants."""

    def __init__(self, uow: AuthUnitOfWork, access_cache: AccessCache, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow
        self._access_cache = access_cache
        self._auditor = Auditor(clock, ids)

    async def __call__(self, command: DeletePermission) -> None:
        key = parse_key(command.key)
        async with self._uow as uow:
            actor = await authorize_catalog_caller(uow, command.caller)
            if await uow.permissions.get(key) is None:
                raise PermissionNotFound(f"The permission {key!r} does not exist.")
            await uow.permissions.remove(key)
            affected = await uow.memberships.list_with_permission_key(key)
            for membership in affected:
                if membership.forget_permission_key(key):
                    await uow.memberships.save(membership)
                    await self._auditor.record(
                        uow,
                        actor=actor,
                        action=AuditAction.PERMISSION_REVOKED,
                        company_id=membership.company_id,
                        target_membership_id=membership.id,
                        target_user_id=membership.user_id,
                        permission=key,
                        reason="catalog_deleted",
                    )
            await self._auditor.record(uow, actor=actor, action=AuditAction.PERMISSION_DELETED, permission=key)
            await uow.commit()
        for membership in affected:
            await self._access_cache.invalidate_membership(membership.company_id, membership.id)


class BootstrapPlatformAdminHandler:
    """Create the configured platform admin if that email has no account yet; otherwise change
    nothing (an existing account is neither promoted nor given the configured password)."""

    def __init__(
        self, uow: AuthUnitOfWork, hasher: PasswordHasher, clock: Clock, ids: IdGenerator, settings: AuthSettings
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._ids = ids
        self._settings = settings
        self._auditor = Auditor(clock, ids)

    async def __call__(self, command: BootstrapPlatformAdmin) -> BootstrapResult:
        email = normalize_email(command.email)
        name = normalize_name(command.name)
        async with self._uow as uow:
            existing = await uow.users.get_by_email(email)
            if existing is not None:
                return BootstrapResult(user_id=existing.id, created=False)
            self._settings.password_policy.check(command.password, context=(email, name))
            user = User.register(
                user_id=self._ids.new_id(),
                email=email,
                name=name,
                password_hash=await self._hasher.hash(command.password),
                now=self._clock.now(),
                is_platform_admin=True,
            )
            await uow.users.add(user)
            await self._auditor.record(
                uow,
                actor=service_actor("bootstrap"),
                action=AuditAction.PLATFORM_ADMIN_BOOTSTRAPPED,
                target_user_id=user.id,
            )
            await uow.commit()
        return BootstrapResult(user_id=user.id, created=True)


class HandleEntitlementsChangedHandler:
    """Core changed a company's entitlements: record the new version (which is what makes every
    auth process stop using access computed from the old one), then drop the company's cached
    entitlements and access. If recording fails, the notification fails and core sends it again."""

    def __init__(self, uow: AuthUnitOfWork, entitlements_cache: EntitlementsCache, access_cache: AccessCache) -> None:
        self._uow = uow
        self._entitlements_cache = entitlements_cache
        self._access_cache = access_cache

    async def __call__(self, command: HandleEntitlementsChanged) -> None:
        async with self._uow as uow:
            await uow.entitlement_versions.advance(command.company_id, command.entitlement_version)
            await uow.commit()
        await self._entitlements_cache.invalidate(command.company_id, min_version=command.entitlement_version)
        await self._access_cache.invalidate_company(command.company_id)
