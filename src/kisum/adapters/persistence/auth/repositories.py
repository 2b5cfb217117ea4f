"""Auth's repositories over one session. Rows never leave this module: callers get domain objects.

Every read maps rows to fresh domain objects (detached copies) and every write is an explicit
statement executed at once (``insert``/``update``/``delete``), so nothing is pending in the
session, ``save`` works on an object loaded in any Unit of Work (or none), and reads later in
the same transaction see what was written. Selects use ``populate_existing`` so the identity
map never serves a stale row.

Reads are Core selects of the table columns mapped straight to domain objects (no ORM identity
map, no instance state), which is most of the cost of a small read. The per-request reads of
the bearer check and of ``/auth/me/access`` (``bearer_state``, ``access_stamp``) are one
statement each.

Memberships are loaded in two statements however many are read: the memberships (joined to
their delegation policy), then every child row of all of them in one ``UNION ALL`` (module
grants, permission grants, delegated modules, delegated permissions), each branch an index
range on ``membership_id``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kisum.adapters.persistence.auth.tables import (
    AuditLogRow,
    CompanyEntitlementVersionRow,
    DelegatedModuleRow,
    DelegatedPermissionRow,
    DelegationPolicyRow,
    MembershipModuleGrantRow,
    MembershipPermissionRow,
    MembershipRow,
    PermissionCatalogVersionRow,
    PermissionRow,
    SessionRefreshHashRow,
    SessionRow,
    UserRow,
)
from kisum.adapters.persistence.driver_read import fetch_row
from kisum.adapters.persistence.errors import is_unique_violation
from kisum.application.auth.ports import AccessStamp, BearerState, MembershipStamp, RefreshTokenOwner
from kisum.domain.auth.access import Permission
from kisum.domain.auth.audit import AuditAction, AuditEntry, AuditValue
from kisum.domain.auth.errors import AlreadyMember, EmailTaken, PermissionExists, PermissionNotFound
from kisum.domain.auth.identity import DelegationPolicy, Membership, MembershipStatus, Role, User, UserStatus
from kisum.domain.auth.sessions import RevocationReason, Session

CATALOG_VERSION_ID = 1


class NotStored(LookupError):
    """``save`` of an aggregate that was never added: a programming error, not a user error."""


# --- users -----------------------------------------------------------------------------------


_USERS = UserRow.__table__
_SESSIONS = SessionRow.__table__
_MEMBERSHIPS = MembershipRow.__table__


def _user_to_domain(row: Any, prefix: str = "") -> User:
    """A user from a row of the users table, or from its columns labelled ``prefix + name``."""
    return User(
        id=getattr(row, f"{prefix}id"),
        email=getattr(row, f"{prefix}email"),
        name=getattr(row, f"{prefix}name"),
        password_hash=getattr(row, f"{prefix}password_hash"),
        is_platform_admin=getattr(row, f"{prefix}is_platform_admin"),
        token_version=getattr(row, f"{prefix}token_version"),
        status=UserStatus(getattr(row, f"{prefix}status")),
        created_at=getattr(row, f"{prefix}created_at"),
    )


def _user_to_row(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "password_hash": user.password_hash,
        "is_platform_admin": user.is_platform_admin,
        "token_version": user.token_version,
        "status": user.status.value,
        "created_at": user.created_at,
    }


class SqlUserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _one(self, where: ColumnElement[bool], for_update: bool) -> User | None:
        statement = select(_USERS).where(where)
        if for_update:
            statement = statement.with_for_update()
        row = (await self._session.execute(statement)).one_or_none()
        return None if row is None else _user_to_domain(row)

    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None:
        """One primary-key lookup (a statement built once)."""
        statement = _USER_BY_ID_FOR_UPDATE if for_update else _USER_BY_ID
        row = (await self._session.execute(statement, {"user_id": user_id})).one_or_none()
        return None if row is None else _user_to_domain(row)

    async def get_by_email(self, email: str, *, for_update: bool = False) -> User | None:
        """``email`` is already normalised; one lookup on the unique email index."""
        return await self._one(UserRow.email == email, for_update)

    async def list_by_ids(self, user_ids: Collection[UUID]) -> list[User]:
        wanted = sorted(set(user_ids))
        if not wanted:
            return []
        rows = await self._session.execute(select(_USERS).where(UserRow.id.in_(wanted)))
        return [_user_to_domain(row) for row in rows]

    async def add(self, user: User) -> None:
        try:
            await self._session.execute(insert(UserRow).values(**_user_to_row(user)))
        except IntegrityError as error:
            if is_unique_violation(error):
                raise EmailTaken(f"The email {user.email!r} is already registered.") from error
            raise

    async def save(self, user: User) -> None:
        values = _user_to_row(user)
        del values["id"], values["created_at"]
        try:
            result = await self._session.execute(
                update(UserRow)
                .where(UserRow.id == user.id)
                .values(**values, updated_at=func.now())
                .execution_options(synchronize_session=False)
            )
        except IntegrityError as error:
            if is_unique_violation(error):
                raise EmailTaken(f"The email {user.email!r} is already registered.") from error
            raise
        if _rowcount(result) == 0:
            raise NotStored(f"user {user.id} was never added")


# --- sessions --------------------------------------------------------------------------------


def _session_to_domain(row: Any, previous: Iterable[str]) -> Session:
    return Session(
        id=row.id,
        user_id=row.user_id,
        refresh_token_hash=row.refresh_token_hash,
        created_at=row.created_at,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
        user_agent=row.user_agent,
        ip=row.ip,
        previous_token_hashes=frozenset(previous),
        revoked_at=row.revoked_at,
        revoked_reason=None if row.revoked_reason is None else RevocationReason(row.revoked_reason),
    )


def _session_to_row(session: Session) -> dict[str, Any]:
    return {
        "id": session.id,
        "user_id": session.user_id,
        "refresh_token_hash": session.refresh_token_hash,
        "user_agent": session.user_agent,
        "ip": session.ip,
        "created_at": session.created_at,
        "last_used_at": session.last_used_at,
        "expires_at": session.expires_at,
        "revoked_at": session.revoked_at,
        "revoked_reason": None if session.revoked_reason is None else session.revoked_reason.value,
    }


def _bearer_state(row: Mapping[str, Any]) -> BearerState:
    return BearerState(
        session_id=row["id"],
        user_id=row["user_id"],
        expires_at=row["expires_at"],
        revoked_at=row["revoked_at"],
        user_status=UserStatus(row["status"]),
        token_version=row["token_version"],
        is_platform_admin=row["is_platform_admin"],
    )


class SqlSessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        # Previous hashes known to be stored, as read under a row lock in this transaction (all
        # of them, or only the presented one for a refresh lookup): ``save`` of that session
        # inserts the others without reading them (nobody else can add any until the
        # transaction ends, and previous hashes are never removed).
        self._locked_previous: dict[UUID, frozenset[str]] = {}

    async def _previous_hashes(self, session_ids: Sequence[UUID]) -> dict[UUID, set[str]]:
        found: dict[UUID, set[str]] = defaultdict(set)
        if session_ids:
            rows = await self._session.execute(_PREVIOUS_HASHES, {"session_ids": list(session_ids)})
            for session_id, token_hash in rows:
                found[session_id].add(token_hash)
        return found

    async def _load(self, statement: Select[Any], *, for_update: bool = False) -> list[Session]:
        rows = list(await self._session.execute(statement))
        previous = await self._previous_hashes([row.id for row in rows])
        sessions = [_session_to_domain(row, previous.get(row.id, ())) for row in rows]
        if for_update:
            for loaded in sessions:
                self._locked_previous[loaded.id] = loaded.previous_token_hashes
        return sessions

    async def get(self, session_id: UUID, *, for_update: bool = False) -> Session | None:
        statement = select(_SESSIONS).where(SessionRow.id == session_id)
        if for_update:
            statement = statement.with_for_update()
        found = await self._load(statement, for_update=for_update)
        return found[0] if found else None

    async def bearer_state(self, session_id: UUID) -> BearerState | None:
        """One primary-key lookup joined to the user (no refresh-token hashes)."""
        row = await fetch_row(self._session, _BEARER_STATE, {"session_id": session_id})
        return None if row is None else _bearer_state(row)

    async def find_by_refresh_token_hash(
        self, token_hash: str, *, for_update: bool = False
    ) -> RefreshTokenOwner | None:
        """One statement, whatever the session's age: the id comes from the unique index on the
        current hash OR the primary key of the previous hashes (both indexed), then the session
        by primary key joined to its user by primary key. Whether ``token_hash`` is the current
        hash is read from the (locked) row itself; the other previous hashes are not read."""
        statement = _SESSION_BY_REFRESH_HASH_FOR_UPDATE if for_update else _SESSION_BY_REFRESH_HASH
        row = (await self._session.execute(statement, {"token_hash": token_hash})).first()
        if row is None:
            return None
        found = _session_to_domain(row, () if row.presented_is_current else (token_hash,))
        if for_update:
            self._locked_previous[found.id] = found.previous_token_hashes
        return RefreshTokenOwner(session=found, user=_user_to_domain(row, prefix=_USER_PREFIX))

    async def list_live_by_user(self, user_id: UUID, now: datetime) -> list[Session]:
        statement = (
            select(_SESSIONS)
            .where(SessionRow.user_id == user_id, SessionRow.revoked_at.is_(None), SessionRow.expires_at > now)
            .order_by(SessionRow.created_at.desc(), SessionRow.id.desc())
        )
        return await self._load(statement)

    async def add(self, session: Session) -> None:
        await self._session.execute(insert(SessionRow).values(**_session_to_row(session)))
        await self._insert_previous(session.id, session.previous_token_hashes)

    async def save(self, session: Session) -> None:
        """After a locked read, a rotation is one statement on PostgreSQL (the update, and the
        insert of the rotated hash in a CTE) and two on SQLite; otherwise the stored previous
        hashes are read first so that only new ones are inserted."""
        values = _session_to_row(session)
        del values["user_id"], values["created_at"]
        parameters = {f"{_SET}{key}": value for key, value in values.items()}
        locked = self._locked_previous.get(session.id)
        added = session.previous_token_hashes - locked if locked is not None else None
        if added is not None and len(added) == 1 and self._session.get_bind().dialect.name == "postgresql":
            (parameters["previous_hash"],) = added
            result = await self._session.execute(_SESSION_UPDATE_WITH_PREVIOUS_HASH, parameters)
            if _rowcount(result) == 0:  # the insert selects from the updated row
                raise NotStored(f"session {session.id} was never added")
        else:
            result = await self._session.execute(_SESSION_UPDATE, parameters)
            if _rowcount(result) == 0:
                raise NotStored(f"session {session.id} was never added")
            if added is None:
                stored = (await self._previous_hashes([session.id])).get(session.id, set())
                added = session.previous_token_hashes - stored
            await self._insert_previous(session.id, added)
        if locked is not None:
            self._locked_previous[session.id] = locked | session.previous_token_hashes

    async def _insert_previous(self, session_id: UUID, hashes: Collection[str]) -> None:
        rows = [{"session_id": session_id, "token_hash": token_hash} for token_hash in sorted(hashes)]
        if len(rows) == 1:  # a rotation: one plain INSERT, not the executemany path
            await self._session.execute(_INSERT_PREVIOUS_HASH, rows[0])
        elif rows:
            await self._session.execute(_INSERT_PREVIOUS_HASH, rows)


# The statements of a refresh are built once, like the per-request ones below: building a
# statement and computing its cache key cost more than running it from the compiled cache.
_USER_BY_ID = select(_USERS).where(_USERS.c.id == bindparam("user_id"))
_USER_BY_ID_FOR_UPDATE = _USER_BY_ID.with_for_update()
# Table columns only (no ORM attributes), so executing them skips the ORM's compile state.
_REFRESH_HASHES = SessionRefreshHashRow.__table__
_PREVIOUS_HASHES = select(_REFRESH_HASHES.c.session_id, _REFRESH_HASHES.c.token_hash).where(
    _REFRESH_HASHES.c.session_id.in_(bindparam("session_ids", expanding=True))
)
_REFRESH_HASH_OWNER = (
    union_all(
        select(_SESSIONS.c.id.label("session_id")).where(_SESSIONS.c.refresh_token_hash == bindparam("token_hash")),
        select(_REFRESH_HASHES.c.session_id).where(_REFRESH_HASHES.c.token_hash == bindparam("token_hash")),
    )
    .limit(1)
    .scalar_subquery()
)
_USER_PREFIX = "user__"  # the user's columns beside the session's (which has a user_id)
_SESSION_BY_REFRESH_HASH = (
    select(
        *_SESSIONS.c,
        (_SESSIONS.c.refresh_token_hash == bindparam("token_hash")).label("presented_is_current"),
        *(column.label(f"{_USER_PREFIX}{column.key}") for column in _USERS.c),
    )
    .join_from(_SESSIONS, _USERS, _USERS.c.id == _SESSIONS.c.user_id)
    .where(_SESSIONS.c.id == _REFRESH_HASH_OWNER)
)
# Only the session row is locked: the user is read as of the statement, like ``users.get``.
_SESSION_BY_REFRESH_HASH_FOR_UPDATE = _SESSION_BY_REFRESH_HASH.with_for_update(of=_SESSIONS)
_SET = "set_"  # bind names of an UPDATE's SET clause may not be column names
_SESSION_UPDATE = (
    update(cast(Table, _SESSIONS))
    .where(_SESSIONS.c.id == bindparam(f"{_SET}id"))
    .values(
        {
            column: bindparam(f"{_SET}{column.key}", type_=column.type)
            for column in _SESSIONS.c
            if column.key not in ("id", "user_id", "created_at")
        }
    )
)
_INSERT_PREVIOUS_HASH = insert(cast(Table, _REFRESH_HASHES))
# PostgreSQL only (SQLite has no data-modifying CTE): a rotation in one round trip.
_UPDATED_SESSION = _SESSION_UPDATE.returning(_SESSIONS.c.id).cte("updated_session")
_SESSION_UPDATE_WITH_PREVIOUS_HASH = (
    insert(cast(Table, _REFRESH_HASHES))
    .from_select(
        ["session_id", "token_hash"],
        select(_UPDATED_SESSION.c.id, bindparam("previous_hash", type_=_REFRESH_HASHES.c.token_hash.type)),
    )
    .add_cte(_UPDATED_SESSION)
)


# --- memberships -----------------------------------------------------------------------------

# The two per-request statements are built once: building a select and computing its cache key
# cost more than executing it from SQLAlchemy's compiled cache.
_BEARER_STATE = (
    select(
        SessionRow.id,
        SessionRow.user_id,
        SessionRow.expires_at,
        SessionRow.revoked_at,
        UserRow.status,
        UserRow.token_version,
        UserRow.is_platform_admin,
    )
    .join_from(SessionRow, UserRow, UserRow.id == SessionRow.user_id)
    .where(SessionRow.id == bindparam("session_id"))
)
_ACCESS_STAMP = (
    select(
        *_BEARER_STATE.selected_columns,
        MembershipRow.id.label("membership_id"),
        MembershipRow.access_version.label("membership_access_version"),
        select(PermissionCatalogVersionRow.version)
        .where(PermissionCatalogVersionRow.id == CATALOG_VERSION_ID)
        .scalar_subquery()
        .label("catalog_version"),
        select(CompanyEntitlementVersionRow.entitlement_version)
        .where(CompanyEntitlementVersionRow.company_id == bindparam("company_id"))
        .scalar_subquery()
        .label("entitlement_version"),
    )
    .join_from(SessionRow, UserRow, UserRow.id == SessionRow.user_id)
    .outerjoin(
        MembershipRow,
        and_(MembershipRow.user_id == SessionRow.user_id, MembershipRow.company_id == bindparam("company_id")),
    )
    .where(SessionRow.id == bindparam("session_id"))
)

_MODULE_GRANT = "module_grant"
_PERMISSION_GRANT = "permission_grant"
_DELEGATED_MODULE = "delegated_module"
_DELEGATED_PERMISSION = "delegated_permission"


@dataclass(slots=True)
class _Children:
    """The child rows of one membership, grouped by kind."""

    module_grants: set[str] = field(default_factory=set)
    permission_grants: set[str] = field(default_factory=set)
    delegated_modules: set[str] = field(default_factory=set)
    delegated_permissions: set[str] = field(default_factory=set)

    def of(self, kind: str) -> set[str]:
        sets: dict[str, set[str]] = {
            _MODULE_GRANT: self.module_grants,
            _PERMISSION_GRANT: self.permission_grants,
            _DELEGATED_MODULE: self.delegated_modules,
            _DELEGATED_PERMISSION: self.delegated_permissions,
        }
        return sets[kind]


def _membership_to_domain(row: Any, can_manage_members: bool | None, children: _Children) -> Membership:
    return Membership(
        id=row.id,
        user_id=row.user_id,
        company_id=row.company_id,
        role=Role(row.role),
        status=MembershipStatus(row.status),
        module_grants=frozenset(children.module_grants),
        permission_grants=frozenset(children.permission_grants),
        delegation=DelegationPolicy(
            can_manage_members=bool(can_manage_members),
            modules=frozenset(children.delegated_modules),
            permissions=frozenset(children.delegated_permissions),
        ),
        access_version=row.access_version,
        created_at=row.created_at,
    )


def _membership_to_row(membership: Membership) -> dict[str, Any]:
    return {
        "id": membership.id,
        "company_id": membership.company_id,
        "user_id": membership.user_id,
        "role": membership.role.value,
        "status": membership.status.value,
        "access_version": membership.access_version,
        "created_at": membership.created_at,
    }


def _children_of(membership: Membership) -> _Children:
    return _Children(
        module_grants=set(membership.module_grants),
        permission_grants=set(membership.permission_grants),
        delegated_modules=set(membership.delegation.modules),
        delegated_permissions=set(membership.delegation.permissions),
    )


# (kind, table, value column) of every child set; delegated rows hang off the policy row.
_CHILD_TABLES: tuple[tuple[str, Any, Any], ...] = (
    (_MODULE_GRANT, MembershipModuleGrantRow, MembershipModuleGrantRow.module),
    (_PERMISSION_GRANT, MembershipPermissionRow, MembershipPermissionRow.pattern),
    (_DELEGATED_MODULE, DelegatedModuleRow, DelegatedModuleRow.module),
    (_DELEGATED_PERMISSION, DelegatedPermissionRow, DelegatedPermissionRow.pattern),
)


class SqlMembershipRepository:
    """Reads that take a ``company_id`` filter on it: another company's membership is not found."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _children(self, membership_ids: Sequence[UUID]) -> dict[UUID, _Children]:
        found: dict[UUID, _Children] = defaultdict(_Children)
        if not membership_ids:
            return found
        branches = [
            select(table.membership_id, literal(kind).label("kind"), value.label("value")).where(
                table.membership_id.in_(membership_ids)
            )
            for kind, table, value in _CHILD_TABLES
        ]
        for membership_id, kind, value in await self._session.execute(union_all(*branches)):
            found[membership_id].of(kind).add(value)
        return found

    async def _load(
        self,
        where: Iterable[ColumnElement[bool]],
        *,
        for_update: bool = False,
        offset: int | None = None,
        limit: int | None = None,
    ) -> list[Membership]:
        statement = (
            select(_MEMBERSHIPS, DelegationPolicyRow.can_manage_members.label("policy_can_manage_members"))
            .outerjoin(DelegationPolicyRow, DelegationPolicyRow.membership_id == MembershipRow.id)
            .where(*where)
            .order_by(MembershipRow.created_at, MembershipRow.id)
            .offset(offset)
            .limit(limit)
        )
        if for_update:
            # Only the membership row: the policy is the nullable side of the outer join.
            statement = statement.with_for_update(of=_MEMBERSHIPS)
        rows = (await self._session.execute(statement)).all()
        children = await self._children([row.id for row in rows])
        return [
            _membership_to_domain(row, row.policy_can_manage_members, children.get(row.id, _Children())) for row in rows
        ]

    async def get(self, company_id: UUID, membership_id: UUID, *, for_update: bool = False) -> Membership | None:
        found = await self._load(
            [MembershipRow.id == membership_id, MembershipRow.company_id == company_id], for_update=for_update
        )
        return found[0] if found else None

    async def get_by_user(self, company_id: UUID, user_id: UUID, *, for_update: bool = False) -> Membership | None:
        """The access hot path: one lookup on the unique (company_id, user_id) index, then the
        child rows in one statement."""
        found = await self._load(
            [MembershipRow.company_id == company_id, MembershipRow.user_id == user_id], for_update=for_update
        )
        return found[0] if found else None

    async def list_by_user(self, user_id: UUID) -> list[Membership]:
        return await self._load([MembershipRow.user_id == user_id])

    async def access_stamp(self, session_id: UUID, company_id: UUID) -> AccessStamp | None:
        """The ``/auth/me/access`` hot path: the session by primary key joined to its user, the
        user's membership on the unique (company_id, user_id) index, and the catalog's single
        version row, in one statement (on the driver itself in a read-only block)."""
        row = await fetch_row(self._session, _ACCESS_STAMP, {"session_id": session_id, "company_id": company_id})
        if row is None:
            return None
        if row["catalog_version"] is None:
            raise RuntimeError("the permission catalog version row is missing: run the auth migrations")
        membership = (
            None
            if row["membership_id"] is None
            else MembershipStamp(membership_id=row["membership_id"], access_version=row["membership_access_version"])
        )
        entitlement_version = row["entitlement_version"]
        return AccessStamp(
            bearer=_bearer_state(row),
            membership=membership,
            catalog_version=int(row["catalog_version"]),
            entitlement_version=None if entitlement_version is None else int(entitlement_version),
        )

    async def list_by_company(self, company_id: UUID, *, offset: int, limit: int) -> tuple[list[Membership], int]:
        total = await self._session.scalar(
            select(func.count()).select_from(MembershipRow).where(MembershipRow.company_id == company_id)
        )
        page = await self._load([MembershipRow.company_id == company_id], offset=offset, limit=limit)
        return page, int(total or 0)

    async def list_with_permission_key(self, key: str) -> list[Membership]:
        """Memberships of any company granting or delegating exactly ``key``, locked for update."""
        granting = select(MembershipPermissionRow.membership_id).where(MembershipPermissionRow.pattern == key)
        delegating = select(DelegatedPermissionRow.membership_id).where(DelegatedPermissionRow.pattern == key)
        return await self._load(
            [or_(MembershipRow.id.in_(granting), MembershipRow.id.in_(delegating))], for_update=True
        )

    async def add(self, membership: Membership) -> None:
        try:
            await self._session.execute(insert(MembershipRow).values(**_membership_to_row(membership)))
        except IntegrityError as error:
            if is_unique_violation(error):
                raise AlreadyMember() from error
            raise
        await self._write_policy(membership.id, membership.delegation, stored=False)
        await self._write_children(membership.id, _children_of(membership), _Children())

    async def save(self, membership: Membership) -> None:
        """Role, status and access_version; grant sets and delegation replaced to match exactly."""
        result = await self._session.execute(
            update(MembershipRow)
            .where(MembershipRow.id == membership.id)
            .values(
                role=membership.role.value,
                status=membership.status.value,
                access_version=membership.access_version,
                updated_at=func.now(),
            )
            .execution_options(synchronize_session=False)
        )
        if _rowcount(result) == 0:
            raise NotStored(f"membership {membership.id} was never added")
        has_policy = (
            await self._session.scalar(
                select(DelegationPolicyRow.membership_id).where(DelegationPolicyRow.membership_id == membership.id)
            )
        ) is not None
        stored = (await self._children([membership.id])).get(membership.id, _Children())
        if has_policy and membership.delegation.is_empty:
            # Dropping the policy row cascades to its delegated rows.
            stored.delegated_modules.clear()
            stored.delegated_permissions.clear()
        await self._write_policy(membership.id, membership.delegation, stored=has_policy)
        await self._write_children(membership.id, _children_of(membership), stored)

    async def _write_policy(self, membership_id: UUID, policy: DelegationPolicy, *, stored: bool) -> None:
        if policy.is_empty:
            if stored:
                await self._session.execute(
                    delete(DelegationPolicyRow).where(DelegationPolicyRow.membership_id == membership_id)
                )
        elif stored:
            await self._session.execute(
                update(DelegationPolicyRow)
                .where(DelegationPolicyRow.membership_id == membership_id)
                .values(can_manage_members=policy.can_manage_members)
                .execution_options(synchronize_session=False)
            )
        else:
            await self._session.execute(
                insert(DelegationPolicyRow).values(
                    membership_id=membership_id, can_manage_members=policy.can_manage_members
                )
            )

    async def _write_children(self, membership_id: UUID, wanted: _Children, stored: _Children) -> None:
        """Delete what was removed, insert what was added; rows that stay are not touched."""
        for kind, table, value in _CHILD_TABLES:
            removed = stored.of(kind) - wanted.of(kind)
            added = wanted.of(kind) - stored.of(kind)
            if removed:
                await self._session.execute(
                    delete(table).where(table.membership_id == membership_id, value.in_(sorted(removed)))
                )
            if added:
                await self._session.execute(
                    insert(table), [{"membership_id": membership_id, value.key: item} for item in sorted(added)]
                )


# --- permission catalog ----------------------------------------------------------------------


def _permission_to_domain(row: PermissionRow) -> Permission:
    return Permission(key=row.key, description=row.description)


class SqlPermissionCatalogRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, key: str) -> Permission | None:
        row = (
            await self._session.scalars(
                select(PermissionRow).where(PermissionRow.key == key).execution_options(populate_existing=True)
            )
        ).one_or_none()
        return None if row is None else _permission_to_domain(row)

    async def list_all(self) -> list[Permission]:
        rows = await self._session.scalars(
            select(PermissionRow).order_by(PermissionRow.key).execution_options(populate_existing=True)
        )
        return [_permission_to_domain(row) for row in rows]

    async def keys(self) -> frozenset[str]:
        return frozenset(await self._session.scalars(select(PermissionRow.key)))

    async def version(self) -> int:
        value = await self._session.scalar(
            select(PermissionCatalogVersionRow.version).where(PermissionCatalogVersionRow.id == CATALOG_VERSION_ID)
        )
        if value is None:
            raise RuntimeError("the permission catalog version row is missing: run the auth migrations")
        return int(value)

    async def add(self, permission: Permission) -> None:
        try:
            await self._session.execute(
                insert(PermissionRow).values(
                    key=permission.key, module=permission.module, description=permission.description
                )
            )
        except IntegrityError as error:
            if is_unique_violation(error):
                raise PermissionExists(f"The permission {permission.key!r} already exists.") from error
            raise
        await self._bump()

    async def remove(self, key: str) -> None:
        result = await self._session.execute(delete(PermissionRow).where(PermissionRow.key == key))
        if _rowcount(result) == 0:
            raise PermissionNotFound(f"The permission {key!r} does not exist.")
        await self._bump()

    async def _bump(self) -> None:
        # The row lock taken here also serialises concurrent catalog changes.
        await self._session.execute(
            update(PermissionCatalogVersionRow)
            .where(PermissionCatalogVersionRow.id == CATALOG_VERSION_ID)
            .values(version=PermissionCatalogVersionRow.version + 1)
            .execution_options(synchronize_session=False)
        )


# --- audit -----------------------------------------------------------------------------------


def _details_to_json(details: Mapping[str, AuditValue]) -> dict[str, Any]:
    return {name: list(value) if isinstance(value, tuple) else value for name, value in details.items()}


def _details_to_domain(details: Mapping[str, Any]) -> dict[str, AuditValue]:
    return {name: tuple(value) if isinstance(value, list) else value for name, value in details.items()}


def _audit_to_domain(row: AuditLogRow) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        at=row.at,
        actor=row.actor,
        action=AuditAction(row.action),
        company_id=row.company_id,
        target_membership_id=row.target_membership_id,
        target_user_id=row.target_user_id,
        details=_details_to_domain(row.details),
    )


class SqlAuditLog:
    """Entries are written in the Unit of Work's transaction: they exist iff the change does."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, entry: AuditEntry) -> None:
        await self._session.execute(
            insert(AuditLogRow).values(
                id=entry.id,
                at=entry.at,
                actor=entry.actor,
                action=entry.action.value,
                company_id=entry.company_id,
                target_membership_id=entry.target_membership_id,
                target_user_id=entry.target_user_id,
                details=_details_to_json(entry.details),
            )
        )

    async def list_recent(self, *, company_id: UUID | None = None, limit: int = 100) -> list[AuditEntry]:
        """Newest first; one company's entries when ``company_id`` is given."""
        statement = select(AuditLogRow).order_by(AuditLogRow.at.desc(), AuditLogRow.id.desc()).limit(limit)
        if company_id is not None:
            statement = statement.where(AuditLogRow.company_id == company_id)
        rows = await self._session.scalars(statement.execution_options(populate_existing=True))
        return [_audit_to_domain(row) for row in rows]


# --- entitlement versions --------------------------------------------------------------------


_ENTITLEMENT_VERSIONS = cast(Table, CompanyEntitlementVersionRow.__table__)


class SqlEntitlementVersionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def advance(self, company_id: UUID, version: int) -> None:
        """One upsert whose update only ever raises the version (PostgreSQL and SQLite alike)."""
        dialect_insert = postgresql_insert if self._session.get_bind().dialect.name == "postgresql" else sqlite_insert
        statement = dialect_insert(_ENTITLEMENT_VERSIONS).values(company_id=company_id, entitlement_version=version)
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=[_ENTITLEMENT_VERSIONS.c.company_id],
                set_={"entitlement_version": statement.excluded.entitlement_version},
                where=_ENTITLEMENT_VERSIONS.c.entitlement_version < statement.excluded.entitlement_version,
            )
        )


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


__all__ = [
    "NotStored",
    "SqlAuditLog",
    "SqlMembershipRepository",
    "SqlPermissionCatalogRepository",
    "SqlSessionRepository",
    "SqlUserRepository",
]
