"""Venue tables (schema-free: the role's search_path or SQLite file decides where they live)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import CheckConstraint, Index, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    metadata = MetaData()


class HoldRow(Base):
    __tablename__ = "venue_holds"
    __table_args__ = (
        CheckConstraint("hold_type IN ('first', 'second', 'confirmed')", name="ck_venue_holds_type"),
        CheckConstraint("ends_at > starts_at", name="ck_venue_holds_period"),
        Index("ix_venue_holds_company_venue_starts", "company_id", "venue_id", "starts_at"),
        Index("ix_venue_holds_company_starts", "company_id", "starts_at"),
    )

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    company_id: Mapped[UUID] = mapped_column(GUID, nullable=False)
    venue_id: Mapped[UUID] = mapped_column(GUID, nullable=False)
    starts_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    ends_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    hold_type: Mapped[str] = mapped_column(String(16), nullable=False)
    note: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)


metadata = Base.metadata
