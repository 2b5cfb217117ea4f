"""Booking: avails, offers (+ their versions), agreements (+ their signers); event status becomes a
lifecycle (draft, confirmed, completed, cancelled): existing free-text values are mapped onto it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
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


def _index(table: str, *columns: str) -> None:
    op.create_index(f"ix_{table}_company_id_{'_'.join(columns)}", table, ["company_id", *columns])


def upgrade() -> None:
    op.create_table(
        "avails",
        *_tenant_columns(),
        sa.Column("artist_id", GUID(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("city", sa.String(100), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("offer_id", GUID(), nullable=True),
        _timestamp("hold_expires_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_avails"),
        sa.ForeignKeyConstraint(["artist_id"], ["artists.id"], name="fk_avails_artist_id_artists"),
        sa.CheckConstraint("ends_on >= starts_on", name="ck_avails_ends_after_start"),
    )
    _index("avails", "artist_id", "starts_on")
    _index("avails", "starts_on")
    _index("avails", "status")

    op.create_table(
        "offers",
        *_tenant_columns(),
        sa.Column("event_id", GUID(), nullable=False),
        sa.Column("artist_id", GUID(), nullable=False),
        sa.Column("avail_id", GUID(), nullable=True),
        sa.Column("deal_type", sa.String(20), nullable=False),
        sa.Column("guarantee", sa.BigInteger(), nullable=False),
        sa.Column("percentage", sa.Integer(), nullable=True),
        sa.Column("split_point", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
        _timestamp("expires_at", nullable=True),
        sa.Column("terms", sa.Text(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", GUID(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_offers"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name="fk_offers_event_id_events"),
        sa.ForeignKeyConstraint(["artist_id"], ["artists.id"], name="fk_offers_artist_id_artists"),
        sa.ForeignKeyConstraint(["avail_id"], ["avails.id"], name="fk_offers_avail_id_avails"),
    )
    for column in ("created_at", "event_id", "artist_id", "avail_id", "status"):
        _index("offers", column)
    op.create_index(
        "uq_offers_one_accepted_per_event_artist",
        "offers",
        ["company_id", "event_id", "artist_id"],
        unique=True,
        postgresql_where=sa.text("status = 'accepted'"),
        sqlite_where=sa.text("status = 'accepted'"),
    )

    op.create_table(
        "offer_versions",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("company_id", GUID(), nullable=False),
        sa.Column("offer_id", GUID(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("deal_type", sa.String(20), nullable=False),
        sa.Column("guarantee", sa.BigInteger(), nullable=False),
        sa.Column("percentage", sa.Integer(), nullable=True),
        sa.Column("split_point", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(3), nullable=False),
        _timestamp("expires_at", nullable=True),
        sa.Column("terms", sa.Text(), nullable=True),
        sa.Column("created_by", GUID(), nullable=True),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_offer_versions"),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.id"], name="fk_offer_versions_offer_id_offers", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("company_id", "offer_id", "number", name="uq_offer_versions_company_id_offer_id_number"),
    )

    op.create_table(
        "agreements",
        *_tenant_columns(),
        sa.Column("offer_id", GUID(), nullable=False),
        sa.Column("event_id", GUID(), nullable=True),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        _timestamp("sent_at", nullable=True),
        _timestamp("signed_at", nullable=True),
        sa.Column("created_by", GUID(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_agreements"),
        sa.ForeignKeyConstraint(["offer_id"], ["offers.id"], name="fk_agreements_offer_id_offers"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name="fk_agreements_event_id_events"),
        sa.UniqueConstraint("company_id", "offer_id", name="uq_agreements_company_id_offer_id"),
    )
    for column in ("created_at", "event_id", "status"):
        _index("agreements", column)

    op.create_table(
        "agreement_signers",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("company_id", GUID(), nullable=False),
        sa.Column("agreement_id", GUID(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("role", sa.String(100), nullable=True),
        _timestamp("signed_at", nullable=True),
        sa.Column("signed_by", GUID(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_agreement_signers"),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name="fk_agreement_signers_agreement_id_agreements",
            ondelete="CASCADE",
        ),
    )
    _index("agreement_signers", "agreement_id")

    # Event status: free text until now; map it onto the lifecycle (anything else becomes draft).
    op.execute(
        "UPDATE events SET status = CASE"
        " WHEN lower(trim(status)) IN ('confirmed', 'booked', 'announced', 'on sale', 'on_sale') THEN 'confirmed'"
        " WHEN lower(trim(status)) IN ('completed', 'done', 'past', 'settled') THEN 'completed'"
        " WHEN lower(trim(status)) IN ('cancelled', 'canceled') THEN 'cancelled'"
        " ELSE 'draft' END"
    )


def downgrade() -> None:
    for table in ("agreement_signers", "agreements", "offer_versions", "offers", "avails"):
        op.drop_table(table)
