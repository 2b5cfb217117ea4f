"""Per-request context that log lines, problem responses and calls to other roles read: request id and role."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("kisum_request_id", default=None)
role_var: ContextVar[str | None] = ContextVar("kisum_role", default=None)

_WELL_FORMED_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

_IDS_PER_READ = 256
# uuid.UUID(version=4) clears and sets these bits of bytes 6 (version) and 8 (variant), for every id of a read.
_KEEP = int.from_bytes(bytes([0xFF] * 6 + [0x0F, 0xFF, 0x3F] + [0xFF] * 7) * _IDS_PER_READ)
_SET = int.from_bytes(bytes([0] * 6 + [0x40, 0, 0x80] + [0] * 7) * _IDS_PER_READ)


def _request_ids() -> Iterator[str]:
    """What ``uuid.uuid4().hex`` gives (16 random bytes with the version 4 and RFC 4122 variant
    bits), from one ``os.urandom`` read per 256 ids: a system call per request cost more (about
    5 % of a worker's time on ``/health/live``) than building the id."""
    while True:
        text = f"{int.from_bytes(os.urandom(16 * _IDS_PER_READ)) & _KEEP | _SET:0{32 * _IDS_PER_READ}x}"
        for start in range(0, len(text), 32):
            yield text[start : start + 32]


class _PerThread(threading.local):
    def __init__(self) -> None:
        self.ids = _request_ids()


_per_thread = _PerThread()  # a generator runs in one thread at a time


def _after_fork() -> None:
    global _per_thread
    _per_thread = _PerThread()  # a child never hands out the ids its parent had read


os.register_at_fork(after_in_child=_after_fork)


def new_request_id() -> str:
    return next(_per_thread.ids)


def accept_or_new_request_id(inbound: str | None) -> str:
    """Echo a caller's id if it is safe to log and forward, else mint one."""
    if inbound and _WELL_FORMED_REQUEST_ID.fullmatch(inbound):
        return inbound
    return new_request_id()


def current_request_id() -> str | None:
    return request_id_var.get()
