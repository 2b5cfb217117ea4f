"""Identity and access: users, sessions, memberships with grants and delegation, the permission
catalog with its version, and the audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2025-11-24
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EMAIL = 254
NAME = 200
MODULE = 64
PERMISSION = 200
TOKEN_HASH = 128
STATUS = 16


def _timestamp(name: str, *, nullable: bool = False, now: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, DateTimeUTC(timezone=True), nullable=nullable, server_default=sa.func.now() if now else None)


def _membership_child(table: str, value: str, length: int, *, parent: str, fk_name: str) -> None:
    op.create_table(
        table,
        sa.Column("membership_id", GUID(), nullable=False),
        sa.Column(value, sa.String(length), nullable=False),
        sa.ForeignKeyConstraint(["membership_id"], [f"{parent}"], name=fk_name, ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("membership_id", value, name=f"pk_{table}"),
    )


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("email", sa.String(EMAIL), nullable=False),
        sa.Column("name", sa.String(NAME), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("is_platform_admin", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("token_version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        sa.Column("status", sa.String(STATUS), nullable=False, server_default=sa.text("'active'")),
        _timestamp("created_at"),
        _timestamp("updated_at", now=True),
        sa.CheckConstraint("status IN ('active', 'suspended')", name="ck_users_status"),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("email", name="uq_users_email"),
    )

    op.create_table(
        "sessions",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("user_id", GUID(), nullable=False),
        sa.Column("refresh_token_hash", sa.String(TOKEN_HASH), nullable=False),
        sa.Column("user_agent", sa.String(512), nullable=True),
        sa.Column("ip", sa.String(64), nullable=True),
        _timestamp("created_at"),
        _timestamp("last_used_at"),
        _timestamp("expires_at"),
        _timestamp("revoked_at", nullable=True),
        sa.Column("revoked_reason", sa.String(32), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_sessions_user_id_users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
        sa.UniqueConstraint("refresh_token_hash", name="uq_sessions_refresh_token_hash"),
    )
    op.create_index("ix_sessions_user_id", "sessions", ["user_id"])

    op.create_table(
        "session_refresh_hashes",
        sa.Column("token_hash", sa.String(TOKEN_HASH), nullable=False),
        sa.Column("session_id", GUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name="fk_session_refresh_hashes_session_id_sessions", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("token_hash", name="pk_session_refresh_hashes"),
    )
    op.create_index("ix_session_refresh_hashes_session_id", "session_refresh_hashes", ["session_id"])

    op.create_table(
        "company_memberships",
        sa.Column("id", GUID(), nullable=False),
        sa.Column("company_id", GUID(), nullable=False),
        sa.Column("user_id", GUID(), nullable=False),
        sa.Column("role", sa.String(STATUS), nullable=False),
        sa.Column("status", sa.String(STATUS), nullable=False, server_default=sa.text("'active'")),
        sa.Column("access_version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        _timestamp("created_at"),
        _timestamp("updated_at", now=True),
        sa.CheckConstraint("role IN ('owner', 'admin', 'member')", name="ck_company_memberships_role"),
        sa.CheckConstraint("status IN ('active', 'suspended')", name="ck_company_memberships_status"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_company_memberships_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_company_memberships"),
        sa.UniqueConstraint("company_id", "user_id", name="uq_company_memberships_company_id_user_id"),
    )
    op.create_index("ix_company_memberships_user_id", "company_memberships", ["user_id"])
    op.create_index(
        "ix_company_memberships_company_id_created_at_id", "company_memberships", ["company_id", "created_at", "id"]
    )

    _membership_child(
        "membership_module_grants",
        "module",
        MODULE,
        parent="company_memberships.id",
        fk_name="fk_membership_module_grants_membership_id_company_memberships",
    )
    _membership_child(
        "membership_permissions",
        "pattern",
        PERMISSION,
        parent="company_memberships.id",
        fk_name="fk_membership_permissions_membership_id_company_memberships",
    )
    op.create_index("ix_membership_permissions_pattern", "membership_permissions", ["pattern"])

    op.create_table(
        "membership_delegation_policies",
        sa.Column("membership_id", GUID(), nullable=False),
        sa.Column("can_manage_members", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["company_memberships.id"],
            name="fk_membership_delegation_policies_membership_id",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("membership_id", name="pk_membership_delegation_policies"),
    )
    _membership_child(
        "membership_delegated_modules",
        "module",
        MODULE,
        parent="membership_delegation_policies.membership_id",
        fk_name="fk_membership_delegated_modules_membership_id",
    )
    _membership_child(
        "membership_delegated_permissions",
        "pattern",
        PERMISSION,
        parent="membership_delegation_policies.membership_id",
        fk_name="fk_membership_delegated_permissions_membership_id",
    )
    op.create_index("ix_membership_delegated_permissions_pattern", "membership_delegated_permissions", ["pattern"])

    op.create_table(
        "permissions",
        sa.Column("key", sa.String(PERMISSION), nullable=False),
        sa.Column("module", sa.String(MODULE), nullable=False),
        sa.Column("description", sa.Text(), nullable=False, server_default=sa.text("''")),
        _timestamp("created_at", now=True),
        sa.PrimaryKeyConstraint("key", name="pk_permissions"),
    )
    op.create_index("ix_permissions_module", "permissions", ["module"])

    catalog_version = op.create_table(
        "permission_catalog_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_permission_catalog_version_single_row"),
        sa.PrimaryKeyConstraint("id", name="pk_permission_catalog_version"),
    )
    op.bulk_insert(catalog_version, [{"id": 1, "version": 1}])

    op.create_table(
        "audit_log",
        sa.Column("id", GUID(), nullable=False),
        _timestamp("at"),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("company_id", GUID(), nullable=True),
        sa.Column("target_membership_id", GUID(), nullable=True),
        sa.Column("target_user_id", GUID(), nullable=True),
        sa.Column("details", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_company_id_at", "audit_log", ["company_id", "at"])
    op.create_index("ix_audit_log_target_membership_id", "audit_log", ["target_membership_id"])
    op.create_index("ix_audit_log_target_user_id", "audit_log", ["target_user_id"])


def downgrade() -> None:
    for table in (
        "audit_log",
        "permission_catalog_version",
        "permissions",
        "membership_delegated_permissions",
        "membership_delegated_modules",
        "membership_delegation_policies",
        "membership_permissions",
        "membership_module_grants",
        "company_memberships",
        "session_refresh_hashes",
        "sessions",
        "users",
    ):
        op.drop_table(table)
