"""Per-request context that every log line and problem response reads: request id and role."""

from __future__ import annotations

import os
import re
from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("kisum_request_id", default=None)
role_var: ContextVar[str | None] = ContextVar("kisum_role", default=None)

_WELL_FORMED_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def new_request_id() -> str:
    """What ``uuid.uuid4().hex`` gives (16 random bytes with the version 4 and RFC 4122 variant
    bits), for a third of its cost: it runs on every request that comes without an id."""
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40
    raw[8] = raw[8] & 0x3F | 0x80
    return raw.hex()


def accept_or_new_request_id(inbound: str | None) -> str:
    """Echo a caller's id if it is safe to log and forward, else mint one."""
    if inbound and _WELL_FORMED_REQUEST_ID.fullmatch(inbound):
        return inbound
    return new_request_id()


def current_request_id() -> str | None:
    return request_id_var.get()
