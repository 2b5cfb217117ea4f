"""Money of an event and its approvals: ticket tiers, income lines, expenses (estimated → submitted →
approved/rejected), the approval inbox, notifications (per user or per permission, read per user)
and the accounting outbox.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, DateTimeUTC(timezone=True), nullable=nullable)


def _tenant_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", GUID(), nullable=False),
        sa.Column("company_id", GUID(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
    ]


def _event(table: str) -> sa.Column[object]:
    return sa.Column(
        "event_id",
        GUID(),
        sa.ForeignKey("events.id", ondelete="CASCADE", name=f"fk_{table}_event_id_events"),
        nullable=False,
    )


def _index(table: str, *columns: str) -> None:
    op.create_index(f"ix_{table}_{'_'.join(columns)}", table, list(columns))


def upgrade() -> None:
    op.create_table(
        "tickets",
        *_tenant_columns(),
        _event("tickets"),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("capacity", sa.BigInteger(), nullable=False),
        sa.Column("sold", sa.BigInteger(), nullable=False),
        sa.Column("comps", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.CheckConstraint(
            "price >= 0 AND capacity >= 0 AND sold >= 0 AND comps >= 0 AND sold + comps <= capacity",
            name="ck_tickets_counts",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_tickets"),
    )
    _index("tickets", "company_id", "event_id")

    op.create_table(
        "income",
        *_tenant_columns(),
        _event("income"),
        sa.Column("category", sa.String(100), nullable=False),
        sa.Column("description", sa.String(500), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.CheckConstraint("amount >= 0", name="ck_income_amount"),
        sa.PrimaryKeyConstraint("id", name="pk_income"),
    )
    _index("income", "company_id", "event_id")

    op.create_table(
        "expenses",
        *_tenant_columns(),
        _event("expenses"),
        sa.Column("category", sa.String(100), nullable=False),
        sa.Column("description", sa.String(500), nullable=True),
        sa.Column(
            "vendor_id",
            GUID(),
            sa.ForeignKey("vendors.id", ondelete="SET NULL", name="fk_expenses_vendor_id_vendors"),
            nullable=True,
        ),
        sa.Column("estimated_amount", sa.BigInteger(), nullable=False),
        sa.Column("actual_amount", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("submitted_by", GUID(), nullable=True),
        _timestamp("submitted_at", nullable=True),
        sa.CheckConstraint(
            "estimated_amount >= 0 AND (actual_amount IS NULL OR actual_amount >= 0)", name="ck_expenses_amounts"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_expenses"),
    )
    _index("expenses", "company_id", "event_id")
    _index("expenses", "company_id", "status")
    _index("expenses", "company_id", "vendor_id")

    op.create_table(
        "approvals",
        *_tenant_columns(),
        sa.Column("subject_kind", sa.String(30), nullable=False),
        sa.Column(
            "subject_id",
            GUID(),
            sa.ForeignKey("expenses.id", ondelete="CASCADE", name="fk_approvals_subject_id_expenses"),
            nullable=False,
        ),
        sa.Column(
            "event_id",
            GUID(),
            sa.ForeignKey("events.id", ondelete="CASCADE", name="fk_approvals_event_id_events"),
            nullable=True,
        ),
        sa.Column("summary", sa.String(500), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("requested_by", GUID(), nullable=False),
        sa.Column("decided_by", GUID(), nullable=True),
        _timestamp("decided_at", nullable=True),
        sa.Column("reason", sa.String(1000), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_approvals"),
    )
    _index("approvals", "company_id", "status", "created_at")
    _index("approvals", "company_id", "subject_id")
    _index("approvals", "company_id", "event_id")

    op.create_table(
        "notifications",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("company_id", GUID(), nullable=False),
        _timestamp("created_at"),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("subject_kind", sa.String(30), nullable=False),
        sa.Column("subject_id", GUID(), nullable=False),
        sa.Column("text", sa.String(500), nullable=False),
        sa.Column("recipient_user_id", GUID(), nullable=True),
        sa.Column("audience", sa.String(100), nullable=True),
        sa.Column("excluded_user_id", GUID(), nullable=True),
        sa.CheckConstraint("(recipient_user_id IS NULL) <> (audience IS NULL)", name="ck_notifications_one_audience"),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
    )
    _index("notifications", "company_id", "recipient_user_id", "created_at")
    _index("notifications", "company_id", "audience", "created_at")

    op.create_table(
        "notification_reads",
        sa.Column(
            "notification_id",
            GUID(),
            sa.ForeignKey(
                "notifications.id", ondelete="CASCADE", name="fk_notification_reads_notification_id_notifications"
            ),
            nullable=False,
        ),
        sa.Column("user_id", GUID(), nullable=False),
        sa.Column("company_id", GUID(), nullable=False),
        _timestamp("read_at"),
        sa.PrimaryKeyConstraint("notification_id", "user_id", name="pk_notification_reads"),
    )
    _index("notification_reads", "company_id", "user_id")

    op.create_table(
        "accounting_exports",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("company_id", GUID(), nullable=False),
        _timestamp("created_at"),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("subject_kind", sa.String(30), nullable=False),
        sa.Column("subject_id", GUID(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_accounting_exports"),
    )
    _index("accounting_exports", "company_id", "status", "created_at")


def downgrade() -> None:
    for table in ("accounting_exports", "notification_reads", "notifications", "approvals", "expenses", "income"):
        op.drop_table(table)
    op.drop_table("tickets")
