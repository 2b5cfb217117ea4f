"""Venue repositories: every statement is filtered by the company the repository was built for."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text

from kisum.adapters.persistence.tenant import TenantRepository
from kisum.adapters.persistence.venue.tables import HoldRow
from kisum.domain.business.venue import Hold, HoldType
from kisum.domain.intervals import Interval
from kisum.domain.paging import Page, PageRequest


def _to_domain(row: HoldRow) -> Hold:
    return Hold(
        id=row.id,
        company_id=row.company_id,
        venue_id=row.venue_id,
        period=Interval(row.starts_at, row.ends_at),
        hold_type=HoldType(row.hold_type),
        note=row.note,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _to_row(hold: Hold, row: HoldRow | None = None) -> HoldRow:
    row = row or HoldRow(id=hold.id, company_id=hold.company_id)
    row.venue_id = hold.venue_id
    row.starts_at = hold.period.starts_at
    row.ends_at = hold.period.ends_at
    row.hold_type = hold.hold_type.value
    row.note = hold.note
    row.created_at = hold.created_at
    row.updated_at = hold.updated_at
    return row


def venue_lock_key(company_id: UUID, venue_id: UUID) -> int:
    """A signed 64-bit advisory-lock key for one company's venue calendar."""
    digest = hashlib.blake2b(company_id.bytes + venue_id.bytes, digest_size=8, person=b"kisum-venue").digest()
    return int.from_bytes(digest, "big", signed=True)


class SqlHoldRepository(TenantRepository[HoldRow]):
    row_type = HoldRow
    noun = "hold"

    async def add(self, hold: Hold) -> None:
        self.session.add(self._own(_to_row(hold)))
        await self.session.flush()

    async def get(self, hold_id: UUID, *, for_update: bool = False) -> Hold | None:
        row = await self._find(hold_id, for_update=for_update)
        return None if row is None else _to_domain(row)

    async def save(self, hold: Hold) -> None:
        row = await self._find(hold.id)
        if row is None:
            raise LookupError(f"hold {hold.id} is not stored for this company")
        _to_row(hold, row)
        await self.session.flush()

    async def delete(self, hold_id: UUID) -> bool:
        return await self._delete(hold_id)

    async def find(
        self, page: PageRequest, *, venue_id: UUID | None = None, hold_type: HoldType | None = None
    ) -> Page[Hold]:
        conditions: list[Any] = []
        if venue_id is not None:
            conditions.append(HoldRow.venue_id == venue_id)
        if hold_type is not None:
            conditions.append(HoldRow.hold_type == hold_type.value)
        rows, total = await self._page(
            self._scoped().where(*conditions),
            offset=page.offset,
            limit=page.limit,
            order_by=(
                HoldRow.starts_at,
                HoldRow.created_at,
                HoldRow.id,
            ),
        )
        return Page([_to_domain(row) for row in rows], page.page, page.limit, total)

    async def overlapping(self, window: Interval[datetime], *, venue_id: UUID | None = None) -> list[Hold]:
        conditions = [
            HoldRow.starts_at < window.ends_at,
            HoldRow.ends_at > window.starts_at,
        ]
        if venue_id is not None:
            conditions.append(HoldRow.venue_id == venue_id)
        rows = await self.session.scalars(
            self._scoped()
            .where(*conditions)
            .order_by(HoldRow.starts_at, HoldRow.created_at, HoldRow.id)
            .execution_options(populate_existing=True)
        )
        return [_to_domain(row) for row in rows]

    async def lock_venue(self, venue_id: UUID) -> None:
        """PostgreSQL: a transaction-scoped advisory lock. SQLite has one writer at a time anyway."""
        if self.session.bind.dialect.name == "postgresql":
            await self.session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": venue_lock_key(self.company_id, venue_id)}
            )
