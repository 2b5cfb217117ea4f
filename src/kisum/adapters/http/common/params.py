"""Parameters every role's routes share: DESIGN §4 lists take ``?page=1&limit=20`` with limit ≤ 100.

The bounds are the domain's (``kisum.domain.paging``); handlers build a ``PageRequest``, which
checks them again wherever a page is asked for without HTTP.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar.params import PathParameter, QueryParameter

from kisum.domain.paging import MAX_PAGE_LIMIT

PageNumber = Annotated[int, QueryParameter(ge=1, le=1_000_000, description="1-based page number")]
PageLimit = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_LIMIT, description=f"page size, at most {MAX_PAGE_LIMIT}")]
Search = Annotated[str | None, QueryParameter(max_length=200, description="part of the name, case-insensitive")]
PathId = Annotated[UUID, PathParameter()]
