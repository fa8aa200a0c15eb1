"""Domain errors. Services raise these; the API handler and the views turn them into responses.

Messages are translated strings, so that a refusal reads in the user's language.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused the action. ``code`` is stable for programs; ``message`` is for people."""

    status_code = 400
    default_code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field

    @property
    def messages(self) -> list[str]:
        """Every message of the refusal, for a page that lists them."""
        return [self.message]

    def as_dict(self) -> dict:
        if self.field:
            return {self.field: [self.message]}
        return {"detail": self.message, "code": self.code}


class ValidationFailed(DomainError):
    """Bad input. ``errors`` maps field names to lists of messages."""

    def __init__(self, errors: dict[str, list[str]]):
        first = next(iter(errors.values()))[0] if errors else ""
        super().__init__(str(first), code="invalid")
        self.errors = errors

    @property
    def messages(self) -> list[str]:
        return [message for messages in self.errors.values() for message in messages]

    def as_dict(self) -> dict:
        return self.errors


class NotAllowed(DomainError):
    status_code = 403
    default_code = "permission_denied"


class NotFound(DomainError):
    status_code = 404
    default_code = "not_found"


class Conflict(DomainError):
    status_code = 409
    default_code = "conflict"


class RateLimited(DomainError):
    """Too many attempts from this client or on this account: try again later."""

    status_code = 429
    default_code = "throttled"
