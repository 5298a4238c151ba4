"""Declaring an event source: :class:`Source`.

An event source is a plugin that turns one service's Lambda events into
requests and the app's responses into that service's response dicts. Most of
it is declarations, so a source is written as one :class:`Source`::

    from kernel.plugin_api import Source

    source = Source(
        "edge",
        EdgeRequest,                     # the request class users see as app.current_event
        recognise=is_edge_event,         # event -> bool, only asked when the app is not pinned
        check=check_edge_event,          # event -> None, or why the event is malformed (answered 400)
        render=edge_response,            # (app, request, response) -> the dict Lambda returns
        build_event=edge_event,          # (HttpRequest, **options) -> the event the service would send
    )

and registered in the ``kernel.plugins`` entry-point group (``edge =
"kernel_edge:source"``). The instance is the plugin: its ``parse_event`` and
``build_response`` hook implementations come from the declarations above, and
a subclass adds hooks of its own with :data:`~kernel.hookspecs.hookimpl`
methods.

The kernel asks a source only about its own requests: its ``build_response``
(and any ``match_route`` or ``before_handle`` it adds) runs for the requests
its ``parse_event`` made, so nothing in a source checks "is this request
mine?". The same builder serves :class:`kernel.testing.Client`, ``kernel
serve`` and the project's own tests and benchmarks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kernel.hookspecs import hookimpl

if TYPE_CHECKING:
    from kernel.events import HttpRequest
    from kernel.request import BaseRequest
    from kernel.response import Response

Recognise = Callable[[Any], bool]
Check = Callable[[Any], "str | None"]
Render = Callable[[Any, Any, "Response[Any]"], dict[str, Any]]
BuildEvent = Callable[..., dict[str, Any]]
ReadResponse = Callable[[dict[str, Any]], tuple[int, list[tuple[str, str]], bytes]]


class Source:
    """An event source, declared.

    :param name: the plugin name (the entry point's name), used to pin apps
        (``App(source=name)``) and to choose it in ``kernel serve --source``.
    :param request: the request class wrapping the source's events.
    :param recognise: whether an event has the source's shape. Called only
        for apps not pinned to a source, on every event they get, so it
        should be quick and never raise.
    :param check: why an event of the source is malformed, or ``None``. A
        malformed event is answered ``400 Bad Request`` in the source's shape.
    :param render: builds the response dict from ``(app, request, response)``;
        ``response`` is final (body serialised, features applied).
    :param build_event: builds the event the service would send for an
        :class:`~kernel.events.HttpRequest`, with the source's own keyword
        options (a stage, a target group mode...), or its location as
        ``"module:function"``, imported on first use so a cold start does not
        pay for it. ``None`` for a source that cannot be driven by HTTP requests.
    :param read_response: reads a response dict back into ``(status, header
        pairs, body bytes)``; by default :func:`kernel.events.read_response`.
        Raise :class:`ValueError` for a dict the service would refuse.
    :param options: the keyword options ``build_event`` accepts, with their
        meaning, for ``kernel serve --event-option`` and the docs.
    :param over_http: whether the service is reached over HTTP, so ``kernel
        serve`` can stand in for it. ``False`` for a service that calls the
        function itself (a Bedrock agent): its events can still be built for
        tests, but ``kernel serve`` refuses it.
    """

    def __init__(
        self,
        name: str,
        request: type[BaseRequest],
        *,
        recognise: Recognise,
        check: Check,
        render: Render,
        build_event: BuildEvent | str | None = None,
        read_response: ReadResponse | None = None,
        options: dict[str, str] | None = None,
        over_http: bool = True,
    ) -> None:
        self.name = name
        self.plugin_name = name
        self.request_class = request
        self.request_classes: tuple[type[BaseRequest], ...] = (request,)
        self.recognise = recognise
        self.check = check
        self.render = render
        self._build_event = build_event
        self.read_response: ReadResponse = read_response or _read_proxy_response
        self.options = dict(options or {})
        self.over_http = over_http

    def __repr__(self) -> str:
        return f"<Source {self.name!r}>"

    @property
    def can_build_events(self) -> bool:
        """Whether this source can build events from HTTP requests (for the test client and ``kernel serve``)."""
        return self._build_event is not None

    def build_event(self, request: HttpRequest, **options: Any) -> dict[str, Any]:
        """The event the service would send for ``request``.

        Raises :class:`ValueError` for a request the service could not send
        (``kernel serve`` answers it ``400``), and :class:`LookupError` when
        the source declares no builder.
        """
        builder = self._build_event
        if builder is None:
            raise LookupError(f"The event source {self.name!r} cannot build events from HTTP requests")
        if isinstance(builder, str):
            import importlib

            module, _, attribute = builder.partition(":")
            builder = self._build_event = getattr(importlib.import_module(module), attribute)
        return builder(request, **options)

    def event(self, method: str = "GET", path: str = "/", **parts: Any) -> dict[str, Any]:
        """A realistic event for a method, path and parts; handy in tests.

        Takes the keywords of :meth:`HttpRequest.build <kernel.events.HttpRequest.build>`
        (``headers``, ``query``, ``body``, ``is_base64``, ``cookies``,
        ``request_id``, ``source_ip``); the rest are the source's own options.
        The body is sent as text unless ``is_base64=True``.
        """
        request_keys = {"headers", "query", "body", "is_base64", "cookies", "request_id", "source_ip"}
        # A test's body is text unless it says otherwise, whatever its content type.
        parts.setdefault("is_base64", False)
        from kernel.events import HttpRequest

        request = HttpRequest.build(method, path, **{key: value for key, value in parts.items() if key in request_keys})
        return self.build_event(request, **{key: value for key, value in parts.items() if key not in request_keys})

    # -- the hook implementations the declarations make -----------------------------

    # Both take every argument of their hook, in order: the kernel then calls
    # them directly, without an adapter selecting the arguments.

    @hookimpl
    def parse_event(self, app: Any, event: Any, context: Any, pinned: bool) -> BaseRequest | None:
        """Wrap events of this source; sniff their shape only when the app is not pinned to it."""
        if not pinned and not self.recognise(event):
            return None
        problem = self.check(event)
        if problem is not None:
            return self.request_class(event if type(event) is dict else {}).reject(f"Malformed event: {problem}")
        return self.request_class(event)

    @hookimpl(trylast=True)
    def build_response(self, app: Any, request: Any, route: Any, response: Response[Any]) -> dict[str, Any]:
        """The response dict of this source's service (called for this source's requests only)."""
        return self.render(app, request, response)


def _read_proxy_response(response: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    """:func:`kernel.events.read_response`, imported when a response is first read back.

    Reading responses back serves the test client and ``kernel serve`` only:
    a function answering Lambda events never loads the event builders.
    """
    from kernel.events import read_response

    return read_response(response)
