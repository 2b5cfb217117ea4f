"""The JSON conventions of every role's API (DESIGN §4): ``Body`` and ``Out``, for every role's schemas.

They are defined with the wire contracts between roles (``kisum.adapters.contracts.wire``), so a
role's own bodies and the bodies roles exchange follow the same rules.
"""

from __future__ import annotations

from kisum.adapters.contracts.wire import Body, Out

__all__ = ["Body", "Out"]
