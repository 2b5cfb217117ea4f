"""Tenant management: memberships, grants and delegation policies, always through the domain's
delegation rule (``kisum.domain.auth.delegation``) before anything is written.

Shape of every handler: validate input (400) → actor membership (403 ``NOT_A_MEMBER``) →
entitlements (503 when core is down) → lock actor + target (404 ``MEMBERSHIP_NOT_FOUND``) →
catalog checks (400 ``UNKNOWN_PERMISSION``) → domain rule (403 ``DELEGATION_EXCEEDED``) →
save + audit → commit once → drop the target's cached access.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from kisum.application.auth.commands import (
    CreateMembership,
    GrantModules,
    GrantPermissions,
    RevokeModule,
    RevokePermission,
    SetDelegationPolicy,
    TenantActor,
    UpdateMembership,
)
from kisum.application.auth.ports import AccessCache, AuthUnitOfWork, PasswordHasher
from kisum.application.auth.services import Auditor, EntitlementsReader, load_actor, lock_actor_and_target
from kisum.application.auth.settings import AuthSettings
from kisum.application.auth.views import MembershipCreated, MembershipView
from kisum.application.ports import Clock, IdGenerator
from kisum.domain.auth import delegation
from kisum.domain.auth.audit import AuditAction, AuditValue, user_actor
from kisum.domain.auth.delegation import Authority
from kisum.domain.auth.errors import AlreadyMember, MembershipNotFound, NotAMember, UnknownPermission
from kisum.domain.auth.identity import (
    DelegationPolicy,
    Membership,
    MembershipStatus,
    Role,
    User,
    normalize_email,
    normalize_name,
    parse_modules,
    parse_patterns,
)
from kisum.domain.errors import InvalidInput
from kisum.domain.permissions import is_wildcard


async def ensure_known_permissions(uow: AuthUnitOfWork, patterns: Iterable[str]) -> None:
    """Concrete keys must exist in the catalog; wildcards may match keys added later."""
    concrete = [p for p in patterns if not is_wildcard(p)]
    if not concrete:
        return
    catalog = await uow.permissions.keys()
    unknown = sorted(k for k in concrete if k not in catalog)
    if unknown:
        raise UnknownPermission(f"Unknown permissions: {', '.join(unknown)}.")


class _TenantHandler:
    def __init__(
        self,
        uow: AuthUnitOfWork,
        entitlements: EntitlementsReader,
        access_cache: AccessCache,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._uow = uow
        self._entitlements = entitlements
        self._access_cache = access_cache
        self._clock = clock
        self._ids = ids
        self._auditor = Auditor(clock, ids)

    async def _load(self, uow: AuthUnitOfWork, actor: TenantActor, membership_id: UUID) -> tuple[Authority, Membership]:
        user, probe = await load_actor(uow, actor)
        entitlements = await self._entitlements.get(actor.company_id)
        actor_membership, target = await lock_actor_and_target(uow, probe, membership_id)
        return Authority.of(user=user, membership=actor_membership, entitlements=entitlements), target

    async def _target_view(self, uow: AuthUnitOfWork, target: Membership) -> MembershipView:
        user = await uow.users.get(target.user_id)
        if user is None:  # a membership without its user would be a broken invariant
            raise MembershipNotFound()
        return MembershipView.of(target, user)

    async def _after_commit(self, target: Membership) -> None:
        await self._access_cache.invalidate_membership(target.company_id, target.id)

    async def _save_changed(
        self, uow: AuthUnitOfWork, actor: TenantActor, target: Membership, action: AuditAction, **details: AuditValue
    ) -> None:
        """Every change of a member's grants is saved with its audit entry, in the same transaction."""
        await uow.memberships.save(target)
        await self._auditor.record(
            uow,
            actor=user_actor(actor.user_id),
            action=action,
            company_id=target.company_id,
            target_membership_id=target.id,
            target_user_id=target.user_id,
            **details,
        )


class CreateMembershipHandler(_TenantHandler):
    """Add a member (creating the user if the email is new).

    For an existing user, ``name`` and ``password`` are ignored: a tenant manager must never be
    able to set the password (or rename the account) of someone who already has an account.
    """

    def __init__(
        self,
        uow: AuthUnitOfWork,
        entitlements: EntitlementsReader,
        access_cache: AccessCache,
        hasher: PasswordHasher,
        clock: Clock,
        ids: IdGenerator,
        settings: AuthSettings,
    ) -> None:
        super().__init__(uow, entitlements, access_cache, clock, ids)
        self._hasher = hasher
        self._settings = settings

    async def __call__(self, command: CreateMembership) -> MembershipCreated:
        email = normalize_email(command.email)
        name = normalize_name(command.name)
        role = Role(command.role)
        actor = command.actor
        async with self._uow as uow:
            user, probe = await load_actor(uow, actor)
            entitlements = await self._entitlements.get(actor.company_id)
            actor_membership = await uow.memberships.get(actor.company_id, probe.id, for_update=True)
            if actor_membership is None:
                raise NotAMember()
            authority = Authority.of(user=user, membership=actor_membership, entitlements=entitlements)
            authority.ensure_may_create_membership(role)

            now = self._clock.now()
            member = await uow.users.get_by_email(email)
            user_created = member is None
            if member is None:
                password_hash: str | None = None
                if command.password is not None:
                    self._settings.password_policy.check(command.password, context=(email, name))
                    password_hash = await self._hasher.hash(command.password)
                member = User.register(
                    user_id=self._ids.new_id(), email=email, name=name, password_hash=password_hash, now=now
                )
                await uow.users.add(member)
            elif await uow.memberships.get_by_user(actor.company_id, member.id) is not None:
                raise AlreadyMember()

            membership = delegation.create_membership_by(
                authority, membership_id=self._ids.new_id(), user_id=member.id, role=role, now=now
            )
            await uow.memberships.add(membership)
            if user_created:
                await self._auditor.record(
                    uow, actor=user_actor(actor.user_id), action=AuditAction.USER_CREATED, target_user_id=member.id
                )
            await self._auditor.record(
                uow,
                actor=user_actor(actor.user_id),
                action=AuditAction.MEMBERSHIP_CREATED,
                company_id=actor.company_id,
                target_membership_id=membership.id,
                target_user_id=member.id,
                role=role.value,
            )
            await uow.commit()
        return MembershipCreated(membership=MembershipView.of(membership, member), user_created=user_created)


class UpdateMembershipHandler(_TenantHandler):
    async def __call__(self, command: UpdateMembership) -> MembershipView:
        if command.role is None and command.status is None:
            raise InvalidInput("Nothing to update: give a role or a status.")
        role = Role(command.role) if command.role is not None else None
        status = MembershipStatus(command.status) if command.status is not None else None
        async with self._uow as uow:
            authority, target = await self._load(uow, command.actor, command.membership_id)
            before_role, before_status = target.role, target.status
            changed = delegation.update_membership_by(authority, target, role=role, status=status)
            if changed:
                await uow.memberships.save(target)
                actor = user_actor(command.actor.user_id)
                if target.role is not before_role:
                    await self._auditor.record(
                        uow,
                        actor=actor,
                        action=AuditAction.ROLE_CHANGED,
                        company_id=target.company_id,
                        target_membership_id=target.id,
                        target_user_id=target.user_id,
                        before=before_role.value,
                        after=target.role.value,
                    )
                if target.status is not before_status:
                    await self._auditor.record(
                        uow,
                        actor=actor,
                        action=AuditAction.STATUS_CHANGED,
                        company_id=target.company_id,
                        target_membership_id=target.id,
                        target_user_id=target.user_id,
                        before=before_status.value,
                        after=target.status.value,
                    )
            view = await self._target_view(uow, target)
            await uow.commit()
        await self._after_commit(target)
        return view


class GrantModulesHandler(_TenantHandler):
    async def __call__(self, command: GrantModules) -> MembershipView:
        modules = parse_modules(command.modules)
        async with self._uow as uow:
            authority, target = await self._load(uow, command.actor, command.membership_id)
            added = delegation.grant_modules_by(authority, target, modules)
            if added:
                await self._save_changed(
                    uow, command.actor, target, AuditAction.MODULES_GRANTED, modules=tuple(sorted(added))
                )
            view = await self._target_view(uow, target)
            await uow.commit()
        await self._after_commit(target)
        return view


class RevokeModuleHandler(_TenantHandler):
    async def __call__(self, command: RevokeModule) -> MembershipView:
        (module,) = parse_modules([command.module])
        async with self._uow as uow:
            authority, target = await self._load(uow, command.actor, command.membership_id)
            if delegation.revoke_module_by(authority, target, module):
                await self._save_changed(uow, command.actor, target, AuditAction.MODULE_REVOKED, module=module)
            view = await self._target_view(uow, target)
            await uow.commit()
        await self._after_commit(target)
        return view


class GrantPermissionsHandler(_TenantHandler):
    async def __call__(self, command: GrantPermissions) -> MembershipView:
        patterns = parse_patterns(command.permissions)
        async with self._uow as uow:
            authority, target = await self._load(uow, command.actor, command.membership_id)
            await ensure_known_permissions(uow, patterns)
            added = delegation.grant_permissions_by(authority, target, patterns)
            if added:
                await self._save_changed(
                    uow, command.actor, target, AuditAction.PERMISSIONS_GRANTED, permissions=tuple(sorted(added))
                )
            view = await self._target_view(uow, target)
            await uow.commit()
        await self._after_commit(target)
        return view


class RevokePermissionHandler(_TenantHandler):
    async def __call__(self, command: RevokePermission) -> MembershipView:
        (pattern,) = parse_patterns([command.permission])
        async with self._uow as uow:
            authority, target = await self._load(uow, command.actor, command.membership_id)
            if delegation.revoke_permission_by(authority, target, pattern):
                await self._save_changed(uow, command.actor, target, AuditAction.PERMISSION_REVOKED, permission=pattern)
            view = await self._target_view(uow, target)
            await uow.commit()
        await self._after_commit(target)
        return view


class SetDelegationPolicyHandler(_TenantHandler):
    async def __call__(self, command: SetDelegationPolicy) -> MembershipView:
        policy = DelegationPolicy.of(
            can_manage_members=command.can_manage_members, modules=command.modules, permissions=command.permissions
        )
        async with self._uow as uow:
            authority, target = await self._load(uow, command.actor, command.membership_id)
            await ensure_known_permissions(uow, policy.permissions - target.delegation.permissions)
            if delegation.set_delegation_by(authority, target, policy):
                await self._save_changed(
                    uow,
                    command.actor,
                    target,
                    AuditAction.DELEGATION_SET,
                    can_manage_members=policy.can_manage_members,
                    modules=tuple(sorted(policy.modules)),
                    permissions=tuple(sorted(policy.permissions)),
                )
            view = await self._target_view(uow, target)
            await uow.commit()
        await self._after_commit(target)
        return view
