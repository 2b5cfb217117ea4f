"""Translate driver errors by SQLSTATE, never by message text."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

UNIQUE_VIOLATION = "23505"
FOREIGN_KEY_VIOLATION = "23503"
SERIALIZATION_FAILURE = "40001"

_SQLITE_TO_SQLSTATE = {
    "SQLITE_CONSTRAINT_UNIQUE": UNIQUE_VIOLATION,
    "SQLITE_CONSTRAINT_PRIMARYKEY": UNIQUE_VIOLATION,
    "SQLITE_CONSTRAINT_FOREIGNKEY": FOREIGN_KEY_VIOLATION,
    "SQLITE_BUSY": SERIALIZATION_FAILURE,
}


def sqlstate_of(error: DBAPIError) -> str | None:
    """The SQLSTATE of a failed statement on asyncpg, or its equivalent on SQLite."""
    original = error.orig
    code = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if code:
        return str(code)
    sqlite_name = getattr(original, "sqlite_errorname", None)
    if sqlite_name:
        return _SQLITE_TO_SQLSTATE.get(str(sqlite_name))
    return None


def is_unique_violation(error: DBAPIError) -> bool:
    return sqlstate_of(error) == UNIQUE_VIOLATION


def is_foreign_key_violation(error: DBAPIError) -> bool:
    return sqlstate_of(error) == FOREIGN_KEY_VIOLATION
