"""Serve a kernel app over HTTP, through any ASGI server.

:class:`ASGIAdapter` is an ASGI 3 application. For each HTTP request it builds
the Lambda event a chosen event source would send, resolves it with the app,
and turns the response dict back into an HTTP response. ``kernel serve`` runs
it on uvicorn; in a container it runs under any ASGI server::

    from kernel.asgi import ASGIAdapter
    from myservice import app

    asgi_app = ASGIAdapter(app, source="http")   # uvicorn myservice_asgi:asgi_app

The kernel knows no event source by name, so the two halves that depend on the
source live in the source's plugin, in a module ``local`` next to the module
the plugin's entry point loads (``kernel_rest.local`` for ``rest``):

``event_from_http(method, path, query_string, headers, body, *, request_id, source_ip, app, **options) -> dict``
    builds the event. ``path`` is the request path as the client sent it
    (percent-encoded, ASCII), ``query_string`` the raw bytes after ``?``,
    ``headers`` the ASGI header pairs (lower-case names), ``body`` the whole
    body. ``request_id`` is also the context's ``aws_request_id``;
    ``source_ip`` is the client address; ``app`` is the app being served;
    ``options`` are the source's own settings (strings from the command line).
    Raise :class:`ValueError` for a request the source cannot represent: the
    client gets ``400`` with the message.

``http_from_response(response) -> (status, [(name, value)], body)``
    reads the source's response dict back. Raise :class:`ValueError` when
    the dict is not one the service would accept: the client gets ``502``.

The helpers below (:func:`header_pairs`, :func:`query_pairs`,
:func:`encode_body`, :func:`read_response`...) are what the built-in ``local``
modules are made of, for third-party sources to use too.

Only the standard library is imported here.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import importlib
import json
import logging
import os
import re
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, quote, unquote_to_bytes

__all__ = [
    "DEFAULT_MAX_BODY_SIZE",
    "ASGIAdapter",
    "LocalContext",
    "LocalSourceError",
    "cookie_values",
    "encode_body",
    "from_environment",
    "header_pairs",
    "load_local",
    "query_pairs",
    "read_response",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

#: Lambda refuses synchronous invocations whose payload is over 6 MB, so a
#: bigger body could never reach the app in production either.
DEFAULT_MAX_BODY_SIZE = 6 * 1024 * 1024

#: The source served when neither the caller nor the app names one.
DEFAULT_SOURCE = "rest"

#: Environment variables through which ``kernel serve --reload`` hands its
#: arguments to :func:`from_environment` in uvicorn's worker process.
APP_ENV = "KERNEL_SERVE_APP"
SOURCE_ENV = "KERNEL_SERVE_SOURCE"
OPTIONS_ENV = "KERNEL_SERVE_OPTIONS"

logger = logging.getLogger("kernel.asgi")


class LocalSourceError(LookupError):
    """The chosen event source cannot be served over HTTP (it has no ``local`` module)."""


class LocalContext:
    """A stand-in for the Lambda context object, with the attributes apps read.

    :param request_id: the invocation's id (``aws_request_id``).
    :param function_name: the function's name.
    :param timeout: seconds the invocation may run; drives
        :meth:`get_remaining_time_in_millis`.
    """

    function_version = "$LATEST"
    memory_limit_in_mb = 128
    identity = None
    client_context = None
    tenant_id = None

    def __init__(self, request_id: str, function_name: str = "kernel-local", timeout: float = 30.0) -> None:
        self.aws_request_id = request_id
        self.function_name = function_name
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}"
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = time.strftime("%Y/%m/%d/[$LATEST]") + uuid.uuid4().hex
        self._deadline = time.monotonic() + timeout

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the invocation would time out (never negative)."""
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def load_local(source: str) -> ModuleType:
    """Import the ``local`` module of the installed event-source plugin ``source``.

    Raises :class:`~kernel.exceptions.PluginNotFoundError` when no plugin of
    that name is installed, and :class:`LocalSourceError` when the plugin
    offers no HTTP translation (its ``local`` module or one of its two
    functions is missing).
    """
    from kernel import plugins
    from kernel.exceptions import PluginNotFoundError

    entry_point = plugins.installed().get(source)
    if entry_point is None:
        raise PluginNotFoundError(source)
    name = f"{entry_point.module}.local"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        raise LocalSourceError(
            f"The event source {source!r} cannot be served over HTTP: its plugin has no module {name!r}"
            " (with event_from_http and http_from_response)"
        ) from None
    missing = [attr for attr in ("event_from_http", "http_from_response") if not callable(getattr(module, attr, None))]
    if missing:
        raise LocalSourceError(f"The event source {source!r} cannot be served over HTTP: {name} lacks {', '.join(missing)}")
    return module


class ASGIAdapter:
    """An ASGI 3 application serving a kernel app as one event source would invoke it.

    :param app: the app (anything with ``resolve(event, context)``), or a
        Lambda handler function ``handler(event, context)``.
    :param source: the event source to emulate, by plugin name. By default
        the source the app is pinned to (``ALBResolver`` serves ``alb``), or
        ``rest`` for an app that accepts any source.
    :param max_body_size: larger request bodies are answered ``413``.
    :param function_name: the function name the fake Lambda context reports.
    :param timeout: the seconds :meth:`LocalContext.get_remaining_time_in_millis`
        counts down from; nothing is interrupted when they run out.
    :param options: settings passed on to the source's ``event_from_http``
        (``{"multi_value": "true"}`` for ``alb``...).

    Raises :class:`LocalSourceError` (or
    :class:`~kernel.exceptions.PluginNotFoundError`) at once when ``source``
    cannot be served, and :class:`ValueError` when the app is pinned to
    another source.

    Requests are resolved one at a time, in a worker thread: like a Lambda
    function instance, the app sees a single event at once (its
    ``current_event`` is per app), while the server keeps accepting
    connections. An exception the app does not handle is logged and answered
    ``502`` with ``{"message": "Internal server error"}``, as API Gateway
    answers a failed invocation.
    """

    def __init__(
        self,
        app: Any,
        source: str | None = None,
        *,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
        function_name: str = "kernel-local",
        timeout: float = 30.0,
        options: Mapping[str, Any] | None = None,
    ) -> None:
        pinned = getattr(app, "source", None)
        if source is None:
            source = pinned if isinstance(pinned, str) else DEFAULT_SOURCE
        elif isinstance(pinned, str) and pinned != source:
            raise ValueError(f"The app only accepts {pinned!r} events, so it cannot be served as {source!r}")
        self.app = app
        self.source = source
        self.max_body_size = max_body_size
        self.function_name = function_name
        self.timeout = timeout
        self.options = dict(options or {})
        self._resolve: Callable[[dict[str, Any], Any], Any] = getattr(app, "resolve", app)
        self._local = load_local(source)
        # One invocation at a time, as in a Lambda instance; a threading lock
        # because resolving happens in worker threads, whatever the event loop.
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "lifespan":
            await _lifespan(receive, send)
        elif kind == "websocket":
            # Lambda HTTP sources have no WebSockets: refuse the handshake.
            await receive()
            await send({"type": "websocket.close", "code": 1003})
        else:
            raise ValueError(f"Unsupported ASGI scope type {kind!r}")

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            body = await _read_body(receive, self.max_body_size)
        except _BodyTooLarge:
            await _send(send, *_error(413, f"Request body is larger than {self.max_body_size} bytes"))
            return
        if body is None:
            return  # the client went away
        path = _request_path(scope)
        if path is None:
            await _send(send, *_error(400, "Request path is not a valid URL path"))
            return
        request_id = str(uuid.uuid4())
        client = scope.get("client")
        try:
            event = self._local.event_from_http(
                scope["method"],
                path,
                scope.get("query_string", b""),
                list(scope.get("headers", [])),
                body,
                request_id=request_id,
                source_ip=client[0] if client else "127.0.0.1",
                app=self.app,
                **self.options,
            )
        except ValueError as exc:
            await _send(send, *_error(400, str(exc) or "Bad request"))
            return
        except Exception:
            logger.exception("The %r source failed to build the event of %s %s", self.source, scope["method"], path)
            await _send(send, *_error(502, "Internal server error"))
            return
        context = LocalContext(request_id, self.function_name, self.timeout)
        try:
            response = await asyncio.to_thread(self._invoke, event, context)
            status, headers, content = self._local.http_from_response(response)
            status, encoded = _checked_response(status, headers)
        except Exception:
            logger.exception("The app failed to answer %s %s", scope["method"], path)
            await _send(send, *_error(502, "Internal server error"))
            return
        if scope["method"] == "HEAD":
            await _send(send, status, encoded, b"", content_length=len(content))
        else:
            await _send(send, status, encoded, content)

    def _invoke(self, event: dict[str, Any], context: LocalContext) -> Any:
        with self._lock:
            return self._resolve(event, context)


def from_environment() -> ASGIAdapter:
    """Build the adapter ``kernel serve --reload`` runs, from environment variables.

    ``KERNEL_SERVE_APP`` names the app as ``kernel serve`` takes it,
    ``KERNEL_SERVE_SOURCE`` the source (optional) and ``KERNEL_SERVE_OPTIONS``
    the source options as a JSON object (optional). uvicorn calls this in
    each fresh worker process, so a reload imports the app's code anew.
    """
    from kernel.cli import load_app

    target = os.environ.get(APP_ENV)
    if not target:
        raise LocalSourceError(f"{APP_ENV} is not set: it names the app to serve (path/to/app.py[:attribute])")
    options = json.loads(os.environ.get(OPTIONS_ENV) or "{}")
    return ASGIAdapter(load_app(target), os.environ.get(SOURCE_ENV) or None, options=options)


# -- the HTTP side ------------------------------------------------------------


class _BodyTooLarge(Exception):
    pass


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None if the client left; raises _BodyTooLarge past ``limit``."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _request_path(scope: Scope) -> str | None:
    """The path as the client sent it, or None when it is not a usable URL path.

    A path must be ASCII (anything else arrives percent-encoded) and must
    decode to UTF-8 text, the form every event source hands to the app.
    """
    raw = scope.get("raw_path")
    if raw is None:
        # Servers may omit raw_path; re-encode the decoded path the same way.
        raw = quote(scope.get("path", ""), safe="/:@!$&'()*+,;=-._~%").encode("ascii")
    try:
        path = raw.decode("ascii")
        unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not path.startswith("/") or any(ord(char) < 0x21 or ord(char) == 0x7F for char in path):
        return None
    return path


async def _lifespan(receive: Receive, send: Send) -> None:
    # Nothing to set up: the app is built when its module is imported.
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def _error(status: int, message: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    body = json.dumps({"message": message}).encode()
    return status, [(b"content-type", b"application/json")], body


# Header names are RFC 9110 tokens; values may not break the header block.
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_BAD_VALUE = re.compile(r"[\r\n\x00]")
# The server frames the body itself; a framing header from the app would lie.
_FRAMING = {b"content-length", b"transfer-encoding"}


def _checked_response(status: Any, headers: Iterable[tuple[str, str]]) -> tuple[int, list[tuple[bytes, bytes]]]:
    """Validate what ``http_from_response`` returned; raise ValueError on a broken response."""
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise ValueError(f"Invalid status code {status!r}")
    encoded: list[tuple[bytes, bytes]] = []
    for name, value in headers:
        if not isinstance(name, str) or not _TOKEN.match(name):
            raise ValueError(f"Invalid response header name {name!r}")
        if not isinstance(value, str) or _BAD_VALUE.search(value):
            raise ValueError(f"Invalid value of the response header {name!r}")
        raw_name = name.lower().encode("ascii")
        if raw_name in _FRAMING:
            continue
        try:
            raw_value = value.encode("latin-1")
        except UnicodeEncodeError:
            raw_value = value.encode("utf-8")
        encoded.append((raw_name, raw_value))
    return status, encoded


async def _send(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes, content_length: int | None = None
) -> None:
    length = len(body) if content_length is None else content_length
    await send(
        {"type": "http.response.start", "status": status, "headers": [*headers, (b"content-length", str(length).encode())]}
    )
    await send({"type": "http.response.body", "body": body})


# -- helpers for the sources' local modules -----------------------------------


def header_pairs(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    """ASGI header pairs as text: lower-case names, values as UTF-8 (else Latin-1) text."""
    pairs = []
    for name, value in headers:
        try:
            text = value.decode("utf-8")
        except UnicodeDecodeError:
            text = value.decode("latin-1")
        pairs.append((name.decode("latin-1").lower(), text))
    return pairs


def query_pairs(query_string: bytes, decode: bool = True) -> list[tuple[str, str]]:
    """The query string's ``(name, value)`` pairs in order, blank values kept.

    :param decode: percent-decode names and values (``+`` is a space), as
        API Gateway does; ``False`` keeps them as sent, as ALB does.

    Raises :class:`ValueError` when the query string is not ASCII or does not
    decode to UTF-8.
    """
    try:
        text = query_string.decode("ascii")
    except UnicodeDecodeError:
        raise ValueError("Query string is not valid: it must be ASCII, percent-encoded") from None
    if not decode:
        pairs = []
        for field in text.split("&"):
            if field:
                name, _, value = field.partition("=")
                pairs.append((name, value))
        return pairs
    try:
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ValueError("Query string does not decode to UTF-8 text") from None


def cookie_values(headers: Iterable[tuple[str, str]]) -> list[str]:
    """The ``name=value`` cookies of every ``Cookie`` header, in order."""
    cookies: list[str] = []
    for name, value in headers:
        if name == "cookie":
            cookies.extend(part.strip() for part in value.split(";") if part.strip())
    return cookies


_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript", "application/x-www-form-urlencoded")


def encode_body(body: bytes, content_type: str | None) -> tuple[str, bool]:
    """The body as an event carries it: ``(text, False)`` or ``(base64, True)``.

    Text content types whose bytes are UTF-8 travel as text; everything else
    (images, ``application/octet-stream``, undeclared or undecodable bytes)
    base64-encoded, as the services do for binary payloads.
    """
    kind = (content_type or "").split(";")[0].strip().lower()
    textual = kind.startswith(_TEXT_TYPES) or kind.endswith(("+json", "+xml"))
    if textual or (not kind and not body):
        try:
            return body.decode("utf-8"), False
        except UnicodeDecodeError:
            pass
    return base64.b64encode(body).decode("ascii"), True


def read_response(response: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    """Read a Lambda HTTP response dict: status, header pairs and body bytes.

    Reads ``statusCode``, ``headers`` (one value each), ``multiValueHeaders``
    (lists; for a name in both, the lists win, as API Gateway merges them),
    ``cookies`` (each a ``Set-Cookie`` header), ``body`` and
    ``isBase64Encoded``. Raises :class:`ValueError` for a dict no service
    would accept.
    """
    if not isinstance(response, dict):
        raise ValueError(f"The handler returned {type(response).__name__}, not a response dict")
    status = response.get("statusCode")
    if isinstance(status, str) and status.isdigit():
        status = int(status)
    if isinstance(status, bool) or not isinstance(status, int):
        raise ValueError(f"The response has no valid statusCode: {status!r}")
    single = response.get("headers") or {}
    multi = response.get("multiValueHeaders") or {}
    if not isinstance(single, dict) or not isinstance(multi, dict):
        raise ValueError("The response headers are not objects")
    lower_multi = {str(name).lower() for name in multi}
    headers: list[tuple[str, str]] = []
    for name, value in single.items():
        if str(name).lower() not in lower_multi:
            headers.append((str(name), _header_text(value)))
    for name, values in multi.items():
        if not isinstance(values, list):
            raise ValueError(f"multiValueHeaders[{name!r}] is not a list")
        headers.extend((str(name), _header_text(value)) for value in values)
    cookies = response.get("cookies") or []
    if not isinstance(cookies, list):
        raise ValueError("The response cookies are not a list")
    headers.extend(("Set-Cookie", str(cookie)) for cookie in cookies)
    body = response.get("body")
    if body is None:
        content = b""
    elif not isinstance(body, str):
        raise ValueError(f"The response body is {type(body).__name__}, not a string")
    elif response.get("isBase64Encoded"):
        try:
            content = base64.b64decode(body, validate=True)
        except binascii.Error:
            raise ValueError("The response body is not valid base64") from None
    else:
        content = body.encode("utf-8")
    return status, headers, content


def _header_text(value: Any) -> str:
    # Services accept numbers and booleans as header values and send their text.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise ValueError(f"A response header value is {type(value).__name__}, not a string")
