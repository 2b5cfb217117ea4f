"""Parameters every role's routes share: DESIGN §4 lists take ``?page=1&limit=20`` with limit ≤ 100."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar.params import PathParameter, QueryParameter

MAX_PAGE_SIZE = 100

PageNumber = Annotated[int, QueryParameter(ge=1, le=1_000_000, description="1-based page number")]
PageLimit = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE, description="page size, at most 100")]
Search = Annotated[str | None, QueryParameter(max_length=200, description="part of the name, case-insensitive")]
PathId = Annotated[UUID, PathParameter()]
