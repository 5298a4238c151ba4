"""Serve a kernel app over HTTP, through any ASGI server.

:class:`ASGIAdapter` is an ASGI 3 application. For each HTTP request it builds
the Lambda event a chosen event source would send, resolves it with the app,
and turns the response dict back into an HTTP response. ``kernel serve`` runs
it on uvicorn; in a container it runs under any ASGI server::

    from kernel.asgi import ASGIAdapter
    from myservice import app

    asgi_app = ASGIAdapter(app, source="edge")   # uvicorn myservice_asgi:asgi_app

The kernel knows no event source by name: the adapter asks the source's
plugin (a :class:`kernel.source.Source`) to build the event of each request
from an :class:`kernel.events.HttpRequest`, and to read its response dict
back. A source that declares no event builder cannot be served.

Requests run concurrently: a kernel app is resolved with ``resolve_async``
on the server's event loop, so async routes run there with no thread hop,
and the sync part of a request whose route and middlewares are all sync runs
in a pool of worker threads (each request sees its own ``current_event``:
see :mod:`kernel.request_state`). The bodies being received are capped in
total, not only one by one, so many concurrent uploads cannot exhaust memory.

:class:`HttpResolver` is an app that is itself an ASGI application (the
name Powertools gives it), answering as the source it will be deployed
behind.

Only the standard library is imported here.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import quote, unquote_to_bytes

from kernel import resolution
from kernel.app import BaseApp
from kernel.compat import DEFAULT_SOURCE, SOURCE_OF, App
from kernel.concurrency import offload_to
from kernel.events import HttpRequest
from kernel.lambda_context import LocalContext

__all__ = [
    "DEFAULT_BODY_TIMEOUT",
    "DEFAULT_MAX_BODY_SIZE",
    "DEFAULT_MAX_BUFFERED_BODIES",
    "DEFAULT_WORKER_THREADS",
    "ASGIAdapter",
    "HttpResolver",
    "LocalContext",
    "LocalSourceError",
    "from_environment",
    "header_pairs",
    "load_source",
    "servable_sources",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

#: Lambda refuses synchronous invocations whose payload is over 6 MB, so a
#: bigger body could never reach the app in production either.
DEFAULT_MAX_BODY_SIZE = 6 * 1024 * 1024

#: The bytes of request bodies all concurrent requests may hold at once
#: (about ten Lambda-sized bodies); past it a request is answered ``503``.
DEFAULT_MAX_BUFFERED_BODIES = 64 * 1024 * 1024

#: Seconds a client may take to send its whole body before ``408``.
DEFAULT_BODY_TIMEOUT = 30.0

#: Worker threads running the sync routes of concurrent requests.
DEFAULT_WORKER_THREADS = 32

#: Environment variables through which ``kernel serve --reload`` hands its
#: arguments to :func:`from_environment` in uvicorn's worker process.
APP_ENV = "KERNEL_SERVE_APP"
SOURCE_ENV = "KERNEL_SERVE_SOURCE"
OPTIONS_ENV = "KERNEL_SERVE_OPTIONS"

logger = logging.getLogger("kernel.asgi")


class LocalSourceError(LookupError):
    """The chosen event source cannot be served over HTTP (it builds no events, or its service is not HTTP)."""


def load_source(name: str, app: Any = None) -> Any:
    """The event-source plugin ``name`` of ``app`` (else the installed one), when it builds events.

    Raises :class:`~kernel.exceptions.PluginNotFoundError` (naming the extra
    to install) when ``name`` is one of the project's own sources and is not
    installed, and :class:`LocalSourceError` when no source is called
    ``name`` (listing those that can be served) or when the plugin is not a
    source that builds events from HTTP requests (see :class:`kernel.source.Source`).
    """
    from kernel import plugins

    manager = getattr(app, "plugin_manager", None)
    plugin = manager.get_plugin(name) if manager is not None else None
    if plugin is None:
        _check_exists(name, app)
        ((_, plugin),) = plugins.load([name])
    if not callable(getattr(plugin, "parse_event", None)):
        raise LocalSourceError(f"The plugin {name!r} is not an event source. {_servable_sentence(app)}")
    problem = _unservable(plugin)
    if problem is not None:
        raise LocalSourceError(f"The event source {name!r} cannot be served over HTTP: {problem}")
    return plugin


def _check_exists(name: str, app: Any) -> None:
    """Raise :class:`LocalSourceError` when no plugin ``name`` is installed, given to ``app`` or one of ours.

    One of the project's own sources that is not installed passes: loading
    it then names the extra to install. Anything else is most likely a typo
    (or a third-party source not installed), so the message lists what can
    be served rather than suggest an extra that does not exist.
    """
    from kernel import plugins

    manager = getattr(app, "plugin_manager", None)
    if manager is not None and manager.get_plugin(name) is not None:
        return
    if name not in plugins.installed() and name not in SOURCE_OF.values():
        raise LocalSourceError(f"There is no event source {name!r}. {_servable_sentence(app)}")


def _unservable(plugin: Any) -> str | None:
    """Why ``plugin`` cannot be served over HTTP, or None when it can."""
    if not callable(getattr(plugin, "build_event", None)) or not getattr(plugin, "can_build_events", False):
        return "its plugin declares no event builder (Source(..., build_event=...))"
    if not getattr(plugin, "over_http", True):
        return "its service does not call over HTTP"
    return None


def _servable_sentence(app: Any) -> str:
    return f"The installed sources that can be served: {', '.join(servable_sources(app)) or 'none'}"


def servable_sources(app: Any = None) -> list[str]:
    """The names of the event sources ``kernel serve`` can emulate: installed ones and those ``app`` was given.

    Loads every installed plugin; one that fails to load is left out (this
    only feeds error messages and listings).
    """
    from kernel import plugins
    from kernel.exceptions import PluginLoadError

    found: dict[str, Any] = {}
    for name in plugins.installed():
        try:
            ((_, found[name]),) = plugins.load([name])
        except (PluginLoadError, LookupError):
            continue
    manager = getattr(app, "plugin_manager", None)
    if manager is not None:
        found.update(manager.list_name_plugin())
    return sorted(name for name, plugin in found.items() if name is not None and _unservable(plugin) is None)


class ASGIAdapter:
    """An ASGI 3 application serving a kernel app as one event source would invoke it.

    :param app: the app (anything with ``resolve(event, context)``), or a
        Lambda handler function ``handler(event, context)``.
    :param source: the event source to emulate, by plugin name. By default
        the source the app is pinned to (``ALBResolver`` serves ``alb``), or
        ``rest`` for an app that accepts any source.
    :param max_body_size: larger request bodies are answered ``413``.
    :param max_buffered_bodies: the bytes of request bodies all requests being
        received or resolved may hold together; a request whose body would
        go past it is answered ``503`` with ``Retry-After: 1`` (the server is
        busy; retrying later works), so many concurrent uploads cannot
        exhaust memory.
    :param body_timeout: seconds a client may take to send its whole body;
        a slower one is answered ``408``.
    :param worker_threads: threads of the pool that runs sync routes (and
        Lambda handler functions) while other requests go on.
    :param function_name: the function name the fake Lambda context reports.
    :param timeout: the seconds :meth:`LocalContext.get_remaining_time_in_millis`
        counts down from; nothing is interrupted when they run out.
    :param options: the source's event options, passed to its ``build_event``
        (``{"multi_value": "true"}`` for ``alb``...).

    Raises :class:`LocalSourceError` (or
    :class:`~kernel.exceptions.PluginNotFoundError`) at once when ``source``
    cannot be served, and :class:`ValueError` when the app is pinned to
    another source.

    Requests are resolved concurrently. A kernel app is resolved with
    ``resolve_async`` on the event loop: async routes and middlewares run
    there, and a request whose route and middlewares are all sync runs them
    in the worker threads. Anything else (a Lambda handler function) is
    called in the worker threads. An exception the app does not handle is
    logged and answered ``502`` with ``{"message": "Internal server error"}``,
    as API Gateway answers a failed invocation.
    """

    def __init__(
        self,
        app: Any,
        source: str | None = None,
        *,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
        max_buffered_bodies: int = DEFAULT_MAX_BUFFERED_BODIES,
        body_timeout: float = DEFAULT_BODY_TIMEOUT,
        worker_threads: int = DEFAULT_WORKER_THREADS,
        function_name: str = "kernel-local",
        timeout: float = 30.0,
        options: Mapping[str, Any] | None = None,
    ) -> None:
        pinned = getattr(app, "source", None)
        if source is None:
            source = pinned if isinstance(pinned, str) else DEFAULT_SOURCE
        elif isinstance(pinned, str) and pinned != source:
            _check_exists(source, app)  # a typo is better told as such than as a mismatch
            raise ValueError(f"The app only accepts {pinned!r} events, so it cannot be served as {source!r}")
        self.app = app
        self.source = source
        self.max_body_size = max_body_size
        self.max_buffered_bodies = max_buffered_bodies
        self.body_timeout = body_timeout
        self.worker_threads = worker_threads
        self.function_name = function_name
        self.timeout = timeout
        self.options = dict(options or {})
        self._resolve: Callable[[dict[str, Any], Any], Any] = getattr(app, "resolve", app)
        self._source = load_source(source, app)
        # The pool is made on the first request that needs it.
        self._pool: ThreadPoolExecutor | None = None
        # Bytes of bodies held by requests in progress. Only the event loop's
        # thread changes it, so it needs no lock.
        self._buffered = 0
        # Whether the hint about a source mismatch was logged (once is enough).
        self._hinted = False

    @property
    def source_plugin(self) -> Any:
        """The plugin of the emulated source (a :class:`kernel.source.Source`, for most)."""
        return self._source

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
        held = [0]  # the bytes of this request's body counted in self._buffered
        try:
            await self._answer(scope, receive, send, held)
        finally:
            self._buffered -= held[0]

    def _hold(self, held: list[int], size: int) -> bool:
        """Count ``size`` more bytes of a body in the total; False when the total would go past the cap."""
        if self._buffered + size > self.max_buffered_bodies:
            return False
        self._buffered += size
        held[0] += size
        return True

    async def _answer(self, scope: Scope, receive: Receive, send: Send, held: list[int]) -> None:
        try:
            body = await _read_body(receive, self.max_body_size, lambda size: self._hold(held, size), self.body_timeout)
        except _BodyTooLarge:
            await _send_error(send, 413, f"Request body is larger than {self.max_body_size} bytes")
            return
        except _ServerBusy:
            await _send_error(
                send, 503, "The server is receiving too many request bodies at once; retry later", [(b"retry-after", b"1")]
            )
            return
        except _BodyTimeout:
            await _send_error(send, 408, f"The request body did not arrive within {self.body_timeout:g} seconds")
            return
        if body is None:
            return  # the client went away
        path = _request_path(scope)
        if path is None:
            await _send_error(send, 400, "Request path is not a valid URL path")
            return
        request_id = str(uuid.uuid4())
        client = scope.get("client")
        try:
            query_string = scope.get("query_string", b"").decode("ascii")
        except UnicodeDecodeError:
            await _send_error(send, 400, "Query string is not valid: it must be ASCII, percent-encoded")
            return
        request = HttpRequest(
            scope["method"],
            path,
            query_string,
            tuple(header_pairs(scope.get("headers", []))),
            body,
            None,
            request_id,
            client[0] if client else "127.0.0.1",
        )
        try:
            event = self._source.build_event(request, **self.options)
        except ValueError as exc:
            await _send_error(send, 400, str(exc) or "Bad request")
            return
        except Exception:
            logger.exception("The %r source failed to build the event of %s %s", self.source, scope["method"], path)
            await _send_error(send, 502, "Internal server error")
            return
        context = LocalContext(request_id, self.function_name, self.timeout)
        try:
            response = await self._invoke(event, context)
            status, headers, content = self._source.read_response(response)
            status, encoded = _checked_response(status, headers)
        except Exception:
            logger.exception("The app failed to answer %s %s", scope["method"], path)
            await _send_error(send, 502, "Internal server error")
            return
        if status == 400 and b"Malformed event" in content and not self._hinted:
            # The app is not the one we think: a handler function wrapping an
            # app pinned to another source (a pinned app is refused up front).
            self._hinted = True
            logger.warning(
                "The app answered %s %s with 400 Malformed event: it may take another source's events than %r;"
                " serve it with --source NAME (ASGIAdapter(app, source=NAME))",
                scope["method"],
                path,
                self.source,
            )
        if status in _NO_CONTENT:
            # Whatever the app's body (a serialised None is "null"), these
            # statuses have none, and a 204 or 304 carries no Content-Length
            # (RFC 9110 8.6): a body here would break the connection.
            await _send(send, status, encoded, b"", content_length=None if status in _NO_LENGTH else 0)
        elif scope["method"] == "HEAD":
            await _send(send, status, encoded, b"", content_length=len(content))
        else:
            await _send(send, status, encoded, content, content_length=len(content))

    async def _invoke(self, event: dict[str, Any], context: LocalContext) -> Any:
        offload = offload_to(self._workers())
        if isinstance(self.app, BaseApp):
            return await resolution.resolve_async(self.app, event, context, offload=offload)
        return await offload(self._resolve, event, context)

    def _workers(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.worker_threads, thread_name_prefix="kernel-serve")
        return self._pool


class HttpResolver(App):
    """An app that is itself an ASGI application: run it with uvicorn (``uvicorn service:app``) or any ASGI server.

    Takes :class:`~kernel.App`'s keywords (``cors``, ``debug``,
    ``serializer``, ``strip_prefixes``, ``enable_validation``, ``plugins``)
    and ``source``: the event source it will be deployed behind. Over HTTP
    each request becomes that source's event, so the app answers as it will
    in production (the source's response dict, rendered back to HTTP);
    on Lambda the same app resolves that source's events with
    ``handler = app.resolve``. Without ``source`` the app takes any installed
    source's events and is served as ``rest``. ``serve_options`` are
    :class:`ASGIAdapter`'s keywords (``max_body_size``, ``worker_threads``...).
    """

    def __init__(
        self,
        cors: Any = None,
        debug: bool | None = None,
        serializer: Callable[[Any], str] | None = None,
        strip_prefixes: list[str | re.Pattern[str]] | None = None,
        enable_validation: bool = False,
        *,
        plugins: Sequence[str | object] | None = None,
        source: str | None = None,
        serve_options: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(cors, debug, serializer, strip_prefixes, enable_validation, plugins=plugins, source=source)
        self._serve_options = dict(serve_options or {})
        self._adapter: ASGIAdapter | None = None

    @property
    def asgi_adapter(self) -> ASGIAdapter:
        """The adapter serving this app (made on first use, when the routes are declared)."""
        if self._adapter is None:
            self._adapter = ASGIAdapter(self, self.source, **self._serve_options)
        return self._adapter

    async def asgi_handler(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection (what calling the app does)."""
        await self.asgi_adapter(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:  # type: ignore[override]
        await self.asgi_adapter(scope, receive, send)


def from_environment() -> ASGIAdapter:
    """Build the adapter ``kernel serve --reload`` runs, from environment variables.

    ``KERNEL_SERVE_APP`` names the app as ``kernel serve`` takes it,
    ``KERNEL_SERVE_SOURCE`` the source (optional) and ``KERNEL_SERVE_OPTIONS``
    the source options as a JSON object (optional). uvicorn calls this in
    each fresh worker process, so a reload imports the app's code anew.
    """
    from kernel.app_loading import load_app

    target = os.environ.get(APP_ENV)
    if not target:
        raise LocalSourceError(f"{APP_ENV} is not set: it names the app to serve (path/to/app.py[:attribute])")
    options = json.loads(os.environ.get(OPTIONS_ENV) or "{}")
    return ASGIAdapter(load_app(target), os.environ.get(SOURCE_ENV) or None, options=options)


# -- the HTTP side ------------------------------------------------------------


class _BodyTooLarge(Exception):
    pass


class _ServerBusy(Exception):
    pass


class _BodyTimeout(Exception):
    pass


async def _read_body(receive: Receive, limit: int, hold: Callable[[int], bool], timeout: float | None = None) -> bytes | None:
    """The whole request body, or None if the client left.

    Raises _BodyTooLarge past ``limit``, _ServerBusy when ``hold(size)``
    refuses to count the next chunk, and _BodyTimeout when the body takes
    longer than ``timeout`` seconds to arrive.
    """
    try:
        if hasattr(asyncio, "timeout"):  # Python 3.11+: a timer, no extra task
            async with asyncio.timeout(timeout):
                return await _receive_body(receive, limit, hold)
        return await asyncio.wait_for(_receive_body(receive, limit, hold), timeout)
    except asyncio.TimeoutError:
        raise _BodyTimeout from None


async def _receive_body(receive: Receive, limit: int, hold: Callable[[int], bool]) -> bytes | None:
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
        # Joining the chunks makes a second copy of the body, counted too.
        if chunk and not hold(len(chunk) * 2):
            raise _ServerBusy
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


async def _send_error(send: Send, status: int, message: str, headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    """Answer a request the app never saw, with a small JSON body."""
    body = json.dumps({"message": message}).encode()
    await _send(send, status, [(b"content-type", b"application/json"), *headers], body, len(body))


# Header names are RFC 9110 tokens; values may not break the header block.
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_BAD_VALUE = re.compile(r"[\r\n\x00]")
# The server frames the body itself; a framing header from the app would lie.
_FRAMING = {b"content-length", b"transfer-encoding"}
# Statuses whose responses have no content (RFC 9110 15.3.6, 15.3.5, 15.4.5),
# and those of them that must not carry a Content-Length either (RFC 9110 8.6:
# a 204 never; a 304 only with the length of the 200 it stands for, unknown here).
_NO_CONTENT = frozenset({204, 205, 304})
_NO_LENGTH = frozenset({204, 304})


def _checked_response(status: Any, headers: Iterable[tuple[str, str]]) -> tuple[int, list[tuple[bytes, bytes]]]:
    """Validate what ``http_from_response`` returned; raise ValueError on a broken response."""
    # A 1xx is an interim status, never the final answer HTTP servers send.
    if isinstance(status, bool) or not isinstance(status, int) or not 200 <= status <= 599:
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


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes, content_length: int | None) -> None:
    """Send a whole response, with ``content_length`` as its Content-Length (None: without one)."""
    framing = [] if content_length is None else [(b"content-length", str(content_length).encode())]
    await send({"type": "http.response.start", "status": status, "headers": [*headers, *framing]})
    await send({"type": "http.response.body", "body": body})


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
