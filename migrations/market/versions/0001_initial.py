"""Market: promotion campaigns per event.

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
        "campaigns",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("company_id", GUID(), nullable=False),
        sa.Column("event_id", GUID(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("starts_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("ends_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("budget_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint("channel IN ('email', 'social', 'ads', 'press')", name="ck_campaigns_channel"),
        sa.CheckConstraint("status IN ('draft', 'scheduled', 'running', 'finished')", name="ck_campaigns_status"),
        sa.CheckConstraint("ends_at >= starts_at", name="ck_campaigns_period"),
        sa.CheckConstraint("budget_minor >= 0", name="ck_campaigns_budget"),
    )
    op.create_index("ix_campaigns_company_event", "campaigns", ["company_id", "event_id"])
    op.create_index("ix_campaigns_company_starts", "campaigns", ["company_id", "starts_at"])


def downgrade() -> None:
    op.drop_index("ix_campaigns_company_starts", table_name="campaigns")
    op.drop_index("ix_campaigns_company_event", table_name="campaigns")
    op.drop_table("campaigns")
