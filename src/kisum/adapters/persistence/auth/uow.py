"""Auth's Unit of Work: one session and one transaction over every auth table.

Repositories execute their statements at once, so unique violations usually surface at ``add``
(already translated there). ``commit`` translates any that surface only then, by SQLSTATE
23505 and the table the driver names, into the same domain errors.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kisum.adapters.persistence.auth.repositories import (
    SqlAuditLog,
    SqlEntitlementVersionRepository,
    SqlMembershipRepository,
    SqlPermissionCatalogRepository,
    SqlSessionRepository,
    SqlUserRepository,
)
from kisum.adapters.persistence.errors import is_unique_violation
from kisum.adapters.persistence.uow import SqlUnitOfWork
from kisum.application.auth.ports import AuthUnitOfWork
from kisum.domain.auth.errors import AlreadyMember, EmailTaken, PermissionExists
from kisum.domain.errors import DomainError

_UNIQUE_ERRORS: dict[str, Callable[[], DomainError]] = {
    "users": lambda: EmailTaken("The email is already registered."),
    "company_memberships": AlreadyMember,
    "permissions": lambda: PermissionExists("The permission already exists."),
}


def _table_of(error: IntegrityError) -> str | None:
    """The table named by the driver's diagnostics (asyncpg exposes ``table_name``), if any."""
    original = error.orig
    for candidate in (original, getattr(original, "__cause__", None)):
        table = getattr(candidate, "table_name", None)
        if table:
            return str(table)
    return None


class SqlAuthUnitOfWork(SqlUnitOfWork):
    """``async with SqlAuthUnitOfWork(session_factory) as uow: …; await uow.commit()``.

    Leaving the block without ``commit`` rolls back. The same instance can be entered again
    afterwards (a new session each time), which is what a request-scoped provider needs.
    """

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        super().__init__(session_factory)
        self._users: SqlUserRepository | None = None
        self._memberships: SqlMembershipRepository | None = None
        self._sessions: SqlSessionRepository | None = None
        self._permissions: SqlPermissionCatalogRepository | None = None
        self._audit: SqlAuditLog | None = None
        self._entitlement_versions: SqlEntitlementVersionRepository | None = None

    @property
    def users(self) -> SqlUserRepository:
        if self._users is None:
            self._users = SqlUserRepository(self.session)
        return self._users

    @property
    def memberships(self) -> SqlMembershipRepository:
        if self._memberships is None:
            self._memberships = SqlMembershipRepository(self.session)
        return self._memberships

    @property
    def sessions(self) -> SqlSessionRepository:
        if self._sessions is None:
            self._sessions = SqlSessionRepository(self.session)
        return self._sessions

    @property
    def permissions(self) -> SqlPermissionCatalogRepository:
        if self._permissions is None:
            self._permissions = SqlPermissionCatalogRepository(self.session)
        return self._permissions

    @property
    def audit(self) -> SqlAuditLog:
        if self._audit is None:
            self._audit = SqlAuditLog(self.session)
        return self._audit

    async def commit(self) -> None:
        try:
            await super().commit()
        except IntegrityError as error:
            if is_unique_violation(error):
                translated = _UNIQUE_ERRORS.get(_table_of(error) or "")
                if translated is not None:
                    raise translated() from error
            raise

    @property
    def entitlement_versions(self) -> SqlEntitlementVersionRepository:
        if self._entitlement_versions is None:
            self._entitlement_versions = SqlEntitlementVersionRepository(self.session)
        return self._entitlement_versions

    async def close(self) -> None:
        await super().close()
        self._entitlement_versions = None
        self._users = None
        self._memberships = None
        self._sessions = None
        self._permissions = None
        self._audit = None


class SqlAuthUnitOfWorkFactory:
    """A fresh Unit of Work, for work outside a request's own (start-up tasks, bearer checks, shared builds)."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    def __call__(self) -> AuthUnitOfWork:
        return SqlAuthUnitOfWork(self._session_factory)


def _conforms(session_factory: async_sessionmaker[AsyncSession]) -> AuthUnitOfWork:
    """Never called: lets mypy prove ``SqlAuthUnitOfWork`` satisfies the port."""
    return SqlAuthUnitOfWork(session_factory)


__all__ = ["SqlAuthUnitOfWork", "SqlAuthUnitOfWorkFactory"]
