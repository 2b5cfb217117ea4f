"""The newest entitlement version auth has seen per company (read with the access stamp).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "company_entitlement_versions",
        sa.Column("company_id", GUID(), nullable=False),
        sa.Column("entitlement_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("company_id", name="pk_company_entitlement_versions"),
    )


def downgrade() -> None:
    op.drop_table("company_entitlement_versions")
