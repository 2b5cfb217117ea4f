"""Market tables (schema-free: the role's search_path or SQLite file decides where they live)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import BigInteger, CheckConstraint, Index, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    metadata = MetaData()


class CampaignRow(Base):
    __tablename__ = "campaigns"
    __table_args__ = (
        CheckConstraint("channel IN ('email', 'social', 'ads', 'press')", name="ck_campaigns_channel"),
        CheckConstraint("status IN ('draft', 'scheduled', 'running', 'finished')", name="ck_campaigns_status"),
        CheckConstraint("ends_at >= starts_at", name="ck_campaigns_period"),
        CheckConstraint("budget_minor >= 0", name="ck_campaigns_budget"),
        Index("ix_campaigns_company_event", "company_id", "event_id"),
        Index("ix_campaigns_company_starts", "company_id", "starts_at"),
    )

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    company_id: Mapped[UUID] = mapped_column(GUID, nullable=False)
    event_id: Mapped[UUID] = mapped_column(GUID, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    starts_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    ends_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    budget_minor: Mapped[int] = mapped_column(BigInteger, nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)


metadata = Base.metadata
