"""Per-request context that log lines, problem responses and calls to other roles read: request id and role."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("kisum_request_id", default=None)
role_var: ContextVar[str | None] = ContextVar("kisum_role", default=None)

_WELL_FORMED_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def accept_or_new_request_id(inbound: str | None) -> str:
    """Echo a caller's id if it is safe to log and forward, else mint one."""
    if inbound and _WELL_FORMED_REQUEST_ID.fullmatch(inbound):
        return inbound
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return request_id_var.get()
