"""CORS for kernel apps: :class:`CORSConfig`, the CORS response headers and preflight answers.

Installed with ``pip install --no-index --find-links dist "kernel[cors]"`` from the
wheelhouse ``scripts/wheelhouse`` builds. The plugin does two things:

* ``build_response``: on the responses of CORS-enabled routes (an app-wide
  ``cors=CORSConfig(...)``, or ``cors=True`` on the route) it adds the
  ``Access-Control-*`` headers when the request's ``Origin`` is allowed, and
  always ``Vary: Origin``, because the answer depends on that header.
* ``match_route`` (``trylast``): an ``OPTIONS`` request that no route matches,
  in an app with a ``CORSConfig``, is routed to a preflight route answering
  ``204`` with ``Access-Control-Allow-Methods``. Being a route, it runs through
  the app's exception handlers and middlewares, and a custom not-found handler
  never sees it. A route registered for ``OPTIONS`` still wins.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kernel.plugin_api import Response, Route, add_vary, hookimpl

if TYPE_CHECKING:
    from kernel.plugin_api import ApiGatewayResolver, BaseRequest

__all__ = ["CORSConfig"]

# An origin is one scheme://host[:port] (or "null", or "*"): control characters
# (CR/LF would split the header), whitespace and commas (a list of origins) never
# belong in one. Catching them when the app is built beats never matching.
_BAD_ORIGIN = re.compile(r"[\x00-\x20\x7f,]")
# Header names and values in the config must not be able to split a header.
_BAD_HEADER = re.compile(r"[\x00-\x1f\x7f]")


class CORSConfig:
    """Which cross-origin requests an app answers, and what it lets the browser do.

    Pass it as ``cors=`` to an app to enable CORS on every route (a route opts
    out with ``cors=False``), or use ``cors=True`` on single routes to get the
    permissive default ``CORSConfig()``.

    :param allow_origin: the origin allowed to read responses. ``"*"`` (the
        default, fit for prototypes) allows any origin and is answered as
        ``Access-Control-Allow-Origin: *``.
    :param extra_origins: more allowed origins. An allowed origin is echoed
        back only when the request's ``Origin`` is exactly, byte for byte, one
        of them.
    :param allow_headers: request headers the browser may send, on top of
        ``Authorization``, ``Content-Type``, ``X-Amz-Date``, ``X-Api-Key`` and
        ``X-Amz-Security-Token``.
    :param expose_headers: response headers scripts may read
        (``Access-Control-Expose-Headers``).
    :param max_age: seconds a browser may cache a preflight answer
        (``Access-Control-Max-Age``).
    :param allow_credentials: send ``Access-Control-Allow-Credentials: true``;
        never together with the ``*`` origin, which browsers refuse with
        credentials.
    :raises ValueError: when an origin holds a control character, whitespace or
        a comma, or a header name holds a control character.
    """

    _REQUIRED_HEADERS = ["Authorization", "Content-Type", "X-Amz-Date", "X-Api-Key", "X-Amz-Security-Token"]

    def __init__(
        self,
        allow_origin: str = "*",
        extra_origins: list[str] | None = None,
        allow_headers: list[str] | None = None,
        expose_headers: list[str] | None = None,
        max_age: int | None = None,
        allow_credentials: bool = False,
    ) -> None:
        origins = [allow_origin, *(extra_origins or [])]
        for origin in origins:
            if not isinstance(origin, str) or not origin or _BAD_ORIGIN.search(origin):
                raise ValueError(
                    f"Invalid CORS origin {origin!r}: give one origin per string, such as 'https://example.com',"
                    " and more of them in extra_origins"
                )
        for header in [*(allow_headers or []), *(expose_headers or [])]:
            if not isinstance(header, str) or not header or _BAD_HEADER.search(header):
                raise ValueError(f"Invalid header name in CORS configuration: {header!r}")
        self._allowed_origins = origins
        self.allow_headers = set(self._REQUIRED_HEADERS + (allow_headers or []))
        self.expose_headers = expose_headers or []
        self.max_age = max_age
        self.allow_credentials = allow_credentials
        self._headers_by_origin: dict[str, dict[str, str]] = {}

    def allowed_origin(self, extracted_origin: str | None) -> str | None:
        """The ``Access-Control-Allow-Origin`` value for a request's ``Origin``, or None.

        An origin listed in the config is returned as is; any other non-empty
        origin gets ``"*"`` when the config allows every origin, else None. A
        missing or empty ``Origin`` gets None: it is not a CORS request.
        """
        if not extracted_origin:
            return None
        if extracted_origin in self._allowed_origins:
            return extracted_origin
        if "*" in self._allowed_origins:
            return "*"
        return None

    def to_dict(self, origin: str | None) -> dict[str, str]:
        """The CORS response headers for a request's ``Origin`` (empty when it is not allowed).

        The origin goes through :meth:`allowed_origin` first, so an origin that
        is not listed is never echoed back, even when every origin is allowed.
        """
        allowed = self.allowed_origin(origin)
        if allowed is None:
            return {}
        # The headers depend only on the answered origin and the settings:
        # build them once per origin rather than sorting and joining per request.
        cached = self._headers_by_origin.get(allowed)
        if cached is None:
            cached = self._headers_by_origin[allowed] = self._build_headers(allowed)
        return dict(cached)

    def _build_headers(self, allowed: str) -> dict[str, str]:
        headers = {
            "Access-Control-Allow-Origin": allowed,
            "Access-Control-Allow-Headers": CORSConfig.build_allow_methods(self.allow_headers),
        }
        if self.expose_headers:
            headers["Access-Control-Expose-Headers"] = ",".join(self.expose_headers)
        if self.max_age is not None:
            headers["Access-Control-Max-Age"] = str(self.max_age)
        if allowed != "*" and self.allow_credentials is True:
            headers["Access-Control-Allow-Credentials"] = "true"
        return headers

    @staticmethod
    def build_allow_methods(methods: Iterable[str]) -> str:
        """Sorted, comma-separated methods (or header names), e.g. ``"GET,OPTIONS"``."""
        return ",".join(sorted(methods))


_PERMISSIVE = CORSConfig()


@hookimpl
def build_response(app: ApiGatewayResolver, request: BaseRequest, route: Route | None, response: Response[Any]) -> None:
    """Add the CORS headers to the responses of CORS-enabled routes."""
    if route is None or not route.cors:
        return
    config: CORSConfig = app.cors or _PERMISSIVE
    response.headers.update(config.to_dict(request.header_text("Origin")))
    # Whether the headers are there depends on Origin (present, allowed), so a
    # shared cache must key on it, even when this answer carries none of them:
    # the Fetch standard's "CORS protocol and HTTP caches".
    add_vary(response, "Origin")


# app -> (number of routes when built, its preflight route). Routes are only
# ever added, so a change in their number means the allowed methods may differ.
_preflight_routes: weakref.WeakKeyDictionary[Any, tuple[int, Route]] = weakref.WeakKeyDictionary()


def preflight_route(app: ApiGatewayResolver) -> Route:
    """The route answering an app's preflight requests, built once per set of routes.

    It answers ``204`` with no body and ``Access-Control-Allow-Methods`` listing
    ``OPTIONS`` and the methods of every CORS-enabled route of the app; the
    ``build_response`` hook adds the origin headers as for any CORS route.
    """
    count = len(app.routes)
    cached = _preflight_routes.get(app)
    if cached is not None and cached[0] == count:
        return cached[1]
    allow_methods = CORSConfig.build_allow_methods({"OPTIONS", *(route.method for route in app.routes if route.cors)})

    def preflight() -> Response[str]:
        return Response(status_code=204, content_type=None, headers={"Access-Control-Allow-Methods": allow_methods}, body="")

    # "*" is HTTP's name for "the server as a whole": the route serves every path.
    route = Route("OPTIONS", "*", preflight, cors=True, include_in_schema=False)
    route.catch_all = True
    _preflight_routes[app] = (count, route)
    return route


@hookimpl(trylast=True)
def match_route(app: ApiGatewayResolver, method: str) -> tuple[Route, dict[str, str]] | None:
    """Route an unmatched ``OPTIONS`` request of an app with a ``CORSConfig`` to its preflight route."""
    # As in the reference, only an app-wide config answers preflights; cors=True
    # on single routes adds headers to their responses but answers no OPTIONS.
    if method != "OPTIONS" or app.cors is None:
        return None
    return preflight_route(app), {}
