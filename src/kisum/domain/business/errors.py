"""Errors of the business records; each names the field (as clients spell it) or the case."""

from __future__ import annotations

from kisum.domain.errors import Conflict, InvalidInput, NotFound


def client_name(field: str) -> str:
    """``artist_ids`` → ``artistIds``: the name the client sent."""
    head, *rest = field.split("_")
    return head + "".join(part.title() for part in rest)


class FieldInvalid(InvalidInput):
    """One field breaks its rule; the detail starts with the field's name."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{client_name(field)}: {message}", code="VALIDATION_ERROR")
        self.field = client_name(field)


class RecordNotFound(NotFound):
    def __init__(self, noun: str) -> None:
        super().__init__(f"The {noun} does not exist.", code="NOT_FOUND")


class DuplicateValue(Conflict):
    def __init__(self, noun: str, field: str) -> None:
        super().__init__(f"Another {noun} already has this {client_name(field)}.", code="DUPLICATE_KEY")
        self.field = client_name(field)


class FileTooLarge(InvalidInput):
    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"file: larger than the limit of {max_bytes} bytes.", code="FILE_TOO_LARGE")


class FileTypeNotAllowed(InvalidInput):
    def __init__(self, content_type: str) -> None:
        super().__init__(f"file: content type {content_type!r} is not allowed.", code="FILE_TYPE_NOT_ALLOWED")
