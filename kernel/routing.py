"""Routes and the compiled table that finds them.

A rule such as ``/users/<user_id>/posts/<post_id>`` is split into path
segments once, when it is registered. Static rules go into a dict keyed by
path; dynamic rules into a tree keyed by segment, so finding a route walks the
request path rather than the list of routes, whatever their number.

Matching takes time linear in the length of the path for every rule: a
segment mixing text and parameters (``<name>.<ext>``, ``<a>-<b>-<c>``) is
matched by :class:`SegmentPattern`, which never backtracks, rather than by a
regular expression, which would take polynomial time on hostile paths.

A rule holding regular-expression syntax (``.+``, ``/files/(.*)``,
``/v[0-9]+/<name>``) is a *pattern rule*, matched as written, as Powertools
matches every rule: ``<name>`` becomes a named group and the whole rule must
match the path. Pattern rules are tried in registration order, and only when
an app has some, so ordinary rules keep their flat cost; the expression's
own cost (backtracking included) is the one its author wrote.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from typing import Any

from kernel.middleware import is_async

# Characters a <param> matches within one path segment: word characters, the
# RFC 3986 unreserved and sub-delimiter characters, percent-escapes and the
# few unsafe characters API Gateway passes through unencoded.
_PARAM_CLASS = r"\w\-._~()'!*:@,;=+&$%<> \[\]{}|^"
PARAM_CHARS = f"[{_PARAM_CLASS}]+"
_param_segment = re.compile(PARAM_CHARS).fullmatch
# The characters a parameter never matches; a segment holding one can only
# match where a rule's literal text covers it.
_other_chars = re.compile(f"[^{_PARAM_CLASS}]")
_PARAM = re.compile(r"<(\w+)>")
# Regular-expression syntax that makes a rule a pattern rule. A dot does not
# ("/v1.0/items" is the path it reads as), nor do ^ and $, which paths hold
# ("/$default/items") and which mean nothing inside a whole-path pattern.
_REGEX_SYNTAX = re.compile(r"[\\*+?{}\[\]()|]")

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
        openapi_extensions: dict[str, Any] | None = None,
        status_code: int = 200,
        custom_response_validation_http_code: int | None = None,
        deprecated: bool = False,
        enable_validation: bool | None = None,
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
        #: ``x-`` keys added to the route's OpenAPI operation.
        self.openapi_extensions = openapi_extensions
        #: Marks the route's OpenAPI operation deprecated.
        self.deprecated = deprecated
        self.middlewares = middlewares or []
        #: The status of a plain body the function returns (a tuple or a Response says its own).
        self.status_code = int(status_code)
        #: The status of a returned value that fails response validation, when the route sets one.
        self.custom_response_validation_http_code = custom_response_validation_http_code
        #: Validation for this route alone: True or False, or None to follow the app.
        self.enable_validation = enable_validation
        # The OpenAPI operation id: the one given, or made from the function, path and method when first read.
        self._operation_id = operation_id or None
        #: The :class:`~kernel.app.Router` the route was declared on, if not the app.
        self.router: Any = None
        #: Whether the route answers requests whatever their path (the not-found
        #: route, CORS preflights): its requests' ``Request.route`` is their path.
        self.catch_all = False
        #: Set by a plugin (validation) to turn the route's returned body into
        #: JSON-ready data before the app's serializer runs.
        self.body_encoder: Callable[[Any], Any] | None = None
        # The middleware chain, built on first use (see kernel.middleware).
        self._chain: Callable[..., Any] | None = None
        self._chain_version = -1
        self._chain_is_async = False
        # Sync and without middlewares of its own: called directly when the app has none either.
        self._direct = not self.middlewares and not is_async(func)
        self._rule: re.Pattern[str] | None = None
        # What the kernel injects into the function (kernel.injection): None
        # until its first request, then a CallPlan, or False for nothing.
        self._injection: Any = None

    @property
    def rule(self) -> re.Pattern[str]:
        """The rule as one anchored regex (built on demand; routing uses it only for pattern rules)."""
        if self._rule is None:
            self._rule = (
                compile_pattern(self.path)
                if is_pattern_rule(self.path)
                else re.compile("^" + compile_segments(self.path)[1] + "$")
            )
        return self._rule

    @property
    def operation_id(self) -> str:
        """The route's OpenAPI operation id: the one given, by default ``<function>_<path>_<method>``."""
        if self._operation_id is None:
            self._operation_id = self._generate_operation_id()
        return self._operation_id

    @operation_id.setter
    def operation_id(self, value: str) -> None:
        self._operation_id = value

    def _generate_operation_id(self) -> str:
        name = getattr(self.func, "__name__", "route")
        return re.sub(r"\W", "_", name + self.openapi_path) + "_" + self.method.lower()

    def __repr__(self) -> str:
        return f"<Route {self.method} {self.path} -> {getattr(self.func, '__qualname__', self.func)!r}>"


def is_pattern_rule(rule: str) -> bool:
    """Whether ``rule`` holds regular-expression syntax outside its ``<param>`` parts (see the module docstring)."""
    return _REGEX_SYNTAX.search(_PARAM.sub("", rule)) is not None


def compile_pattern(rule: str) -> re.Pattern[str]:
    """A pattern rule as the anchored regex it is matched with, ``<name>`` a named group of one segment's characters.

    Raises ValueError when the rule is not a valid regular expression.
    """
    try:
        return re.compile("^" + _PARAM.sub(lambda found: f"(?P<{found[1]}>{PARAM_CHARS})", rule) + "$")
    except re.error as exc:
        raise ValueError(f"Route rule {rule!r} is not a valid regular expression: {exc}") from None


def check_rule(rule: str) -> None:
    """Raise ValueError unless ``rule`` is one the router can match.

    A path rule starts with ``/``: request paths always do, so a rule such
    as ``"items"`` would be a route no request ever reaches. The empty rule is
    the root, ``/``. A pattern rule (``".+"``) may start with anything, but
    must compile.
    """
    if not isinstance(rule, str):
        raise TypeError(f"A route rule is a string, not {type(rule).__name__}")
    if is_pattern_rule(rule):
        compile_pattern(rule)
    elif rule[:1] != "/" and rule.strip() != "":
        raise ValueError(
            f"Route rule {rule!r} must start with '/' (a path such as '/items/<item_id>', or a regular expression such as '.+')"
        )


class SegmentPattern:
    """A path segment that mixes literal text and parameters, such as ``<name>.<ext>``.

    Each parameter matches one or more characters a parameter may hold (see
    ``PARAM_CHARS``); the literal text around and between them must appear as
    written. Where a literal could be found at several places, the split is
    the one a greedy regular expression would make: the first parameter takes
    as much as it can, then the second, and so on (``<a>-<b>`` on ``x-y-z``
    gives ``a="x-y"``, ``b="z"``).

    :meth:`match` finds that split in time linear in the segment's length
    (times the length of the rule's literals), whatever the input, by placing
    each literal at its latest possible position from right to left with
    ``str.rfind``; a regular expression would backtrack, in time polynomial in
    the length with one degree per parameter.
    """

    __slots__ = ("_bad_chars", "_end", "_first", "_last", "_middle", "_minimum", "_start", "key", "names")

    def __init__(self, segment: str) -> None:
        pieces = _PARAM.split(segment)
        # split() alternates literal text (even indexes) and parameter names (odd).
        literals = pieces[0::2]
        #: The parameters' names, in order.
        self.names: tuple[str, ...] = tuple(pieces[1::2])
        if not self.names:
            raise ValueError(f"{segment!r} has no <parameter>")
        #: The literal text of the segment, parameters left out: equal keys match the same segments.
        self.key: tuple[str, ...] = tuple(literals)
        self._first = literals[0]
        self._last = literals[-1]
        self._start = len(self._first)
        self._end = len(self._last)
        self._middle = literals[1:-1]
        # For each literal between two parameters, the offset of its first
        # and last characters a parameter cannot hold (-1 when it has none), and how many it holds.
        self._bad_chars = [_bad_chars(literal) for literal in self._middle]
        # Every parameter takes at least one character.
        self._minimum = sum(map(len, literals)) + len(self.names)

    def match(self, segment: str) -> list[str] | None:
        """The parameters' values in order, or None when ``segment`` does not match."""
        if len(segment) < self._minimum or not segment.startswith(self._first) or not segment.endswith(self._last):
            return None
        start = self._start
        end = len(segment) - self._end
        middle = self._middle
        if not _param_segment(segment, start, end):
            return self._match_around(segment, start, end) if middle else None
        # The usual case: every character could be a parameter's, so a
        # literal's latest place is only bounded by the next one's.
        if not middle:
            return [segment[start:end]]
        if len(middle) == 1:  # two parameters, the common case, without the loops
            literal = middle[0]
            found = segment.rfind(literal, start + 1, end - 1)
            return None if found < 0 else [segment[start:found], segment[found + len(literal) : end]]
        limit = end
        ends = []
        for literal in reversed(middle):
            found = segment.rfind(literal, start + 1, limit - 1)
            if found < 0:
                return None
            ends.append(found)
            limit = found
        values = []
        position = start
        for literal in middle:
            found = ends.pop()
            values.append(segment[position:found])
            position = found + len(literal)
        values.append(segment[position:end])
        return values

    def _match_around(self, segment: str, start: int, end: int) -> list[str] | None:
        """:meth:`match` for a segment holding characters no parameter can: literals must cover them."""
        middle = self._middle
        # The positions a parameter cannot take ("bad") split [start, end)
        # into runs of characters parameters can hold: run i ends before
        # bad[i] and starts after bad[i - 1]. A parameter lies inside one run.
        bad = [found.start() for found in _other_chars.finditer(segment, start, end)]
        # latest[i]: the last position of run i from which the rest of the
        # segment matches the parameters and literals still to place; runs
        # from which it cannot are left out. From the right: the last
        # parameter starts anywhere in the last run, if that run reaches the end.
        last_run_start = bad[-1] + 1 if bad else start
        latest = {len(bad): end - 1} if last_run_start < end else {}
        placed: list[dict[int, int]] = []
        for literal, (first_bad, last_bad, count) in zip(reversed(middle), reversed(self._bad_chars)):  # noqa: B905 - same length
            before: dict[int, int] = {}
            for run, limit in latest.items():
                if first_bad < 0:
                    # A literal parameters could hold sits inside the run, ends
                    # before its latest start there, and leaves at least one
                    # character of the run to the parameter before it.
                    run_start = bad[run - 1] + 1 if run else start
                    found = segment.rfind(literal, run_start + 1, limit)
                    if found >= 0:
                        before[run] = found - 1
                    continue
                # A literal holding bad characters covers bad positions: its
                # last one is the one right before this run, so it has one
                # possible place, starting in the run `count` runs back.
                first_run = run - count
                if first_run < 0:
                    continue
                found = bad[run - 1] - last_bad
                run_start = bad[first_run - 1] + 1 if first_run else start
                if (
                    found > run_start
                    and found + len(literal) <= limit
                    and bad[first_run] == found + first_bad
                    and segment.startswith(literal, found)
                ):
                    before[first_run] = found - 1
            if not before:
                return None
            latest = before
            placed.append(before)
        if 0 not in latest:
            return None
        # Forward: each literal goes right after the longest value the
        # parameter before it can take while the rest still matches.
        values = []
        position = start
        for literal, starts in zip(middle, reversed(placed)):  # noqa: B905 - same length
            limit = starts[bisect_left(bad, position)]
            values.append(segment[position : limit + 1])
            position = limit + 1 + len(literal)
        values.append(segment[position:end])
        return values

    def __repr__(self) -> str:
        return f"<SegmentPattern {self.key!r}>"


def _bad_chars(text: str) -> tuple[int, int, int]:
    """The offsets of the first and last characters of ``text`` no parameter can hold (-1 if none), and their number."""
    offsets = [found.start() for found in _other_chars.finditer(text)]
    return (offsets[0], offsets[-1], len(offsets)) if offsets else (-1, -1, 0)


def compile_segments(rule: str) -> tuple[list[str | SegmentPattern | None], str]:
    """Split a rule into per-segment matchers and return its whole-path regex source.

    Each segment becomes a string (static), ``None`` (a whole-segment
    ``<param>``) or a :class:`SegmentPattern` (a segment mixing text and
    parameters). The regex source is for :attr:`Route.rule` only: routing
    does not use it.
    """
    segments: list[str | SegmentPattern | None] = []
    sources = []
    for segment in rule.split("/"):
        if "<" not in segment or not _PARAM.search(segment):
            segments.append(segment)
            sources.append(re.escape(segment))
            continue
        pieces = _PARAM.split(segment)
        # split() alternates literal text and parameter names.
        source = "".join(re.escape(piece) if i % 2 == 0 else f"(?P<{piece}>{PARAM_CHARS})" for i, piece in enumerate(pieces))
        sources.append(source)
        segments.append(None if _PARAM.fullmatch(segment) else SegmentPattern(segment))
    return segments, "/".join(sources)


class _Node:
    __slots__ = ("mixed", "next_param", "param", "patterns", "routes", "static")

    def __init__(self) -> None:
        self.static: dict[str, _Node] = {}
        self.param: _Node | None = None
        self.patterns: list[tuple[SegmentPattern, _Node]] = []
        # method -> (registration index, route, arguments plan, mixed arguments plan or None): see _Plan.
        self.routes: dict[str, _Entry] = {}
        # Whether more than one child may take a segment (pattern children, or
        # static and parameter ones): the walk then tries each (_branch).
        self.mixed = False
        # What RouteTable.match's loop follows: the parameter child (then the
        # node has no other), _BRANCH at a mixed node, which sends the loop to
        # the walk that branches, or None: the static children, if any.
        self.next_param: _Node | None = None

    def settle(self) -> None:
        """Note whether the walk branches here, after a child was added."""
        self.mixed = bool(self.patterns) or (bool(self.static) and self.param is not None)
        self.next_param = _BRANCH if self.mixed else self.param


# Where several children may take a segment (see _Node.next_param).
_BRANCH = _Node()


# A dynamic rule's arguments are read from the request path's segments once
# the walk has found its route (RouteTable.add makes the plans): its plan
# lists (name, index in the path split on "/") for each whole-segment
# parameter, in the rule's order. A rule with mixed segments has instead a
# mixed plan: (index, name) and (index, SegmentPattern) pairs, the pattern
# matched again to split the segment.
_Plan = tuple[tuple[str, int], ...]
_MixedPlan = tuple[tuple[int, "str | SegmentPattern"], ...]
_Entry = tuple[int, Route, _Plan, "_MixedPlan | None"]


def _arguments(entry: _Entry, segments: list[str]) -> dict[str, str]:
    """The path arguments of a route the walk found, read from the path's ``segments``."""
    mixed = entry[3]
    arguments = {}
    if mixed is None:
        for name, index in entry[2]:
            arguments[name] = segments[index]
        return arguments
    for index, item in mixed:
        if isinstance(item, str):
            arguments[item] = segments[index]
        else:
            # The walk matched this segment with a pattern of the same literals: it matches.
            arguments.update(zip(item.names, item.match(segments[index]) or ()))  # noqa: B905 - same length
    return arguments


def _split(path: str) -> list[str]:
    """``path`` split on ``/``, index 0 the empty text before its first ``/`` (added for a path without one)."""
    segments = path.split("/")
    if segments[0] or not path:
        segments.insert(0, "")
    return segments


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
        self._entry = _Node()
        self._entry.static[""] = self._root
        self._count = 0
        # Pattern rules by method: (registration index, route, regex), in
        # registration order; and the registration index of each static rule,
        # to order the two as Powertools does when there are pattern rules.
        self._patterns: dict[str, list[tuple[int, Route, re.Pattern[str]]]] = {}
        self._pattern_rules: set[tuple[str, str]] = set()
        self._static_index: dict[tuple[str, str], int] = {}

    def add(self, route: Route, rule: str | None = None) -> bool:
        """Add a route (under ``rule``, by default its path); return False if taken.

        Raises ValueError for a rule that does not start with ``/`` and is no
        regular expression, or is an invalid one (see :func:`check_rule`).
        """
        rule = route.path if rule is None else rule
        check_rule(rule)
        self._count += 1
        if is_pattern_rule(rule):
            if (route.method, rule) in self._pattern_rules:
                return False
            self._pattern_rules.add((route.method, rule))
            self._patterns.setdefault(route.method, []).append((self._count, route, compile_pattern(rule)))
            return True
        if "<" not in rule:
            methods = self._static.setdefault(rule, {})
            if route.method in methods:
                return False
            methods[route.method] = route
            self._static_index[route.method, rule] = self._count
            return True
        from sys import intern

        plan: list[tuple[str, int]] = []
        mixed: list[tuple[int, str | SegmentPattern]] = []
        node = self._root
        # The rule is split as a path is: its part i is the path's segment i.
        # Rules start with "/": the tree starts below the empty part before it.
        parts = rule.split("/")
        for index in range(1, len(parts)):
            part = parts[index]
            if "<" not in part or not _PARAM.search(part):
                child = node.static.get(part)
                if child is None:
                    child = node.static[part] = _Node()
                    node.settle()
            elif _PARAM.fullmatch(part):
                # Interned, as the function's parameter names are: the keyword call then matches them faster.
                name = intern(part[1:-1])
                plan.append((name, index))
                mixed.append((index, name))
                child = node.param
                if child is None:
                    child = node.param = _Node()
                    node.settle()
            else:
                segment = SegmentPattern(part)
                mixed.append((index, segment))
                for pattern, existing in node.patterns:
                    if pattern.key == segment.key:
                        child = existing
                        break
                else:
                    child = _Node()
                    node.patterns.append((segment, child))
                    node.settle()
            node = child
        if route.method in node.routes:
            return False
        node.routes[route.method] = (self._count, route, tuple(plan), tuple(mixed) if len(mixed) > len(plan) else None)
        return True

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """Return the route for ``method`` and ``path`` and its path arguments."""
        if self._patterns:
            return self._match_with_patterns(method, path)
        methods = self._static.get(path)
        if methods is not None:
            route = methods.get(method)
            if route is not None:
                return route, {}
        segments = path.split("/")
        if segments[0] or not path:
            segments.insert(0, "")
        # _walk() written out, for every dynamic request: from the entry node,
        # whose one child is the root under the empty segment before the first "/".
        node = self._entry
        for segment in segments:
            child = node.next_param
            if child is None:
                # Static children only, if any.
                child = node.static.get(segment)
                if child is None:
                    return None
            elif child is _BRANCH:
                # Several children may take the segment: the walk that branches, from the start.
                entry = _walk(self._root, segments, 1, method)
                break
            elif not (segment.isalnum() or _param_segment(segment)):
                # The parameter child alone (a node with static children too branches).
                return None
            node = child
        else:
            entry = node.routes.get(method)
        if entry is None:
            return None
        if entry[3] is None:
            # An indexed loop: twice as fast as a comprehension or dict(zip()) for the one to three parameters of a rule.
            arguments = {}
            for name, index in entry[2]:
                arguments[name] = segments[index]
            return entry[1], arguments
        return entry[1], _arguments(entry, segments)

    def allowed_methods(self, path: str) -> list[str]:
        """The methods some route serves ``path`` with, sorted; empty when no rule matches it.

        For the ``405 Method Not Allowed`` answer: asked only after :meth:`match`
        found nothing, so a request that matches never pays for it. It visits
        each tree node at most once (a node sits at one depth), so its cost
        is bounded by the table's size and the path's length, like :meth:`match`.
        """
        methods = set(self._static.get(path, ()))
        _collect_methods(self._root, _split(path), 1, methods)
        for method, entries in self._patterns.items():
            if any(regex.match(path) for _, _, regex in entries):
                methods.add(method)
        return sorted(methods)

    def _match_with_patterns(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        # Powertools' order: rules without groups (static paths, patterns such
        # as ".+") before rules with groups, each kind in registration order.
        patterns = self._patterns.get(method, ())
        best: tuple[int, Route, dict[str, str]] | None = None
        methods = self._static.get(path)
        route = None if methods is None else methods.get(method)
        if route is not None:
            best = (self._static_index[method, path], route, {})
        for index, candidate, regex in patterns:
            if best is not None and index > best[0]:
                break
            if not regex.groups and regex.match(path):
                best = (index, candidate, {})
                break
        if best is None:
            segments = _split(path)
            entry = _walk(self._root, segments, 1, method)
            if entry is not None:
                best = (entry[0], entry[1], _arguments(entry, segments))
            for index, candidate, regex in patterns:
                if best is not None and index > best[0]:
                    break
                if regex.groups:
                    matched = regex.match(path)
                    if matched:
                        best = (index, candidate, matched.groupdict())
                        break
        return None if best is None else (best[1], best[2])


def _walk(node: _Node, segments: list[str], start: int, method: str) -> _Entry | None:
    """The route entry for ``method`` below ``node`` along ``segments[start:]``, or None.

    While only one child can take the next segment the walk is a plain loop;
    where several can, :func:`_branch` tries each and keeps the route
    registered first.
    """
    for i in range(start, len(segments)):
        if node.mixed:
            return _branch(node, segments, i, method)
        segment = segments[i]
        child = node.static.get(segment)
        if child is None:
            child = node.param
            if child is None or not (segment.isalnum() or _param_segment(segment)):
                return None
        node = child
    return node.routes.get(method)


def _branch(node: _Node, segments: list[str], i: int, method: str) -> _Entry | None:
    """:func:`_walk` from a node where several children may take ``segments[i]``: the route registered first."""
    segment = segments[i]
    best: _Entry | None = None
    child = node.static.get(segment)
    if child is not None:
        best = _walk(child, segments, i + 1, method)
    if node.param is not None and (segment.isalnum() or _param_segment(segment)):
        best = _earlier(best, _walk(node.param, segments, i + 1, method))
    for pattern, child in node.patterns:
        if pattern.match(segment) is not None:
            best = _earlier(best, _walk(child, segments, i + 1, method))
    return best


def _earlier(best: _Entry | None, found: _Entry | None) -> _Entry | None:
    """Of two entries (or None), the one registered first."""
    if found is None:
        return best
    return found if best is None or found[0] < best[0] else best


def _collect_methods(node: _Node, segments: list[str], i: int, methods: set[str]) -> None:
    """Add to ``methods`` those of every route whose rule matches ``segments[i:]`` below ``node``."""
    if i == len(segments):
        methods.update(node.routes)
        return
    segment = segments[i]
    child = node.static.get(segment)
    if child is not None:
        _collect_methods(child, segments, i + 1, methods)
    if node.param is not None and (segment.isalnum() or _param_segment(segment)):
        _collect_methods(node.param, segments, i + 1, methods)
    for pattern, child in node.patterns:
        if pattern.match(segment) is not None:
            _collect_methods(child, segments, i + 1, methods)
