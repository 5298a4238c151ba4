"""What a route returns and how it becomes the parts of a Lambda response."""

from __future__ import annotations

import base64
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from kernel import content_types
from kernel.content_types import APPLICATION_JSON

if TYPE_CHECKING:
    from kernel.cookies import Cookie
    from kernel.routing import Route

ResponseT = TypeVar("ResponseT")


class Response(Generic[ResponseT]):
    """An HTTP response: status, headers, cookies and body.

    :param status_code: the HTTP status, for example ``200``.
    :param content_type: sets the ``Content-Type`` header unless ``headers``
        already has one.
    :param body: ``str``, ``bytes`` (sent base64-encoded) or, with a JSON
        content type, any value the app's serializer accepts.
    :param headers: header names to a value or a list of values.
    :param cookies: cookies to set (:class:`~kernel.cookies.Cookie` or
        ready-made ``Set-Cookie`` strings).
    :param compress: gzip this response when the client accepts it (``True``),
        never (``False``), or as the route says (``None``). Needs the
        ``compression`` plugin.
    """

    def __init__(
        self,
        status_code: int,
        content_type: str | None = None,
        body: ResponseT | None = None,
        headers: Mapping[str, str | list[str]] | None = None,
        cookies: list[Cookie] | None = None,
        compress: bool | None = None,
    ) -> None:
        self.status_code = status_code
        self.body: Any = body
        self.base64_encoded = False
        self.cookies: list[Any] = cookies or []
        self.compress = compress
        self.content_type = content_type
        # Every route's answer is built here: the common case (a content type, no headers) is one dict display.
        if headers:
            self.headers: dict[str, Any] = dict(headers)
            if content_type:
                self.headers.setdefault("Content-Type", content_type)
        else:
            self.headers = {"Content-Type": content_type} if content_type else {}

    def is_json(self) -> bool:
        """Whether the ``Content-Type`` header says JSON."""
        content_type = self.headers.get("Content-Type", "")
        if isinstance(content_type, list):
            content_type = content_type[0] if content_type else ""
        return content_type.startswith(content_types.APPLICATION_JSON)

    def __repr__(self) -> str:
        return f"Response(status_code={self.status_code!r}, headers={self.headers!r}, body={self.body!r})"


def encoded_body(response: Response[Any]) -> tuple[str | None, bool]:
    """Return the body as the text Lambda expects, and whether it is base64."""
    body = response.body
    if isinstance(body, bytes):
        return base64.b64encode(body).decode(), True
    return body, response.base64_encoded


def text_body(body: Any, serializer: Any) -> str:
    """A response body as text, for an event source whose answers carry text only (Bedrock agents).

    ``None`` is empty; bytes are sent as they are when they are UTF-8 and
    base64-encoded otherwise; any other value but a string goes through
    ``serializer`` (JSON: the one text form the app defines).
    """
    if body is None:
        return ""
    if isinstance(body, bytes):
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            return base64.b64encode(body).decode()
    return body if isinstance(body, str) else serializer(body)


#: Statuses whose answers carry no body (RFC 9110): 204 No Content and 304 Not Modified.
NO_BODY_STATUSES = frozenset({204, 304})


def proxy_response(response: Response[Any], empty_body: str | None = None, **fields: Any) -> dict[str, Any]:
    """The Lambda proxy response dict: ``statusCode``, ``body``, ``isBase64Encoded``, then ``fields``.

    The sources that answer in this shape add their headers as ``fields``
    (``multiValueHeaders=...``, ``headers=...``); ``empty_body`` is what
    stands for no body (``None``, or ``""`` where the service wants a string).
    """
    body, is_base64 = encoded_body(response)
    return {
        "statusCode": response.status_code,
        "body": empty_body if body is None else body,
        "isBase64Encoded": is_base64,
        **fields,
    }


def multi_value_headers(response: Response[Any]) -> dict[str, list[str]]:
    """Headers as lists of values, cookies as several ``Set-Cookie`` values."""
    out: dict[str, list[str]] = {}
    for name, value in response.headers.items():
        if type(value) is str:
            out[name] = [value]
        elif value is not None:
            out[name] = list(value)
    if response.cookies:
        out.setdefault("Set-Cookie", []).extend(str(cookie) for cookie in response.cookies)
    return out


def joined_headers(response: Response[Any]) -> dict[str, str]:
    """Single-valued headers, several values joined with ``", "`` (cookies left out)."""
    out: dict[str, str] = {}
    for name, value in response.headers.items():
        if value is None:
            continue
        out[name] = value if isinstance(value, str) else ", ".join(value)
    return out


def single_value_headers(response: Response[Any], advice: str = "") -> dict[str, str]:
    """Headers for services that take one value per name (ALB without multi-value headers, VPC Lattice).

    Several values of one header are joined with ``", "``, which HTTP allows
    for every header but ``Set-Cookie``: a cookie's ``Expires`` date holds a
    comma, so such a service can carry one cookie only. When a response sets
    several (in :attr:`Response.cookies` or a ``Set-Cookie`` header) the last
    is sent and a :class:`UserWarning` says so, followed by ``advice``.
    """
    out: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in response.headers.items():
        if value is None:
            continue
        if name.lower() == "set-cookie":
            cookies.extend([value] if isinstance(value, str) else value)
        else:
            out[name] = value if isinstance(value, str) else ", ".join(value)
    cookies.extend(str(cookie) for cookie in response.cookies)
    if cookies:
        if len(cookies) > 1:
            warnings.warn(
                f"This event source sends one Set-Cookie header per response: {len(cookies)} cookies were set"
                f" and only the last one is sent. {advice}".rstrip(),
                UserWarning,
                stacklevel=2,
            )
        out["Set-Cookie"] = cookies[-1]
    return out


def header_key(headers: Mapping[str, Any], name: str) -> str | None:
    """Return the key under which ``headers`` holds ``name`` (names compared without case), or None."""
    if name in headers:
        return name
    lower = name.lower()
    for key in headers:
        if key.lower() == lower:
            return key
    return None


def add_vary(response: Response[Any], field: str) -> None:
    """List ``field`` in the response's ``Vary`` header, once.

    Feature plugins whose answer depends on a request header (CORS on
    ``Origin``, compression on ``Accept-Encoding``) call this so that caches
    keep one copy per value of that header. Existing values are kept, in one
    comma-separated header; ``Vary: *`` already covers every field.
    """
    key = header_key(response.headers, "Vary")
    if key is None:
        response.headers["Vary"] = field
        return
    current = response.headers[key]
    if current is None:
        response.headers[key] = field
        return
    value = current if isinstance(current, str) else ", ".join(current)
    listed = {token.strip().lower() for token in value.split(",")}
    if field.lower() in listed or "*" in listed:
        return
    response.headers[key] = f"{value}, {field}" if value.strip() else field


def encode_returned(route: Route, response: Response[Any]) -> None:
    """Have the route's body encoder (validation's) make what the route returned JSON-ready.

    Only what the route function returned is encoded, not what a middleware
    answers on its own (a 401) nor exception answers: checking a response
    against the route's return annotation is a separate phase from checking
    the request.
    """
    body = response.body
    # A str is encoded too: a validating encoder checks it against the route's return annotation.
    if body is not None and not isinstance(body, bytes) and response.is_json():
        response.body = route.body_encoder(body)  # type: ignore[misc]


def to_response(result: Any, status: int = 200) -> Response[Any]:
    """Turn what a route or handler returned (a body, ``(body, status)``, a Response) into a Response.

    ``status`` is the status of a plain body (a route's ``status_code``).
    """
    if isinstance(result, Response):
        return result
    if isinstance(result, tuple) and len(result) == 2:
        result, status = result
    # Positional: this runs for nearly every request, and keyword arguments cost more.
    return Response(status, APPLICATION_JSON, result)


class ResponseBuilder(Generic[ResponseT]):
    """Turns one :class:`Response` into the response dict of a request's event source.

    An app builds every answer through its plugins; this class does the same
    for code outside an app's pipeline, with the public shape of the
    reference's ``ResponseBuilder``: ``ResponseBuilder(response, serializer,
    route).build(event, cors)``. :meth:`build` serialises a JSON body with
    ``serializer``, applies the ``route``'s cache control, CORS (``cors``,
    or a default ``CORSConfig()`` for a ``cors=True`` route) and gzip
    compression (the route's or the response's choice, when the client
    accepts gzip), then has the source whose request class ``event`` is
    render the dict.

    :param response: the response to send.
    :param serializer: turns a JSON body into text; ``json.dumps`` with
        compact separators by default (the apps' default serializer).
    :param route: the :class:`~kernel.routing.Route` that answered, if any.
    """

    def __init__(self, response: Response[ResponseT], serializer: Any = None, route: Any = None) -> None:
        self.response = response
        if serializer is None:
            from kernel.serialization import default_serializer

            serializer = default_serializer
        self.serializer = serializer
        self.route = route

    def build(self, event: Any, cors: Any = None) -> dict[str, Any]:
        """The response dict for the request ``event`` (the ``current_event`` of its source)."""
        response = self.response
        if response.is_json() and not isinstance(response.body, (str, bytes)):
            response.body = self.serializer(response.body)
        route = self.route
        if route is not None:
            if route.cache_control:
                response.headers["Cache-Control"] = route.cache_control if response.status_code == 200 else "no-cache"
            if route.cors:
                if cors is None:
                    import kernel.plugins  # the cors plugin's CORSConfig, as `kernel.CORSConfig` finds it

                    cors = kernel.plugins.declared("kernel.exports", "CORSConfig")()
                response.headers.update(cors.to_dict(event.header_text("Origin")))
            compress = response.compress if response.compress is not None else route.compress
            accepted = event.header_text("Accept-Encoding") or ""
            if compress and "gzip" in accepted and response.body is not None:
                import zlib

                data = response.body.encode() if isinstance(response.body, str) else response.body
                packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
                response.body = packer.compress(data) + packer.flush()
                response.headers["Content-Encoding"] = "gzip"
        return _source_of(event).render(None, event, response)


def _source_of(event: Any) -> Any:
    """The installed source plugin whose request class ``event`` is an instance of."""
    import kernel.plugins

    for _, plugin in kernel.plugins.load(list(kernel.plugins.installed())):
        classes = getattr(plugin, "request_classes", ())
        if classes and type(event) in classes:
            return plugin
    raise LookupError(f"No installed event source makes {type(event).__name__} requests")


def error_response(status: int, message: str) -> Response[Any]:
    """The kernel's own JSON error answer: ``{"statusCode": status, "message": message}``."""
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body={"statusCode": status, "message": message},
    )
