"""JSON Schema validation of a route's request body and response, as a middleware.

:class:`SchemaValidationMiddleware` checks the request's JSON body against a
JSON Schema before the route runs, and optionally the route's response body
against another one after. It lives in the validation plugin because it is
validation: an app that checks its requests installs ``kernel[validation]``
whichever way it checks them. The checks are made by fastjsonschema (the
library Powertools uses, so schemas, custom formats and messages behave the
same), imported when the first request is checked; each schema is compiled to
a Python function once, on first use, not on every request.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from kernel import BadRequestError, BaseMiddlewareHandler, InternalServerError, NextMiddleware, Response

logger = logging.getLogger(__name__)


class _Check:
    """One schema and its formats, compiled on first use."""

    def __init__(self, schema: dict[str, Any], formats: dict[str, Any] | None) -> None:
        self.schema = schema
        self.formats = formats
        self._validate: Callable[[Any], Any] | None = None
        self._lock = threading.Lock()

    def __call__(self, data: Any, refused: str) -> None:
        """Raise BadRequestError (``refused``: the message's first words) when ``data`` fails the schema."""
        import fastjsonschema

        try:
            if self._validate is None:
                with self._lock:
                    if self._validate is None:
                        self._validate = fastjsonschema.compile(self.schema, formats=self.formats or {})
            self._validate(data)
        except fastjsonschema.JsonSchemaValueException as error:
            message = f"{refused}: Failed schema validation. Error: {error.message}, Path: {error.path}, Data: {error.value}"
            logger.debug(message)
            raise BadRequestError(message) from None
        except (TypeError, AttributeError, fastjsonschema.JsonSchemaDefinitionException) as error:
            # The schema itself is wrong: the app's fault, not the client's.
            logger.debug("Invalid JSON Schema %r (formats %r): %s", self.schema, self.formats, error)
            raise InternalServerError("Internal Server Error") from None


class SchemaValidationMiddleware(BaseMiddlewareHandler[Any]):
    """Validate the request's JSON body (and optionally the response body) against JSON Schemas.

    A request whose body fails ``inbound_schema`` is answered ``400`` with the
    message ``Bad Request: Failed schema validation. Error: <what>, Path:
    <where>, Data: <value>``, and the route does not run. With
    ``outbound_schema``, a response body that fails it is answered ``400``
    with ``Bad Response: ...`` in the same form. A schema that is not valid
    JSON Schema answers ``500`` (``Internal Server Error``).

    :param inbound_schema: the JSON Schema of the request's JSON body.
    :param inbound_formats: custom formats of ``inbound_schema``, by name: a
        regular expression (text) or a function of the value returning a bool.
    :param outbound_schema: the JSON Schema of the response body (the value
        the route returned, before it is serialised).
    :param outbound_formats: custom formats of ``outbound_schema``.
    """

    def __init__(
        self,
        inbound_schema: dict[str, Any],
        inbound_formats: dict[str, Any] | None = None,
        outbound_schema: dict[str, Any] | None = None,
        outbound_formats: dict[str, Any] | None = None,
    ) -> None:
        self.inbound_schema = inbound_schema
        self.inbound_formats = inbound_formats
        self.outbound_schema = outbound_schema
        self.outbound_formats = outbound_formats
        self._inbound = _Check(inbound_schema, inbound_formats)
        self._outbound = None if outbound_schema is None else _Check(outbound_schema, outbound_formats)

    def handler(self, app: Any, next_middleware: NextMiddleware) -> Response[Any]:
        """Check the request body, call the rest of the chain, check its response body."""
        self._inbound(app.current_event.json_body, "Bad Request")
        result = next_middleware(app)
        if self._outbound is not None:
            self._outbound(result.body, "Bad Response")
        return result


__all__ = ["SchemaValidationMiddleware"]
