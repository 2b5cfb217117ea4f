"""Errors of the business records; each names the field (as clients spell it) or the case."""

from __future__ import annotations

from kisum.domain.errors import Conflict, FieldInvalid, InvalidInput, NotFound, wire_name

__all__ = [
    "DuplicateValue",
    "FieldInvalid",
    "FileTooLarge",
    "FileTypeNotAllowed",
    "RecordNotFound",
    "UnknownReference",
]


class UnknownReference(FieldInvalid):
    """An id in a body that names no record of the same company (HTTP 400, every such field listed)."""

    code = "UNKNOWN_REFERENCE"


class RecordNotFound(NotFound):
    def __init__(self, noun: str) -> None:
        super().__init__(f"The {noun} does not exist.", code="NOT_FOUND")


class DuplicateValue(Conflict):
    def __init__(self, noun: str, field: str) -> None:
        super().__init__(f"Another {noun} already has this {wire_name(field)}.", code="DUPLICATE_KEY")
        self.field = wire_name(field)


class FileTooLarge(InvalidInput):
    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"file: larger than the limit of {max_bytes} bytes.", code="FILE_TOO_LARGE")


class FileTypeNotAllowed(InvalidInput):
    def __init__(self, content_type: str) -> None:
        super().__init__(f"file: content type {content_type!r} is not allowed.", code="FILE_TYPE_NOT_ALLOWED")
