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
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from dishka.integrations.litestar import FromDishka
from litestar import Controller, Request, delete, get, post, put
from litestar.params import FromPath, JSONBody, QueryParameter

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
    return ResourceStructs(body, change_struct, out, page, tuple(name for name, _ in out_fields))


STRUCTS: Mapping[ResourceKind, ResourceStructs] = {
    kind: derive_structs(record_type.DECLARATION) for kind, record_type in RECORD_TYPES.items()
}
"""Every resource's bodies and answers; ``STRUCTS[kind].out`` is also the list view of its repository."""


def values_of(body: msgspec.Struct) -> dict[str, object]:
    """The fields the client sent (snake_case, as the domain names them)."""
    return {name: value for name in body.__struct_fields__ if (value := getattr(body, name)) is not msgspec.UNSET}


def _with_signature(fn: Callable[..., Any], parameters: list[inspect.Parameter], returns: Any) -> Callable[..., Any]:
    fn.__signature__ = inspect.Signature(parameters, return_annotation=returns)  # type: ignore[attr-defined]
    fn.__annotations__ = {p.name: p.annotation for p in parameters if p.annotation is not inspect.Parameter.empty}
    fn.__annotations__["return"] = returns
    return fn


def _parameter(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)


def _list_route(kind: ResourceKind, declaration: Declaration, structs: ResourceStructs) -> Callable[..., Any]:
    filter_names = tuple(declaration.filters)
    page_type = structs.page
    known = {"page", "limit", "q", "sort", *(wire_name(name) for name in filter_names)}
    if declaration.time_span is not None:
        known.add("type")

    async def list_records(self: Controller, **arguments: Any) -> Any:
        access, handler, request = arguments.pop("access"), arguments.pop("handler"), arguments.pop("request")
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise FieldInvalid.of(FieldIssue(name, "is not a parameter of this list") for name in unknown)
        query = ListRecords(
            kind=kind,
            company_id=access.company_id,
            page=arguments.pop("page"),
            limit=arguments.pop("limit"),
            search=arguments.pop("q"),
            sort=arguments.pop("sort"),
            window=arguments.pop("window", EventWindow.ALL),
            filters={name: arguments[name] for name in filter_names},
        )
        result = await handler(query)
        return page_type(items=result.items, page=result.page, limit=result.limit, total=result.total)

    parameters = [
        inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        _parameter("access", Access),
        _parameter("handler", FromDishka[ListRecordsHandler]),  # type: ignore[misc]
        _parameter("request", Request),
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
        wire = wire_name(name)
        annotation = Annotated[kind_of_value | None, QueryParameter(name=wire)]  # type: ignore[valid-type]
        parameters.append(_parameter(name, annotation, None))
    list_records.__name__ = list_records.__qualname__ = f"list_{declaration.plural}"
    return _with_signature(list_records, parameters, page_type)


def derive_controller(kind: ResourceKind) -> type[Controller]:
    """``/api/<plural>`` with the five CRUD routes (no create for resources made by another command)."""
    declaration = RECORD_TYPES[kind].DECLARATION
    structs = STRUCTS[kind]
    out_of = structs.out_of
    permission = declaration.permission

    def opt(action: str) -> dict[str, Any]:
        return requires(f"{permission}.{action}", declaration.description(action))

    # Body and answer types are the derived Structs: ``_named`` sets them on each function for Litestar.
    async def get_record(
        self: Controller, access: Access, handler: FromDishka[GetRecordHandler], record_id: FromPath[UUID]
    ) -> Any:
        return out_of(await handler(GetRecord(kind, access.company_id, record_id)))

    async def create_record(
        self: Controller, access: Access, handler: FromDishka[CreateRecordHandler], data: Any
    ) -> Any:
        return out_of(await handler(CreateRecord(kind, access.company_id, values_of(data))))

    async def update_record(
        self: Controller,
        access: Access,
        handler: FromDishka[UpdateRecordHandler],
        record_id: FromPath[UUID],
        data: Any,
    ) -> Any:
        return out_of(await handler(UpdateRecord(kind, access.company_id, record_id, values_of(data))))

    async def delete_record(
        self: Controller, access: Access, handler: FromDishka[DeleteRecordHandler], record_id: FromPath[UUID]
    ) -> None:
        await handler(DeleteRecord(kind, access.company_id, record_id))

    one, many, out = declaration.kind, declaration.plural, structs.out
    routes: dict[str, Any] = {
        f"list_{many}": get("/", opt=opt("view"))(_list_route(kind, declaration, structs)),
        f"get_{one}": get("/{record_id:uuid}", opt=opt("view"))(_named(get_record, f"get_{one}", returns=out)),
        f"update_{one}": put("/{record_id:uuid}", opt=opt("edit"))(
            _named(update_record, f"update_{one}", returns=out, data=JSONBody[structs.changes])  # type: ignore[misc,name-defined]
        ),
        f"delete_{one}": delete("/{record_id:uuid}", opt=opt("delete"))(_named(delete_record, f"delete_{one}")),
    }
    if structs.body is not None:
        routes[f"create_{one}"] = post("/", opt=opt("create"))(
            _named(create_record, f"create_{one}", returns=out, data=JSONBody[structs.body])  # type: ignore[misc,name-defined]
        )
    attributes = {"path": f"/{many}", "tags": [many], "__module__": __name__, **routes}
    return type(f"{declaration.kind.title()}Controller", (Controller,), attributes)


def _named(fn: Callable[..., Any], name: str, **annotations: Any) -> Callable[..., Any]:
    """``fn`` under its route's name, with the derived types as annotations (``returns`` = answer)."""
    fn.__name__ = fn.__qualname__ = name
    if "returns" in annotations:
        annotations["return"] = annotations.pop("returns")
    fn.__annotations__.update(annotations)
    return fn
