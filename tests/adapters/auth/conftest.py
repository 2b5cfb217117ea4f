"""Backends for auth's persistence tests: the in-memory fakes, PostgreSQL and SQLite.

``backend`` is parametrised, so every test that takes it states one behaviour of the ports
and proves the SQL adapters and the fakes (which the handler tests rely on) agree on it.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from kisum.adapters.persistence.auth.uow import SqlAuthUnitOfWork
from kisum.adapters.persistence.database import create_engine, create_session_factory
from kisum.adapters.persistence.migrations import upgrade_engine
from kisum.application.auth.ports import AuthUnitOfWork
from kisum.domain.auth.audit import AuditEntry
from kisum.domain.auth.identity import Membership, Role, User
from kisum.domain.auth.sessions import Session, SessionPolicy
from tests.application.auth.fakes import AuthState, FakeAuthUnitOfWork
from tests.support.postgres import EngineForRole

NOW = datetime(2030, 1, 1, 12, tzinfo=UTC)


class Backend:
    name: str

    def uow(self) -> AuthUnitOfWork:
        raise NotImplementedError

    async def committed_audit(self) -> list[AuditEntry]:
        """Every committed audit entry, oldest first."""
        raise NotImplementedError


class FakeBackend(Backend):
    name = "fake"

    def __init__(self) -> None:
        # One instance entered again and again: it publishes its working copy on commit.
        self.fake = FakeAuthUnitOfWork(AuthState())

    def uow(self) -> AuthUnitOfWork:
        return self.fake

    async def committed_audit(self) -> list[AuditEntry]:
        return sorted(self.fake.state.audit, key=lambda entry: (entry.at, entry.id))


class SqlBackend(Backend):
    def __init__(self, name: str, engine: AsyncEngine) -> None:
        self.name = name
        self.engine = engine
        self.sessions: async_sessionmaker[AsyncSession] = create_session_factory(engine)

    def uow(self) -> SqlAuthUnitOfWork:
        return SqlAuthUnitOfWork(self.sessions)

    async def committed_audit(self) -> list[AuditEntry]:
        async with self.uow() as uow:
            return list(reversed(await uow.audit.list_recent(limit=1000)))


@pytest.fixture
async def postgres_backend(engine_for: EngineForRole) -> SqlBackend:
    return SqlBackend("postgres", await engine_for("auth"))


@pytest.fixture
async def sqlite_backend(tmp_path: Path) -> AsyncIterator[SqlBackend]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'auth.db'}", "auth")
    try:
        await upgrade_engine(engine, "auth")
        yield SqlBackend("sqlite", engine)
    finally:
        await engine.dispose()


@pytest.fixture(params=["fake", pytest.param("postgres", marks=pytest.mark.postgres), "sqlite"])
def backend(request: pytest.FixtureRequest) -> Backend:
    if request.param == "fake":
        return FakeBackend()
    fixture: Backend = request.getfixturevalue(f"{request.param}_backend")
    return fixture


# --- domain objects --------------------------------------------------------------------------


def a_user(email: str | None = None, *, at: datetime = NOW, name: str = "Ada Lovelace") -> User:
    return User.register(
        user_id=uuid.uuid4(),
        email=email or f"user-{uuid.uuid4().hex[:10]}@example.com",
        name=name,
        password_hash="$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
        now=at,
    )


def a_membership(user: User, company_id: uuid.UUID, *, role: Role = Role.MEMBER, at: datetime = NOW) -> Membership:
    return Membership.create(membership_id=uuid.uuid4(), user_id=user.id, company_id=company_id, role=role, now=at)


def a_session(user: User, token_hash: str | None = None, *, at: datetime = NOW, days: int = 30) -> Session:
    return Session.start(
        session_id=uuid.uuid4(),
        user_id=user.id,
        refresh_token_hash=token_hash or uuid.uuid4().hex * 2,
        now=at,
        policy=SessionPolicy(absolute_lifetime=timedelta(days=days)),
        user_agent="Mozilla/5.0 (X11; Linux x86_64)",
        ip="203.0.113.7",
    )


@dataclass
class Stored:
    """Helpers that commit fixtures through a backend's own Unit of Work."""

    backend: Backend

    async def user(self, email: str | None = None) -> User:
        user = a_user(email)
        async with self.backend.uow() as uow:
            await uow.users.add(user)
            await uow.commit()
        return user

    async def membership(self, membership: Membership) -> Membership:
        async with self.backend.uow() as uow:
            await uow.memberships.add(membership)
            await uow.commit()
        return membership

    async def session(self, session: Session) -> Session:
        async with self.backend.uow() as uow:
            await uow.sessions.add(session)
            await uow.commit()
        return session


@pytest.fixture
def stored(backend: Backend) -> Stored:
    return Stored(backend)
