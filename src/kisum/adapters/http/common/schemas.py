"""The JSON conventions of every role's API (DESIGN §4), written once; subclasses inherit them."""

from __future__ import annotations

import msgspec


class Body(msgspec.Struct, forbid_unknown_fields=True, rename="camel", kw_only=True):
    """A request body: camelCase on the wire, and an unknown field is a 400, never ignored."""


class Out(msgspec.Struct, rename="camel", kw_only=True):
    """A response body: camelCase on the wire."""
