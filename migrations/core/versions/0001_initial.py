"""Core: catalog, companies, subscriptions, entitlement versions, outbox; the default catalog.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = 48
STATUSES = "('active', 'trialing', 'past_due', 'canceled', 'expired')"
DEFAULT_MODULES = {
    "basic": "Basic",
    "finance": "Finance",
    "market": "Market",
    "touring": "Touring",
    "venue": "Venue",
    "ai": "AI",
}
DEFAULT_ADDONS = ("finance", "market", "touring", "venue", "ai")


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, DateTimeUTC(timezone=True), nullable=nullable)


def _offer_table(name: str) -> sa.Table:
    return op.create_table(
        name,
        sa.Column("key", sa.String(KEY), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("key", name=f"pk_{name}"),
    )


def _mapping_table(name: str, owner: str, owner_table: str) -> sa.Table:
    table = op.create_table(
        name,
        sa.Column(f"{owner}_key", sa.String(KEY), nullable=False),
        sa.Column("module_key", sa.String(KEY), nullable=False),
        sa.ForeignKeyConstraint(
            [f"{owner}_key"], [f"{owner_table}.key"], name=f"fk_{name}_{owner}_key_{owner_table}", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["module_key"], ["modules.key"], name=f"fk_{name}_module_key_modules", ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint(f"{owner}_key", "module_key", name=f"pk_{name}"),
    )
    op.create_index(f"ix_{name}_module_key", name, ["module_key"])
    return table


def _subscription_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("status", sa.String(16), nullable=False),
        _timestamp("starts_at", nullable=True),
        _timestamp("ends_at", nullable=True),
        _timestamp("updated_at"),
    ]


def upgrade() -> None:
    modules = _offer_table("modules")
    packages = _offer_table("packages")
    addons = _offer_table("addons")
    package_modules = _mapping_table("package_modules", "package", "packages")
    addon_modules = _mapping_table("addon_modules", "addon", "addons")

    op.create_table(
        "companies",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("entitlement_version", sa.Integer(), nullable=False, server_default="0"),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.CheckConstraint("status IN ('pending', 'approved', 'suspended')", name="ck_companies_status"),
        sa.PrimaryKeyConstraint("id", name="pk_companies"),
    )
    op.create_index("ix_companies_created_at", "companies", ["created_at"])

    op.create_table(
        "company_subscriptions",
        sa.Column("company_id", GUID(), nullable=False),
        sa.Column("package_key", sa.String(KEY), nullable=False),
        *_subscription_columns(),
        sa.CheckConstraint(f"status IN {STATUSES}", name="ck_company_subscriptions_status"),
        sa.CheckConstraint(
            "starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at", name="ck_company_subscriptions_window"
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name="fk_company_subscriptions_company_id_companies", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["package_key"], ["packages.key"], name="fk_company_subscriptions_package_key_packages", ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("company_id", name="pk_company_subscriptions"),
    )
    op.create_index("ix_company_subscriptions_package_key", "company_subscriptions", ["package_key"])

    op.create_table(
        "company_addons",
        sa.Column("company_id", GUID(), nullable=False),
        sa.Column("addon_key", sa.String(KEY), nullable=False),
        *_subscription_columns(),
        sa.CheckConstraint(f"status IN {STATUSES}", name="ck_company_addons_status"),
        sa.CheckConstraint(
            "starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at", name="ck_company_addons_window"
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name="fk_company_addons_company_id_companies", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["addon_key"], ["addons.key"], name="fk_company_addons_addon_key_addons", ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("company_id", "addon_key", name="pk_company_addons"),
    )
    op.create_index("ix_company_addons_addon_key", "company_addons", ["addon_key"])

    op.create_table(
        "outbox_events",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("company_id", GUID(), nullable=False),
        sa.Column("entitlement_version", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        _timestamp("next_attempt_at"),
        _timestamp("delivered_at", nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name="fk_outbox_events_company_id_companies", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_events"),
        sa.UniqueConstraint(
            "company_id", "entitlement_version", name="uq_outbox_events_company_id_entitlement_version"
        ),
    )
    op.create_index("ix_outbox_events_pending", "outbox_events", ["delivered_at", "next_attempt_at"])

    # The default catalog: editable later through the catalog API.
    now = datetime.now(UTC)
    op.bulk_insert(
        modules,
        [
            {"key": key, "name": name, "description": None, "created_at": now, "updated_at": now}
            for key, name in DEFAULT_MODULES.items()
        ],
    )
    op.bulk_insert(
        packages, [{"key": "basic", "name": "Basic", "description": None, "created_at": now, "updated_at": now}]
    )
    op.bulk_insert(package_modules, [{"package_key": "basic", "module_key": "basic"}])
    op.bulk_insert(
        addons,
        [
            {"key": key, "name": DEFAULT_MODULES[key], "description": None, "created_at": now, "updated_at": now}
            for key in DEFAULT_ADDONS
        ],
    )
    op.bulk_insert(addon_modules, [{"addon_key": key, "module_key": key} for key in DEFAULT_ADDONS])


def downgrade() -> None:
    op.drop_table("outbox_events")
    op.drop_table("company_addons")
    op.drop_table("company_subscriptions")
    op.drop_table("companies")
    op.drop_table("addon_modules")
    op.drop_table("package_modules")
    op.drop_table("addons")
    op.drop_table("packages")
    op.drop_table("modules")
