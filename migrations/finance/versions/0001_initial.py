"""Finance: event budget lines (income and expense, minor units per ISO 4217 currency).

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
        "budget_lines",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("company_id", GUID(), nullable=False),
        sa.Column("event_id", GUID(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("category", sa.String(100), nullable=False),
        sa.Column("description", sa.String(500), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint("kind IN ('income', 'expense')", name="ck_budget_lines_kind"),
        sa.CheckConstraint("amount_minor >= 0", name="ck_budget_lines_amount"),
    )
    op.create_index("ix_budget_lines_company_event", "budget_lines", ["company_id", "event_id"])
    op.create_index("ix_budget_lines_company_date", "budget_lines", ["company_id", "entry_date"])


def downgrade() -> None:
    op.drop_index("ix_budget_lines_company_date", table_name="budget_lines")
    op.drop_index("ix_budget_lines_company_event", table_name="budget_lines")
    op.drop_table("budget_lines")
