"""AI: each suggestion request of a company, with its answer and the provider that gave it.

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
        "suggestion_requests",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("company_id", GUID(), nullable=False),
        sa.Column("requested_by", GUID(), nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("suggestions", sa.JSON(), nullable=False),
        sa.Column("provider", sa.String(100), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint("kind IN ('setlist', 'event-description', 'pricing')", name="ck_suggestion_requests_kind"),
    )
    op.create_index("ix_suggestion_requests_company_created", "suggestion_requests", ["company_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_suggestion_requests_company_created", table_name="suggestion_requests")
    op.drop_table("suggestion_requests")
