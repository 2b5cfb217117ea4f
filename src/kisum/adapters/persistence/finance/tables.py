"""Finance tables (schema-free: the role's search_path or SQLite file decides where they live)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import BigInteger, CheckConstraint, Date, Index, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    metadata = MetaData()


class BudgetLineRow(Base):
    __tablename__ = "budget_lines"
    __table_args__ = (
        CheckConstraint("kind IN ('income', 'expense')", name="ck_budget_lines_kind"),
        CheckConstraint("amount_minor >= 0", name="ck_budget_lines_amount"),
        Index("ix_budget_lines_company_event", "company_id", "event_id"),
        Index("ix_budget_lines_company_date", "company_id", "entry_date"),
    )

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    company_id: Mapped[UUID] = mapped_column(GUID, nullable=False)
    event_id: Mapped[UUID] = mapped_column(GUID, nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    category: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str | None] = mapped_column(String(500), nullable=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger, nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    entry_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)


metadata = Base.metadata
