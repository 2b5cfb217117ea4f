"""The JSON conventions of every role's API (DESIGN §4), written once; subclasses inherit them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec


class Body(msgspec.Struct, forbid_unknown_fields=True, rename="camel", kw_only=True):
    """A request body: camelCase on the wire, and an unknown field is a 400, never ignored."""


class Out(msgspec.Struct, rename="camel", kw_only=True):
    """A response body: camelCase on the wire."""


AwareDatetime = Annotated[datetime, msgspec.Meta(tz=True)]
"""A timestamp that names its offset: a naive one is refused."""

# Generous bounds: the domain applies the real rules (8-128 character passwords, email syntax);
# these only keep absurd inputs from reaching it.
Email = Annotated[str, msgspec.Meta(min_length=1, max_length=320)]
Password = Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
"""A display name (of a user, a company, a catalog entry)."""
