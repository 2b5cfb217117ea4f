"""Touring: tours and their dated legs (one leg per date per tour).

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
        "tours",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("company_id", GUID(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("artist_id", GUID(), nullable=True),
        sa.Column("artist_name", sa.String(200), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint(
            "status IN ('planning', 'announced', 'on_tour', 'completed', 'cancelled')", name="ck_tours_status"
        ),
        sa.CheckConstraint("artist_id IS NOT NULL OR artist_name IS NOT NULL", name="ck_tours_artist"),
    )
    op.create_index("ix_tours_company_name", "tours", ["company_id", "name"])
    op.create_table(
        "tour_legs",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("company_id", GUID(), nullable=False),
        sa.Column("tour_id", GUID(), nullable=False),
        sa.Column("leg_date", sa.Date(), nullable=False),
        sa.Column("city", sa.String(200), nullable=False),
        sa.Column("venue_name", sa.String(200), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["tour_id"], ["tours.id"], name="fk_tour_legs_tour", ondelete="CASCADE"),
        sa.UniqueConstraint("tour_id", "leg_date", name="uq_tour_legs_tour_date"),
    )
    op.create_index("ix_tour_legs_company_tour", "tour_legs", ["company_id", "tour_id"])


def downgrade() -> None:
    op.drop_index("ix_tour_legs_company_tour", table_name="tour_legs")
    op.drop_table("tour_legs")
    op.drop_index("ix_tours_company_name", table_name="tours")
    op.drop_table("tours")
