"""Touring tables (schema-free: the role's search_path or SQLite file decides where they live).

``uq_tour_legs_tour_date`` backs the domain rule "one leg per date per tour" against races.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, MetaData, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

LEG_DATE_UNIQUE = "uq_tour_legs_tour_date"


class Base(DeclarativeBase):
    metadata = MetaData()


class TourRow(Base):
    __tablename__ = "tours"
    __table_args__ = (
        CheckConstraint(
            "status IN ('planning', 'announced', 'on_tour', 'completed', 'cancelled')", name="ck_tours_status"
        ),
        CheckConstraint("artist_id IS NOT NULL OR artist_name IS NOT NULL", name="ck_tours_artist"),
        Index("ix_tours_company_name", "company_id", "name"),
    )

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    company_id: Mapped[UUID] = mapped_column(GUID, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    artist_id: Mapped[UUID | None] = mapped_column(GUID, nullable=True)
    artist_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)


class TourLegRow(Base):
    __tablename__ = "tour_legs"
    __table_args__ = (
        UniqueConstraint("tour_id", "leg_date", name=LEG_DATE_UNIQUE),
        Index("ix_tour_legs_company_tour", "company_id", "tour_id"),
    )

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    company_id: Mapped[UUID] = mapped_column(GUID, nullable=False)
    tour_id: Mapped[UUID] = mapped_column(
        GUID, ForeignKey("tours.id", ondelete="CASCADE", name="fk_tour_legs_tour"), nullable=False
    )
    leg_date: Mapped[date] = mapped_column(Date, nullable=False)
    city: Mapped[str] = mapped_column(String(200), nullable=False)
    venue_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)


metadata = Base.metadata
