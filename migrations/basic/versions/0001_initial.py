"""Base (basic) module: artists, venues, vendors, agencies, events (+ artist links), tasks, files,
company profiles. Every row carries company_id and every index starts with it.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision: str = "0001"
down_revision: str | None = None
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


def _indexes(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(f"ix_{table}_company_id_{column}", table, ["company_id", column])


def upgrade() -> None:
    op.create_table(
        "artists",
        *_tenant_columns(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("genre", sa.String(100), nullable=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("phone", sa.String(50), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_artists"),
    )
    _indexes("artists", "name", "genre")

    op.create_table(
        "venues",
        *_tenant_columns(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("address", sa.String(500), nullable=True),
        sa.Column("city", sa.String(100), nullable=True),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_venues"),
    )
    _indexes("venues", "name", "city")

    op.create_table(
        "vendors",
        *_tenant_columns(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("category", sa.String(100), nullable=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("phone", sa.String(50), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_vendors"),
    )
    _indexes("vendors", "name", "category")

    op.create_table(
        "agencies",
        *_tenant_columns(),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("phone", sa.String(50), nullable=True),
        sa.Column("website", sa.String(2048), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_agencies"),
        sa.UniqueConstraint("company_id", "key", name="uq_agencies_company_id_key"),
    )
    _indexes("agencies", "name")

    op.create_table(
        "events",
        *_tenant_columns(),
        sa.Column("name", sa.String(200), nullable=False),
        _timestamp("starts_at", nullable=True),
        _timestamp("ends_at", nullable=True),
        sa.Column("venue_id", GUID(), nullable=True),
        sa.Column("status", sa.String(30), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        sa.ForeignKeyConstraint(["venue_id"], ["venues.id"], name="fk_events_venue_id_venues", ondelete="SET NULL"),
        sa.CheckConstraint("ends_at IS NULL OR ends_at >= starts_at", name="ck_events_ends_after_start"),
    )
    _indexes("events", "name", "starts_at", "ends_at", "venue_id")

    op.create_table(
        "event_artists",
        sa.Column("event_id", GUID(), nullable=False),
        sa.Column("artist_id", GUID(), nullable=False),
        sa.Column("company_id", GUID(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "artist_id", name="pk_event_artists"),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name="fk_event_artists_event_id_events", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["artist_id"], ["artists.id"], name="fk_event_artists_artist_id_artists", ondelete="CASCADE"
        ),
    )
    _indexes("event_artists", "artist_id")

    op.create_table(
        "tasks",
        *_tenant_columns(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("assignee_user_id", GUID(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_tasks"),
    )
    _indexes("tasks", "name", "done", "assignee_user_id")

    op.create_table(
        "files",
        *_tenant_columns(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(255), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("storage_key", sa.String(200), nullable=False),
        sa.Column("uploaded_by", GUID(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_files"),
    )
    _indexes("files", "name", "content_type")

    op.create_table(
        "company_profiles",
        sa.Column("company_id", GUID(), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=True),
        sa.Column("legal_name", sa.String(200), nullable=True),
        sa.Column("tax_id", sa.String(50), nullable=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("phone", sa.String(50), nullable=True),
        sa.Column("website", sa.String(2048), nullable=True),
        sa.Column("address", sa.String(500), nullable=True),
        sa.Column("city", sa.String(100), nullable=True),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("timezone", sa.String(64), nullable=True),
        _timestamp("updated_at", nullable=True),
        sa.PrimaryKeyConstraint("company_id", name="pk_company_profiles"),
    )


def downgrade() -> None:
    for table in ("company_profiles", "files", "tasks", "event_artists", "events", "agencies", "vendors", "venues"):
        op.drop_table(table)
    op.drop_table("artists")
