"""Venue: calendar holds (first, second, confirmed) per venue.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "venue_holds",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("company_id", GUID(), nullable=False),
        sa.Column("venue_id", GUID(), nullable=False),
        sa.Column("starts_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("ends_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("hold_type", sa.String(16), nullable=False),
        sa.Column("note", sa.String(1000), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint("hold_type IN ('first', 'second', 'confirmed')", name="ck_venue_holds_type"),
        sa.CheckConstraint("ends_at > starts_at", name="ck_venue_holds_period"),
    )
    op.create_index("ix_venue_holds_company_venue_starts", "venue_holds", ["company_id", "venue_id", "starts_at"])
    op.create_index("ix_venue_holds_company_starts", "venue_holds", ["company_id", "starts_at"])


def downgrade() -> None:
    op.drop_index("ix_venue_holds_company_starts", table_name="venue_holds")
    op.drop_index("ix_venue_holds_company_venue_starts", table_name="venue_holds")
    op.drop_table("venue_holds")
