"""The HTTP face of every declared Base resource, derived from its declaration.

For each resource: ``<Kind>Body`` (create: required fields required, the rest optional),
``<Kind>ChangesBody`` (PUT: only the fields sent; ``null`` clears an optional one), ``<Kind>Out``
(id, shown fields, timestamps) and ``<Kind>Page``; and a controller at ``/api/<plural>`` with
list (page, limit, q, sort, the declared filters, ``type`` for resources with a time span), get,
create, update and delete, each declaring ``<permission>.view|create|edit|delete``. A resource
whose records come from a dedicated command (files) gets no create route here.

No ``from __future__ import annotations`` here: handler annotations are built from the derived
types at run time, and Litestar reads them as objects.
"""

import inspect
import keyword
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from dishka.integrations.litestar import FromDishka
from litestar import Controller, Request, delete, get, post, put
from litestar.params import JSONBody, PathParameter, QueryParameter

from kisum.adapters.http.common.enforcement import Access, requires
from kisum.adapters.http.common.params import PageLimit, PageNumber, Search
from kisum.adapters.http.common.schemas import Body, Out
from kisum.application.business.basic.commands import (
    CreateRecord,
    CreateRecordHandler,
    DeleteRecord,
    DeleteRecordHandler,
    UpdateRecord,
    UpdateRecordHandler,
)
from kisum.application.business.basic.queries import GetRecord, GetRecordHandler, ListRecords, ListRecordsHandler
from kisum.domain.business.declaration import Declaration, DeclaredField, value_type
from kisum.domain.business.records import RECORD_TYPES, EventWindow, ResourceKind, TenantRecord
from kisum.domain.errors import FieldInvalid, FieldIssue, wire_name

Aware = Annotated[datetime, msgspec.Meta(tz=True)]
SortParameter = Annotated[
    str | None,
    QueryParameter(
        max_length=200, description="comma-separated sort keys (wire names); '-' before a key sorts descending"
    ),
]
WindowParameter = Annotated[
    EventWindow, QueryParameter(name="type", description="all, upcoming (not over yet) or past (over)")
]


def _wire_type(field: DeclaredField, *, body: bool) -> Any:
    """The field's type on the wire: lists for tuples, aware date-times in bodies."""
    kind = value_type(field)
    if typing.get_origin(kind) is tuple:
        kind = list.__class_getitem__(typing.get_args(kind)[0])
    elif kind is datetime and body:
        kind = Aware
    return kind


@dataclass(frozen=True, slots=True)
class ResourceStructs:
    """Derived msgspec Structs (``Any`` to the type checker: they are made at run time)."""

    body: Any
    changes: Any
    out: Any
    page: Any
    view_fields: tuple[str, ...]

    def out_of(self, record: TenantRecord) -> Any:
        return self.out(*(getattr(record, name) for name in self.view_fields))


def derive_structs(declaration: Declaration) -> ResourceStructs:
    prefix = declaration.kind.title()
    required, optional, changes = [], [], []
    for field in declaration.writable:
        kind = _wire_type(field, body=True)
        nullable = field.nullable
        if field.spec.required:
            required.append((field.name, kind))
        else:
            default = list(field.default) if isinstance(field.default, tuple) else field.default
            optional.append((field.name, kind | None if nullable else kind, default))
        change_type = kind | msgspec.UnsetType | None if nullable else kind | msgspec.UnsetType
        changes.append((field.name, change_type, msgspec.UNSET))
    shown = [
        (f.name, _wire_type(f, body=False) | None if f.nullable else _wire_type(f, body=False))
        for f in declaration.shown
    ]
    out_fields = [("id", UUID), *shown, ("created_at", datetime), ("updated_at", datetime)]
    module = __name__
    body = (
        msgspec.defstruct(f"{prefix}Body", [*required, *optional], bases=(Body,), module=module)
        if declaration.creatable
        else None
    )
    change_struct = msgspec.defstruct(f"{prefix}ChangesBody", changes, bases=(Body,), module=module)
    out = msgspec.defstruct(f"{prefix}Out", out_fields, bases=(Out,), module=module, kw_only=False)
    page_fields = [("items", list[out]), ("page", int), ("limit", int), ("total", int)]  # type: ignore[valid-type]
    page = msgspec.defstruct(f"{prefix}Page", page_fields, bases=(Out,), module=module)
    return ResourceStructs(body, change_struct, out, page, declaration.view_fields)


STRUCTS: Mapping[ResourceKind, ResourceStructs] = {
    kind: derive_structs(record_type.DECLARATION) for kind, record_type in RECORD_TYPES.items()
}
"""Every resource's bodies and answers; ``STRUCTS[kind].out`` is also the list view of its repository."""


def values_of(body: msgspec.Struct) -> dict[str, object]:
    """The fields the client sent (snake_case, as the domain names them)."""
    return {name: value for name in body.__struct_fields__ if (value := getattr(body, name)) is not msgspec.UNSET}


def _route(fn: Callable[..., Any], name: str, parameters: list[inspect.Parameter], returns: Any) -> Callable[..., Any]:
    """``fn(self, **arguments)`` presented to Litestar with the derived parameters and answer type."""
    self_parameter = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    fn.__signature__ = inspect.Signature([self_parameter, *parameters], return_annotation=returns)  # type: ignore[attr-defined]
    fn.__annotations__ = {p.name: p.annotation for p in parameters}
    fn.__annotations__["return"] = returns
    fn.__name__ = fn.__qualname__ = name
    return fn


def _parameter(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)


def _injected(handler_type: type) -> list[inspect.Parameter]:
    return [_parameter("access", Access), _parameter("handler", FromDishka[handler_type])]  # type: ignore[misc,valid-type]


PathId = Annotated[UUID, PathParameter()]


def _data(struct: Any) -> inspect.Parameter:
    return _parameter("data", JSONBody[struct])  # type: ignore[misc]


def derive_controller(kind: ResourceKind) -> type[Controller]:
    """``/api/<plural>`` (under its parent's path for a nested resource) with the CRUD routes,
    each declaring ``<permission>.view|create|edit|delete``; no create for records made by
    another command."""
    declaration = RECORD_TYPES[kind].DECLARATION
    structs = STRUCTS[kind]
    out_of, parent = structs.out_of, declaration.parent
    one, many = declaration.kind, declaration.plural
    path = f"/{many}"
    by_parent: list[inspect.Parameter] = []
    if parent is not None:
        parent_plural = RECORD_TYPES[ResourceKind(str(declaration.parent_kind))].DECLARATION.plural
        path = f"/{parent_plural}/{{{parent}:uuid}}/{many}"
        by_parent = [_parameter(parent, PathId)]

    def parent_of(arguments: dict[str, Any]) -> UUID | None:
        return None if parent is None else arguments[parent]

    def opt(action: str) -> dict[str, Any]:
        return requires(f"{declaration.permission}.{action}", declaration.description(action))

    async def get_record(self: Controller, **arguments: Any) -> Any:
        query = GetRecord(kind, arguments["access"].company_id, arguments["record_id"], parent_of(arguments))
        return out_of(await arguments["handler"](query))

    async def create_record(self: Controller, **arguments: Any) -> Any:
        company_id, values = arguments["access"].company_id, values_of(arguments["data"])
        return out_of(await arguments["handler"](CreateRecord(kind, company_id, values, parent_of(arguments))))

    async def update_record(self: Controller, **arguments: Any) -> Any:
        company_id, values = arguments["access"].company_id, values_of(arguments["data"])
        command = UpdateRecord(kind, company_id, arguments["record_id"], values, parent_of(arguments))
        return out_of(await arguments["handler"](command))

    async def delete_record(self: Controller, **arguments: Any) -> None:
        company_id = arguments["access"].company_id
        await arguments["handler"](DeleteRecord(kind, company_id, arguments["record_id"], parent_of(arguments)))

    record_id = [_parameter("record_id", PathId)]
    routes: dict[str, Any] = {
        f"list_{many}": get("/", opt=opt("view"))(_list_route(kind, declaration, structs, by_parent)),
        f"get_{one}": get("/{record_id:uuid}", opt=opt("view"))(
            _route(get_record, f"get_{one}", [*_injected(GetRecordHandler), *by_parent, *record_id], structs.out)
        ),
    }
    if declaration.editable:
        routes[f"update_{one}"] = put("/{record_id:uuid}", opt=opt("edit"))(
            _route(
                update_record,
                f"update_{one}",
                [
                    *_injected(UpdateRecordHandler),
                    *by_parent,
                    *record_id,
                    _data(structs.changes),
                ],
                structs.out,
            )
        )
    if declaration.deletable:
        routes[f"delete_{one}"] = delete("/{record_id:uuid}", opt=opt("delete"))(
            _route(delete_record, f"delete_{one}", [*_injected(DeleteRecordHandler), *by_parent, *record_id], None)
        )
    if structs.body is not None:
        routes[f"create_{one}"] = post("/", opt=opt("create"))(
            _route(
                create_record,
                f"create_{one}",
                [*_injected(CreateRecordHandler), *by_parent, _data(structs.body)],
                structs.out,
            )
        )
    attributes = {"path": path, "tags": [many], "__module__": __name__, **routes}
    return type(f"{declaration.kind.title()}Controller", (Controller,), attributes)


def _python_name(name: str) -> str:
    """A filter's parameter name in Python (``from`` → ``from_``); the query parameter keeps its wire name."""
    return f"{name}_" if keyword.iskeyword(name) else name


def _list_route(
    kind: ResourceKind, declaration: Declaration, structs: ResourceStructs, by_parent: list[inspect.Parameter]
) -> Callable[..., Any]:
    filter_names = tuple(declaration.filters)
    page_type = structs.page
    known = {"page", "limit", "q", "sort", *(wire_name(name) for name in filter_names)}
    if declaration.time_span is not None:
        known.add("type")
    parent = declaration.parent

    async def list_records(self: Controller, **arguments: Any) -> Any:
        request = arguments["request"]
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise FieldInvalid.of(FieldIssue(name, "is not a parameter of this list") for name in unknown)
        query = ListRecords(
            kind=kind,
            company_id=arguments["access"].company_id,
            page=arguments["page"],
            limit=arguments["limit"],
            search=arguments["q"],
            sort=arguments["sort"],
            window=arguments.get("window", EventWindow.ALL),
            filters={name: arguments[_python_name(name)] for name in filter_names},
            parent_id=None if parent is None else arguments[parent],
        )
        result = await arguments["handler"](query)
        return page_type(items=result.items, page=result.page, limit=result.limit, total=result.total)

    parameters = [
        *_injected(ListRecordsHandler),
        _parameter("request", Request),
        *by_parent,
        _parameter("page", PageNumber, 1),
        _parameter("limit", PageLimit, 20),
        _parameter("q", Search, None),
        _parameter("sort", SortParameter, None),
    ]
    if declaration.time_span is not None:
        parameters.append(_parameter("window", WindowParameter, EventWindow.ALL))
    for name, field in declaration.filters.items():
        kind_of_value = value_type(field)
        if typing.get_origin(kind_of_value) is tuple:
            kind_of_value = typing.get_args(kind_of_value)[0]
        annotation = Annotated[kind_of_value | None, QueryParameter(name=wire_name(name))]  # type: ignore[valid-type]
        parameters.append(_parameter(_python_name(name), annotation, None))
    return _route(list_records, f"list_{declaration.plural}", parameters, page_type)
