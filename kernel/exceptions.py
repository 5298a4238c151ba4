"""Exceptions a route raises to answer with an HTTP error, and the kernel's own errors."""

from __future__ import annotations

import json


class ServiceError(Exception):
    """An HTTP error: raise it from a route or middleware to answer with ``status_code``.

    The answer's JSON body is ``{"statusCode": status_code, "message": msg}``
    unless an exception handler registered for the class says otherwise.
    """

    def __init__(self, status_code: int, msg: str) -> None:
        super().__init__(msg)
        self.status_code = status_code
        self.msg = msg

    def to_body(self) -> dict[str, object]:
        """The JSON body of the answer."""
        return {"statusCode": self.status_code, "message": self.msg}


class BadRequestError(ServiceError):
    """400 Bad Request."""

    def __init__(self, msg: str) -> None:
        super().__init__(400, msg)


class UnauthorizedError(ServiceError):
    """401 Unauthorized."""

    def __init__(self, msg: str) -> None:
        super().__init__(401, msg)


class ForbiddenError(ServiceError):
    """403 Forbidden."""

    def __init__(self, msg: str) -> None:
        super().__init__(403, msg)


class NotFoundError(ServiceError):
    """404 Not Found; also what ``@app.not_found`` handlers receive."""

    def __init__(self, msg: str = "Not found") -> None:
        super().__init__(404, msg)


class MethodNotAllowedError(ServiceError):
    """405 Method Not Allowed."""

    def __init__(self, msg: str = "Method not allowed") -> None:
        super().__init__(405, msg)


class RequestTimeoutError(ServiceError):
    """408 Request Timeout."""

    def __init__(self, msg: str) -> None:
        super().__init__(408, msg)


class ConflictError(ServiceError):
    """409 Conflict."""

    def __init__(self, msg: str) -> None:
        super().__init__(409, msg)


class RequestEntityTooLargeError(ServiceError):
    """413 Payload Too Large."""

    def __init__(self, msg: str) -> None:
        super().__init__(413, msg)


class UnsupportedMediaTypeError(ServiceError):
    """415 Unsupported Media Type."""

    def __init__(self, msg: str) -> None:
        super().__init__(415, msg)


class TooManyRequestsError(ServiceError):
    """429 Too Many Requests."""

    def __init__(self, msg: str) -> None:
        super().__init__(429, msg)


class InternalServerError(ServiceError):
    """500 Internal Server Error."""

    def __init__(self, message: str) -> None:
        super().__init__(500, message)


class ServiceUnavailableError(ServiceError):
    """503 Service Unavailable."""

    def __init__(self, msg: str) -> None:
        super().__init__(503, msg)


class GatewayTimeoutError(ServiceError):
    """504 Gateway Timeout."""

    def __init__(self, msg: str) -> None:
        super().__init__(504, msg)


class InvalidBodyError(BadRequestError):
    """The request body could not be decoded (bad base64 or bad UTF-8); answered 400."""


class InvalidJSONBodyError(BadRequestError, json.JSONDecodeError):
    """The request body is not JSON; answered 400.

    It is also a :class:`json.JSONDecodeError`, so code written to catch that
    while reading ``current_event.json_body`` keeps working.
    """

    def __init__(self, error: json.JSONDecodeError) -> None:
        # Not BadRequestError.__init__: through the MRO its super() call reaches
        # JSONDecodeError.__init__, which needs doc and pos. Initialise that base
        # directly and set the ServiceError fields by hand.
        json.JSONDecodeError.__init__(self, "Request body is not valid JSON", error.doc, error.pos)
        self.status_code = 400
        self.msg = "Request body is not valid JSON"

    def __str__(self) -> str:
        return self.msg

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Exception.__new__, (type(self),), self.__dict__)


class SchemaValidationError(Exception):
    """The OpenAPI configuration is inconsistent (for example an undeclared security scheme)."""


class PluginNotFoundError(LookupError):
    """An app asked for a plugin that is not installed."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(
            f"The kernel plugin {name!r} is not installed. Install it with: pip install 'kernel[{name}]'"
            " (or the distribution that provides it, for a third-party plugin)"
        )


class PluginLoadError(ImportError):
    """An installed plugin failed to import."""


class UnknownEventError(ValueError):
    """No plugin of the app recognises the event it was given."""
