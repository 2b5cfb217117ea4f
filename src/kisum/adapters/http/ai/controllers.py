"""Routes of the ai backend (served under ``/api``); each declares its permission beside it."""

from __future__ import annotations

from typing import Annotated

from dishka.integrations.litestar import FromDishka
from litestar import Controller, get, post
from litestar.params import JSONBody, QueryParameter

from kisum.adapters.http.ai import schemas as s
from kisum.adapters.http.common.enforcement import Access, requires
from kisum.adapters.http.common.params import PageLimit, PageNumber, PathId
from kisum.application.business.ai.commands import RequestSuggestions, RequestSuggestionsHandler
from kisum.application.business.ai.queries import (
    GetSuggestion,
    GetSuggestionHandler,
    ListSuggestions,
    ListSuggestionsHandler,
)
from kisum.domain.business.ai import SuggestionKind
from kisum.domain.paging import PageRequest

CREATE = requires("ai.suggestion.create", "Ask for suggestions (setlists, event descriptions, pricing)")
VIEW = requires("ai.suggestion.view", "See the company's suggestion history")


class SuggestionController(Controller):
    path = "/ai/suggestions"
    tags = ["ai"]

    @post("/", opt=CREATE)
    async def request_suggestions(
        self,
        access: Access,
        handler: FromDishka[RequestSuggestionsHandler],
        data: JSONBody[s.SuggestionRequestBody],
    ) -> s.SuggestionRecordOut:
        record = await handler(
            RequestSuggestions(
                company_id=access.company_id, kind=data.kind, context=data.context, requested_by=access.user_id
            )
        )
        return s.SuggestionRecordOut.of(record)

    @get("/", opt=VIEW)
    async def list_suggestions(
        self,
        access: Access,
        handler: FromDishka[ListSuggestionsHandler],
        page: PageNumber = 1,
        limit: PageLimit = 20,
        kind: Annotated[SuggestionKind | None, QueryParameter()] = None,
    ) -> s.SuggestionRecordPage:
        result = await handler(ListSuggestions(access.company_id, PageRequest(page, limit), kind))
        items = [s.SuggestionRecordOut.of(record) for record in result.items]
        return s.SuggestionRecordPage(items=items, page=result.page, limit=result.limit, total=result.total)

    @get("/{record_id:uuid}", opt=VIEW)
    async def get_suggestion(
        self, access: Access, handler: FromDishka[GetSuggestionHandler], record_id: PathId
    ) -> s.SuggestionRecordOut:
        return s.SuggestionRecordOut.of(await handler(GetSuggestion(access.company_id, record_id)))


ROUTE_HANDLERS = [SuggestionController]
