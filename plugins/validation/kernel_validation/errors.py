"""The errors validation raises; importing them does not import pydantic."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kernel.plugin_api import ServiceError, UnsupportedMediaTypeError


def _public(errors: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    # Only where and what: pydantic's messages, inputs and URLs stay on the server.
    return [{"loc": list(error["loc"]), "type": error["type"]} for error in errors]


class RequestValidationError(ServiceError):
    """The request does not match the route function's type hints; answered 422.

    The answer's body is ``{"statusCode": 422, "detail": [{"loc": [...], "type": "..."}]}``:
    each entry says where the problem is (``["query", "limit"]``,
    ``["body", "items", 0, "price"]``) and its kind (``"int_parsing"``,
    ``"missing"``...). Register ``@app.exception_handler(RequestValidationError)``
    to answer differently; :meth:`errors` then also offers each error's message.
    """

    def __init__(self, errors: Sequence[dict[str, Any]], *, body: Any = None) -> None:
        super().__init__(422, "Request validation failed")
        self._errors = list(errors)
        #: The request body as received (text), when the body was validated.
        self.body = body

    def errors(self) -> list[dict[str, Any]]:
        """Each error as ``{"loc": (...), "type": ..., "msg": ...}``."""
        return self._errors

    def to_body(self) -> dict[str, object]:
        """The JSON body of the answer: status and the location and type of each error."""
        return {"statusCode": self.status_code, "detail": _public(self._errors)}


class ResponseValidationError(ServiceError):
    """What a route returned does not match its return annotation; answered 422.

    Or with the app's ``response_validation_error_http_code`` (such as 500:
    the fault is the server's), or the route's ``custom_response_validation_http_code``.

    The locations start with ``"response"``. It is a server-side bug rather
    than a client mistake, so it is a class of its own: a handler for
    :class:`RequestValidationError` does not receive it.
    """

    def __init__(self, errors: Sequence[dict[str, Any]], *, body: Any = None, status_code: int = 422) -> None:
        super().__init__(status_code, "Response validation failed")
        self._errors = list(errors)
        #: The value the route returned.
        self.body = body

    def errors(self) -> list[dict[str, Any]]:
        """Each error as ``{"loc": ("response", ...), "type": ..., "msg": ...}``."""
        return self._errors

    def to_body(self) -> dict[str, object]:
        """The JSON body of the answer: status and the location and type of each error."""
        return {"statusCode": self.status_code, "detail": _public(self._errors)}


class RequestUnsupportedContentType(UnsupportedMediaTypeError):
    """The request body's ``Content-Type`` is not one the route reads; answered 415.

    The body is ``{"statusCode": 415, "detail": [{"loc": ["body"], "type": "unsupported_content_type"}]}``.
    """

    def __init__(self, content_type: str) -> None:
        super().__init__(f"Unsupported content type: {content_type}")
        self.content_type = content_type

    def errors(self) -> list[dict[str, Any]]:
        """The one error, in the shape of :meth:`RequestValidationError.errors`."""
        return [{"loc": ("body",), "type": "unsupported_content_type", "msg": self.msg}]

    def to_body(self) -> dict[str, object]:
        """The JSON body of the answer."""
        return {"statusCode": self.status_code, "detail": _public(self.errors())}
