"""Touring repositories: a tour is loaded and saved with its legs, always within one company."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from kisum.adapters.persistence.errors import is_unique_violation
from kisum.adapters.persistence.tenant import TenantRepository
from kisum.adapters.persistence.touring.tables import TourLegRow, TourRow
from kisum.application.business.touring.ports import TourSummary
from kisum.domain.business.touring import Artist, Leg, LegDateTaken, Tour, TourStatus
from kisum.domain.paging import Page, PageRequest


def _leg_to_domain(row: TourLegRow) -> Leg:
    return Leg(
        id=row.id,
        tour_id=row.tour_id,
        date=row.leg_date,
        city=row.city,
        venue_name=row.venue_name,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _to_domain(row: TourRow, legs: list[TourLegRow]) -> Tour:
    return Tour(
        id=row.id,
        company_id=row.company_id,
        name=row.name,
        artist=Artist(row.artist_id, row.artist_name),
        status=TourStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        legs=[_leg_to_domain(leg) for leg in legs],
    )


def _to_row(tour: Tour, row: TourRow | None = None) -> TourRow:
    row = row or TourRow(id=tour.id, company_id=tour.company_id)
    row.name = tour.name
    row.artist_id = tour.artist.artist_id
    row.artist_name = tour.artist.name
    row.status = tour.status.value
    row.created_at = tour.created_at
    row.updated_at = tour.updated_at
    return row


def _leg_to_row(company_id: UUID, leg: Leg, row: TourLegRow | None = None) -> TourLegRow:
    row = row or TourLegRow(id=leg.id, company_id=company_id, tour_id=leg.tour_id)
    row.leg_date = leg.date
    row.city = leg.city
    row.venue_name = leg.venue_name
    row.created_at = leg.created_at
    row.updated_at = leg.updated_at
    return row


class SqlTourRepository(TenantRepository[TourRow]):
    row_type = TourRow
    noun = "tour"

    async def _leg_rows(self, tour_id: UUID) -> list[TourLegRow]:
        rows = await self.session.scalars(
            select(TourLegRow)
            .where(TourLegRow.company_id == self.company_id, TourLegRow.tour_id == tour_id)
            .order_by(TourLegRow.leg_date)
            .execution_options(populate_existing=True)
        )
        return list(rows)

    async def add(self, tour: Tour) -> None:
        self.session.add(self._own(_to_row(tour)))
        await self.session.flush()
        if tour.legs:
            await self.save(tour)

    async def get(self, tour_id: UUID, *, for_update: bool = False) -> Tour | None:
        row = await self._find(tour_id, for_update=for_update)
        if row is None:
            return None
        return _to_domain(row, await self._leg_rows(tour_id))

    async def save(self, tour: Tour) -> None:
        row = await self._find(tour.id)
        if row is None:
            raise LookupError(f"tour {tour.id} is not stored for this company")
        _to_row(tour, row)
        stored = {leg_row.id: leg_row for leg_row in await self._leg_rows(tour.id)}
        wanted = {leg.id: leg for leg in tour.legs}
        gone = [leg_id for leg_id in stored if leg_id not in wanted]
        try:
            if gone:  # deletes first, so a date freed by a removed leg can be reused at once
                await self.session.execute(
                    delete(TourLegRow)
                    .where(TourLegRow.company_id == self.company_id, TourLegRow.id.in_(gone))
                    .execution_options(synchronize_session=False)
                )
                for leg_id in gone:
                    self.session.expunge(stored[leg_id])
            for leg_id, leg in wanted.items():
                if leg_id in stored:
                    _leg_to_row(self.company_id, leg, stored[leg_id])
                else:
                    self.session.add(_leg_to_row(self.company_id, leg))
            await self.session.flush()
        except IntegrityError as error:
            if is_unique_violation(error):
                raise LegDateTaken("another leg of this tour was just put on that date") from error
            raise

    async def delete(self, tour_id: UUID) -> bool:
        scope = (TourLegRow.company_id == self.company_id, TourLegRow.tour_id == tour_id)
        await self.session.execute(delete(TourLegRow).where(*scope).execution_options(synchronize_session=False))
        return await self._delete(tour_id)

    async def find(self, page: PageRequest, *, status: TourStatus | None = None) -> Page[TourSummary]:
        conditions: list[Any] = []
        if status is not None:
            conditions.append(TourRow.status == status.value)
        total = await self._count(*conditions)
        legs = (
            select(
                TourLegRow.tour_id.label("tour_id"),
                func.count(TourLegRow.id).label("leg_count"),
                func.min(TourLegRow.leg_date).label("first_date"),
                func.max(TourLegRow.leg_date).label("last_date"),
            )
            .where(TourLegRow.company_id == self.company_id)
            .group_by(TourLegRow.tour_id)
            .subquery()
        )
        result = await self.session.execute(
            select(TourRow, legs.c.leg_count, legs.c.first_date, legs.c.last_date)
            .outerjoin(legs, legs.c.tour_id == TourRow.id)
            .where(TourRow.company_id == self.company_id, *conditions)
            .order_by(TourRow.name, TourRow.created_at, TourRow.id)
            .offset(page.offset)
            .limit(page.limit)
        )
        items = [
            TourSummary(
                id=row.id,
                name=row.name,
                artist=Artist(row.artist_id, row.artist_name),
                status=TourStatus(row.status),
                leg_count=leg_count or 0,
                first_date=first_date,
                last_date=last_date,
                created_at=row.created_at,
                updated_at=row.updated_at,
            )
            for row, leg_count, first_date, last_date in result.all()
        ]
        return Page(items, page.page, page.limit, total)
