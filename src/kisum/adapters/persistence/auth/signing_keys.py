"""SQL storage of access-token signing keys. Rows stay here; callers get ``StoredSigningKey``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kisum.adapters.persistence.auth.tables import SigningKeyRow
from kisum.adapters.persistence.errors import is_unique_violation
from kisum.adapters.persistence.uow import SqlUnitOfWork


@dataclass(frozen=True, slots=True)
class StoredSigningKey:
    kid: str
    generation: int
    private_key_pem: str
    created_at: datetime
    activates_at: datetime
    retires_at: datetime | None


def _to_stored(row: SigningKeyRow) -> StoredSigningKey:
    return StoredSigningKey(
        kid=row.kid,
        generation=row.generation,
        private_key_pem=row.private_key_pem,
        created_at=row.created_at,
        activates_at=row.activates_at,
        retires_at=row.retires_at,
    )


def _to_row(key: StoredSigningKey) -> SigningKeyRow:
    return SigningKeyRow(
        kid=key.kid,
        generation=key.generation,
        private_key_pem=key.private_key_pem,
        created_at=key.created_at,
        activates_at=key.activates_at,
        retires_at=key.retires_at,
    )


class SqlSigningKeyStore:
    """Each method is one short transaction of its own (this is infrastructure, not a use case)."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    async def load_all(self) -> list[StoredSigningKey]:
        async with SqlUnitOfWork(self._session_factory) as uow:
            rows = await uow.session.scalars(select(SigningKeyRow).order_by(SigningKeyRow.generation))
            return [_to_stored(row) for row in rows]

    async def insert(self, key: StoredSigningKey, *, retire_before: datetime | None = None) -> bool:
        """Insert ``key``; with ``retire_before``, end the signing period of every older open key.

        Returns False when another process won the race for the same ``generation`` (unique
        violation, SQLSTATE 23505): nothing is written and the caller re-reads.
        """
        async with SqlUnitOfWork(self._session_factory) as uow:
            uow.session.add(_to_row(key))
            try:
                await uow.session.flush()
            except IntegrityError as error:
                if is_unique_violation(error):
                    return False
                raise
            if retire_before is not None:
                await uow.session.execute(
                    update(SigningKeyRow)
                    .where(SigningKeyRow.generation < key.generation)
                    .where((SigningKeyRow.retires_at.is_(None)) | (SigningKeyRow.retires_at > retire_before))
                    .values(retires_at=retire_before)
                    .execution_options(synchronize_session=False)
                )
            await uow.commit()
        return True

    async def delete(self, kids: Iterable[str]) -> None:
        wanted = list(kids)
        if not wanted:
            return
        async with SqlUnitOfWork(self._session_factory) as uow:
            await uow.session.execute(
                delete(SigningKeyRow).where(SigningKeyRow.kid.in_(wanted)).where(SigningKeyRow.retires_at.is_not(None))
            )
            await uow.commit()
