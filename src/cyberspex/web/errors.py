"""One error type for the services, translated once at each boundary (API, pages, CLI)."""

from __future__ import annotations


class ApplicationError(Exception):
    """A request the platform refuses. ``status`` is the HTTP status the API answers with."""

    def __init__(
        self, message: str, *, status: int = 400, field: str | None = None, extra: dict[str, object] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field
        self.extra = extra or {}


class NotFound(ApplicationError):
    """The object does not exist, or belongs to another organisation (existence is not revealed)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} not found", status=404)
