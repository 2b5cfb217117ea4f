"""AI tables (schema-free: the role's search_path or SQLite file decides where they live)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import JSON, CheckConstraint, Index, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    metadata = MetaData()


class SuggestionRequestRow(Base):
    __tablename__ = "suggestion_requests"
    __table_args__ = (
        CheckConstraint("kind IN ('setlist', 'event-description', 'pricing')", name="ck_suggestion_requests_kind"),
        Index("ix_suggestion_requests_company_created", "company_id", "created_at"),
    )

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    company_id: Mapped[UUID] = mapped_column(GUID, nullable=False)
    requested_by: Mapped[UUID | None] = mapped_column(GUID, nullable=True)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    context: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    suggestions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    provider: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), nullable=False)


metadata = Base.metadata
