"""How a Base resource is declared: once, on its record class, and everything else is derived.

A resource is a dataclass whose fields are declared with ``declared(rule, …)``: the rule that
cleans the value, whether it is required, a list filter, a sort key, the name searched, a
reference to another resource of the same company, unique inside the company, writable by
clients or set by the system, shown to clients or kept inside. ``@resource(...)`` reads those
fields once and attaches a ``Declaration``; the application's generic handlers, the HTTP bodies
and answers, the routes with their permissions, the repository's statements and the dashboard's
counts are all built from it. Adding a plain resource is one declared class (plus its table and
migration); behaviour beyond CRUD stays in the domain as methods and typed commands.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from kisum.domain.errors import FieldInvalid, FieldIssue, wire_name

FieldRule = Callable[[str, object], object]
METADATA_KEY: Final = "kisum.declared"
SYSTEM_FIELDS: Final = ("id", "company_id", "created_at", "updated_at")
"""Fields every record has; never in a body, always in an answer (but ``company_id``)."""

_FILTER_BY_OWN_NAME: Final = "kisum.filter-by-own-name"
T = TypeVar("T", bound=type)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """What the declaration says about one field."""

    rule: FieldRule
    required: bool = False
    filter: str | None = None
    """The domain name of the list filter on this field (its wire name is the query parameter)."""
    filter_op: str = "eq"
    """How the filter compares: ``eq`` (the default), ``ge`` (field ≥ value) or ``le`` (field ≤ value)."""
    sort: bool = False
    search: bool = False
    reference: str | None = None
    """The kind of resource (same company) whose id(s) this field holds."""
    unique: bool = False
    writable: bool = True
    shown: bool = True


def declared(
    rule: FieldRule,
    *,
    default: Any = dataclasses.MISSING,
    required: bool = False,
    filter: bool | str = False,
    filter_op: str = "eq",
    sort: bool = False,
    search: bool = False,
    reference: str | None = None,
    unique: bool = False,
    writable: bool = True,
    shown: bool = True,
) -> Any:
    """A dataclass field that carries its declaration (``filter=True`` filters by the field's name)."""
    if filter_op not in ("eq", "ge", "le"):
        raise TypeError(f"unknown filter_op {filter_op!r}")
    spec = FieldSpec(
        rule=rule,
        required=required,
        filter=None if filter is False else None if filter is True else filter,
        filter_op=filter_op,
        sort=sort,
        search=search,
        reference=reference,
        unique=unique,
        writable=writable,
        shown=shown,
    )
    metadata = {METADATA_KEY: spec, _FILTER_BY_OWN_NAME: filter is True}
    if default is dataclasses.MISSING:
        return dataclasses.field(metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


@dataclass(frozen=True, slots=True)
class DeclaredField:
    name: str
    """The domain (snake_case) name; ``wire`` is what clients send and read."""
    wire: str
    type: Any
    """The Python type of the value (``str | None``, ``tuple[UUID, ...]``, …)."""
    default: Any
    spec: FieldSpec

    @property
    def nullable(self) -> bool:
        return _allows_none(self.type)

    @property
    def many(self) -> bool:
        """True for a list of ids (stored beside the row, ordered as given)."""
        return typing.get_origin(_without_none(self.type)) is tuple


@dataclass(frozen=True, slots=True)
class SortKey:
    """One key of a list's order: a sortable field's domain name, descending or not."""

    field: str
    descending: bool = False


@dataclass(frozen=True, slots=True)
class Declaration:
    """Everything the rest of the system derives a resource from."""

    kind: str
    plural: str
    """The collection's name: ``/api/<plural>``, its table, its count on the dashboard."""
    permission: str
    """The permission prefix: ``<permission>.view|create|edit|delete``."""
    fields: tuple[DeclaredField, ...]
    default_sort: tuple[SortKey, ...]
    counted: bool = True
    creatable: bool = True
    """False when records come from a dedicated command (files come from an upload)."""
    editable: bool = True
    """False when records change only through their own commands (an approval is decided, not edited)."""
    deletable: bool = True
    """False when records are never deleted by a client (an approval stays as the trace of a decision)."""
    time_span: tuple[str, str] | None = None
    """(start, end) fields: the list takes ``type=all|upcoming|past`` over them."""
    parent: str | None = None
    """The field naming the record this one belongs to (``event_id``): the collection lives under
    the parent's path (``/events/{id}/tickets``), the field comes from that path, never a body."""
    descriptions: Mapping[str, str] = dataclasses.field(default_factory=dict)
    """Per action (view, create, edit, delete): how the permission reads in the catalog."""

    def field(self, name: str) -> DeclaredField:
        for declared_field in self.fields:
            if declared_field.name == name:
                return declared_field
        raise KeyError(name)

    @property
    def parent_kind(self) -> str | None:
        return None if self.parent is None else self.field(self.parent).spec.reference

    @property
    def writable(self) -> tuple[DeclaredField, ...]:
        return tuple(f for f in self.fields if f.spec.writable)

    @property
    def shown(self) -> tuple[DeclaredField, ...]:
        return tuple(f for f in self.fields if f.spec.shown)

    @property
    def view_fields(self) -> tuple[str, ...]:
        """What a client reads of a record, in order: ``id``, the shown fields, ``created_at``,
        ``updated_at`` (the answer's fields, and the columns a list reads for it)."""
        return ("id", *(f.name for f in self.shown), "created_at", "updated_at")

    @property
    def required(self) -> frozenset[str]:
        return frozenset(f.name for f in self.fields if f.spec.required)

    @property
    def references(self) -> Mapping[str, str]:
        return {f.name: f.spec.reference for f in self.fields if f.spec.reference is not None}

    @property
    def unique(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.spec.unique)

    @property
    def filters(self) -> Mapping[str, DeclaredField]:
        """Filter name (domain) → the field it filters."""
        return {f.spec.filter: f for f in self.fields if f.spec.filter is not None}

    @property
    def sortable(self) -> frozenset[str]:
        return frozenset(f.name for f in self.fields if f.spec.sort) | {"created_at", "updated_at"}

    @property
    def searched(self) -> str | None:
        return next((f.name for f in self.fields if f.spec.search), None)

    def description(self, action: str) -> str:
        verbs = {"view": "See", "create": "Create", "edit": "Edit", "delete": "Delete"}
        return self.descriptions.get(action, f"{verbs[action]} {self.plural}")

    def parse_sort(self, raw: str | None) -> tuple[SortKey, ...]:
        """``name,-createdAt`` → sort keys; an unknown or repeated key is a 400 naming ``sort``."""
        if raw is None or not raw.strip():
            return self.default_sort
        by_wire = {wire_name(name): name for name in self.sortable}
        keys: list[SortKey] = []
        for part in raw.split(","):
            token = part.strip()
            descending = token.startswith("-")
            name = by_wire.get(token.removeprefix("-"))
            if name is None or any(key.field == name for key in keys):
                allowed = ", ".join(sorted(by_wire))
                raise FieldInvalid("sort", f"{token!r} is not a sort key of this list; use one of {allowed}")
            keys.append(SortKey(name, descending))
        return tuple(keys)

    def clean(self, values: Mapping[str, object], *, creating: bool) -> dict[str, Any]:
        """The clean values of a create or a change; every failing field is named at once."""
        writable = {f.name: f for f in self.writable}
        issues = [
            FieldIssue(wire_name(name), "is not a field of this record") for name in values if name not in writable
        ]
        if creating:
            issues += [FieldIssue(wire_name(name), "is required") for name in sorted(self.required - values.keys())]
        clean: dict[str, Any] = {}
        for name, value in values.items():
            if name not in writable:
                continue
            try:
                clean[name] = writable[name].spec.rule(name, value)
            except FieldInvalid as error:
                issues.extend(error.issues)
        if issues:
            raise FieldInvalid.of(issues)
        return clean


def resource(
    *,
    kind: str,
    plural: str,
    permission: str,
    default_sort: tuple[str, ...] = ("name",),
    counted: bool = True,
    creatable: bool = True,
    editable: bool = True,
    deletable: bool = True,
    time_span: tuple[str, str] | None = None,
    parent: str | None = None,
    descriptions: Mapping[str, str] | None = None,
) -> Callable[[T], T]:
    """Attach the ``Declaration`` read from the class's declared fields (apply above ``@dataclass``)."""

    def attach(record_type: T) -> T:
        hints = typing.get_type_hints(record_type)
        fields: list[DeclaredField] = []
        for item in dataclasses.fields(record_type):
            spec = item.metadata.get(METADATA_KEY)
            if spec is None:
                continue
            if item.metadata.get(_FILTER_BY_OWN_NAME):
                spec = dataclasses.replace(spec, filter=item.name)
            default = item.default if item.default is not dataclasses.MISSING else None
            fields.append(DeclaredField(item.name, wire_name(item.name), hints[item.name], default, spec))
        sort = tuple(SortKey(key.removeprefix("-"), key.startswith("-")) for key in default_sort)
        declaration = Declaration(
            kind=kind,
            plural=plural,
            permission=permission,
            fields=tuple(fields),
            default_sort=sort,
            counted=counted,
            creatable=creatable,
            editable=editable,
            deletable=deletable,
            time_span=time_span,
            parent=parent,
            descriptions=dict(descriptions or {}),
        )
        if parent is not None and (
            declaration.field(parent).spec.reference is None or declaration.field(parent).spec.writable
        ):
            raise TypeError(f"{record_type.__name__}: the parent field {parent} must be a reference set by the system")
        unknown = [key.field for key in sort if key.field not in declaration.sortable]
        if unknown:
            raise TypeError(f"{record_type.__name__}: default sort on undeclared keys {unknown}")
        record_type.DECLARATION = declaration  # type: ignore[attr-defined]
        return record_type

    return attach


def _allows_none(hint: Any) -> bool:
    return hint is None or hint is type(None) or (type(None) in typing.get_args(hint) and _is_union(hint))


def _is_union(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType)


def _without_none(hint: Any) -> Any:
    if not _is_union(hint):
        return hint
    rest = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    return rest[0] if len(rest) == 1 else hint


def value_type(field: DeclaredField) -> Any:
    """The field's type without ``None`` (``str | None`` → ``str``)."""
    return _without_none(field.type)
