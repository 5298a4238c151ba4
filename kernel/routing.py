"""Routes and the compiled table that finds them.

A rule such as ``/users/<user_id>/posts/<post_id>`` is split into path
segments once, when it is registered. Static rules go into a dict keyed by
path; dynamic rules into a tree keyed by segment, so finding a route walks the
request path rather than the list of routes, whatever their number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# Characters a <param> matches within one path segment: word characters, the
# RFC 3986 unreserved and sub-delimiter characters, percent-escapes and the
# few unsafe characters API Gateway passes through unencoded.
PARAM_CHARS = r"[\w\-._~()'!*:@,;=+&$%<> \[\]{}|^]+"
_param_segment = re.compile(PARAM_CHARS).fullmatch
_PARAM = re.compile(r"<(\w+)>")

DEFAULT_RESPONSE_DESCRIPTION = "Successful Response"


class Route:
    """One method and rule, the function serving them, and their settings.

    Routes are created by the app's decorators; plugins read them (``cors``,
    ``compress``, the OpenAPI fields) and may set :attr:`body_encoder`.
    """

    def __init__(
        self,
        method: str,
        path: str,
        func: Callable[..., Any],
        cors: bool = False,
        compress: bool = False,
        cache_control: str | None = None,
        summary: str | None = None,
        description: str | None = None,
        responses: dict[int, Any] | None = None,
        response_description: str | None = DEFAULT_RESPONSE_DESCRIPTION,
        tags: list[str] | None = None,
        operation_id: str | None = None,
        include_in_schema: bool = True,
        security: list[dict[str, list[str]]] | None = None,
        middlewares: list[Callable[..., Any]] | None = None,
    ) -> None:
        self.method = method.upper()
        self.path = "/" if path.strip() == "" else path
        self.openapi_path = _PARAM.sub(r"{\1}", self.path)
        self.func = func
        self.cors = cors
        self.compress = compress
        self.cache_control = cache_control
        self.summary = summary
        self.description = description
        self.responses = responses
        self.response_description = response_description
        self.tags = tags or []
        self.include_in_schema = include_in_schema
        self.security = security
        self.middlewares = middlewares or []
        self.operation_id = operation_id or self._generate_operation_id()
        #: The :class:`~kernel.app.Router` the route was declared on, if not the app.
        self.router: Any = None
        #: Set by a plugin (validation) to turn the route's returned body into
        #: JSON-ready data before the app's serializer runs.
        self.body_encoder: Callable[[Any], Any] | None = None
        # The middleware chain, built on first use (see kernel.middleware).
        self._chain: Callable[..., Any] | None = None
        self._chain_version = -1
        self._rule: re.Pattern[str] | None = None

    @property
    def rule(self) -> re.Pattern[str]:
        """The rule as one anchored regex (built on demand; routing does not use it)."""
        if self._rule is None:
            self._rule = re.compile("^" + compile_segments(self.path)[1] + "$")
        return self._rule

    def _generate_operation_id(self) -> str:
        name = getattr(self.func, "__name__", "route")
        return re.sub(r"\W", "_", name + self.openapi_path) + "_" + self.method.lower()

    def __repr__(self) -> str:
        return f"<Route {self.method} {self.path} -> {getattr(self.func, '__qualname__', self.func)!r}>"


def compile_segments(rule: str) -> tuple[list[str | re.Pattern[str] | None], str]:
    """Split a rule into per-segment matchers and return its whole-path regex source.

    Each segment becomes a string (static), ``None`` (a whole-segment
    ``<param>``) or a compiled regex (a segment mixing text and parameters).
    """
    segments: list[str | re.Pattern[str] | None] = []
    sources = []
    for segment in rule.split("/"):
        if "<" not in segment:
            segments.append(segment)
            sources.append(re.escape(segment))
            continue
        pieces = _PARAM.split(segment)
        # split() alternates literal text and parameter names.
        source = "".join(re.escape(piece) if i % 2 == 0 else f"(?P<{piece}>{PARAM_CHARS})" for i, piece in enumerate(pieces))
        sources.append(source)
        segments.append(None if _PARAM.fullmatch(segment) else re.compile(source))
    return segments, "/".join(sources)


class _Node:
    __slots__ = ("param", "patterns", "routes", "static")

    def __init__(self) -> None:
        self.static: dict[str, _Node] = {}
        self.param: _Node | None = None
        self.patterns: list[tuple[re.Pattern[str], _Node]] = []
        # method -> (registration index, route, parameter names)
        self.routes: dict[str, tuple[int, Route, tuple[str, ...]]] = {}


_Match = tuple[tuple[int, Route, tuple[str, ...]], list[str]]


class RouteTable:
    """The compiled routes of an app.

    Static rules are found with two dict lookups. Dynamic rules live in a
    segment tree; where several rules match a path, the one registered first
    wins, as it would scanning them in order, and static rules always win over
    dynamic ones.
    """

    def __init__(self) -> None:
        self._static: dict[str, dict[str, Route]] = {}
        self._root = _Node()
        self._count = 0

    def add(self, route: Route, rule: str | None = None) -> bool:
        """Add a route (under ``rule``, by default its path); return False if taken."""
        rule = route.path if rule is None else rule
        self._count += 1
        if "<" not in rule:
            methods = self._static.setdefault(rule, {})
            if route.method in methods:
                return False
            methods[route.method] = route
            return True
        segments, _ = compile_segments(rule)
        # Paths start with "/": the tree starts below the empty first segment.
        if segments[:1] == [""]:
            segments = segments[1:]
        node = self._root
        for segment in segments:
            if isinstance(segment, str):
                node = node.static.setdefault(segment, _Node())
            elif segment is None:
                if node.param is None:
                    node.param = _Node()
                node = node.param
            else:
                for pattern, child in node.patterns:
                    if pattern.pattern == segment.pattern:
                        node = child
                        break
                else:
                    child = _Node()
                    node.patterns.append((segment, child))
                    node = child
        if route.method in node.routes:
            return False
        node.routes[route.method] = (self._count, route, tuple(_PARAM.findall(rule)))
        return True

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """Return the route for ``method`` and ``path`` and its path arguments."""
        methods = self._static.get(path)
        if methods is not None:
            route = methods.get(method)
            if route is not None:
                return route, {}
        found = _walk(self._root, path.split("/"), 1 if path[:1] == "/" else 0, method, [])
        if found is None:
            return None
        (_, route, names), values = found
        return route, dict(zip(names, values))  # noqa: B905 - same length by construction


def _walk(node: _Node, segments: list[str], i: int, method: str, values: list[str]) -> _Match | None:
    """Descend the tree along ``segments[i:]``, collecting parameter values.

    While only one child can take the next segment the walk is a plain loop;
    where several can, :func:`_branch` tries each and keeps the route
    registered first.
    """
    count = len(segments)
    while i < count:
        segment = segments[i]
        child = node.static.get(segment)
        param = node.param
        if node.patterns or (child is not None and param is not None):
            if param is None or child is None or segment.isalnum() or _param_segment(segment):
                return _branch(node, segments, i, method, values)
            param = None
        if child is not None:
            node = child
        elif param is not None and (segment.isalnum() or _param_segment(segment)):
            values.append(segment)
            node = param
        else:
            return None
        i += 1
    entry = node.routes.get(method)
    return None if entry is None else (entry, values)


def _branch(node: _Node, segments: list[str], i: int, method: str, values: list[str]) -> _Match | None:
    segment = segments[i]
    candidates: list[_Match | None] = []
    child = node.static.get(segment)
    if child is not None:
        candidates.append(_walk(child, segments, i + 1, method, list(values)))
    if node.param is not None and (segment.isalnum() or _param_segment(segment)):
        candidates.append(_walk(node.param, segments, i + 1, method, [*values, segment]))
    for pattern, child in node.patterns:
        matched = pattern.fullmatch(segment)
        if matched is not None:
            candidates.append(_walk(child, segments, i + 1, method, [*values, *matched.groups()]))
    best: _Match | None = None
    for found in candidates:
        if found is not None and (best is None or found[0][0] < best[0][0]):
            best = found
    return best
