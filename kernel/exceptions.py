"""Exceptions a route raises to answer with an HTTP error, and the kernel's own errors."""

from __future__ import annotations

import json


class DependencyResolutionError(Exception):
    """A dependency could not be declared or solved.

    When a dependency raises, the error is wrapped in this one (its
    ``__cause__``) and answered as the original exception would have been
    (``raise UnauthorizedError(...)`` in a dependency answers 401), unless an
    exception handler is registered for ``DependencyResolutionError`` itself.
    """


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
    """The request body is not JSON the app can read; answered 400.

    Its message says why: :attr:`INVALID` (not JSON), :attr:`TOO_DEEP`
    (arrays or objects nested deeper than the parser's recursion limit) or
    :attr:`TOO_LONG` (an integer with more digits than Python converts).

    It is also a :class:`json.JSONDecodeError`, so code written to catch that
    while reading ``current_event.json_body`` keeps working.
    """

    INVALID = "Request body is not valid JSON"
    TOO_DEEP = "Request body is nested too deeply"
    TOO_LONG = "Request body holds a number too long to read"

    def __init__(self, error: json.JSONDecodeError | None = None, *, message: str = INVALID, doc: str = "") -> None:
        # Not BadRequestError.__init__: through the MRO its super() call reaches
        # JSONDecodeError.__init__, which needs doc and pos. Initialise that base
        # directly and set the ServiceError fields by hand.
        if error is not None:
            doc, pos = error.doc, error.pos
        else:
            pos = 0
        json.JSONDecodeError.__init__(self, message, doc, pos)
        self.status_code = 400
        self.msg = message

    def __str__(self) -> str:
        return self.msg

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Exception.__new__, (type(self),), self.__dict__)


class ResponseSizeExceededError(Exception):
    """The response dict, as Lambda serialises it, is larger than its service accepts.

    Raised when the response is built (never by a route): by ``ALBResolver``
    with ``enable_response_size_validation=True``. An exception handler
    registered for it may answer with a smaller response.

    :param actual_size: the size of the serialised response dict, in bytes.
    :param max_size: the largest size the service accepts, in bytes.
    """

    def __init__(self, *, actual_size: int, max_size: int) -> None:
        self.actual_size = actual_size
        self.max_size = max_size
        super().__init__(f"Serialized response size ({actual_size} bytes) exceeds the maximum allowed size ({max_size} bytes)")


class SchemaValidationError(Exception):
    """The OpenAPI configuration is inconsistent (for example an undeclared security scheme)."""


class PluginNotFoundError(LookupError):
    """An app asked for a plugin that is not installed."""

    def __init__(self, name: str) -> None:
        self.name = name
        # The command names our wheelhouse and no index: on the public index the name
        # `kernel` belongs to another project, which a bare `pip install` would fetch.
        super().__init__(
            f"The kernel plugin {name!r} is not installed. Install it from the wheelhouse that"
            " scripts/wheelhouse builds, never by name from the public index (where 'kernel' is"
            f' another project): pip install --no-index --find-links dist "kernel[{name}]"'
            " (or the distribution that provides it, for a third-party plugin)"
        )


class PluginLoadError(ImportError):
    """An installed plugin failed to import."""


class UnknownEventError(ValueError):
    """No plugin of the app recognises the event it was given."""
