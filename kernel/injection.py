"""What the kernel passes to route functions and middlewares besides path parameters.

A parameter annotated :class:`Request` receives the resolved request (matched
rule, path parameters, method, headers, the event, the request context). A
parameter annotated ``Annotated[T, Depends(function)]`` receives what
``function`` returns; ``function`` may itself take a :class:`Request` and
other dependencies, forming a tree that is solved before the route (or the
middleware) runs. Within one request each dependency runs once, whatever the
number of parameters asking for it, unless ``use_cache=False``.
``app.dependency_overrides`` replaces a dependency by another (in tests).

Nothing here is paid by a function that asks for neither: the kernel reads a
route's signature once, on its first request (:func:`call_plan`), and a route
without injected parameters is then called exactly as before.

The ``validation`` plugin adds a third source of arguments: the path, query,
header, cookie and body parameters a dependency declares are validated with
the route's and left in the request context under :data:`DEPENDENCY_ARGUMENTS`,
by dependency function, for the solver to pass on.
"""

from __future__ import annotations

import contextlib
import re
import typing
from collections.abc import Awaitable, Callable
from types import UnionType
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args, get_origin
from weakref import WeakKeyDictionary

from kernel.exceptions import DependencyResolutionError

if TYPE_CHECKING:
    from inspect import Signature

    from kernel.app import BaseApp
    from kernel.request import BaseRequest
    from kernel.routing import Route

#: The request-context key under which a plugin leaves validated arguments of
#: dependencies: ``{dependency function: {parameter name: value}}``.
DEPENDENCY_ARGUMENTS = "_dependency_arguments"
#: The request-context key of the per-request cache of dependency results.
DEPENDENCY_CACHE = "_dependency_cache"
_REQUEST = "_request"
_PATH_NAMES = re.compile(r"<(\w+)>")


class Depends:
    """Declare that a parameter receives what ``dependency`` returns.

    Used in ``Annotated``: ``user: Annotated[User, Depends(current_user)]``.

    :param dependency: a callable; its own parameters may be dependencies,
        a :class:`Request`, or (with validation on) request parameters.
    :param use_cache: reuse the dependency's result within one request
        (default); ``False`` calls it again for this parameter.
    """

    __slots__ = ("dependency", "use_cache")

    def __init__(self, dependency: Callable[..., Any], *, use_cache: bool = True) -> None:
        if not callable(dependency):
            raise DependencyResolutionError(f"Depends() requires a callable, got {type(dependency).__name__}: {dependency!r}")
        self.dependency = dependency
        self.use_cache = use_cache

    def __repr__(self) -> str:
        name = getattr(self.dependency, "__qualname__", repr(self.dependency))
        return f"Depends({name}{'' if self.use_cache else ', use_cache=False'})"


class Request:
    """The request being resolved, as routes, middlewares and dependencies see it.

    A route or dependency receives it through a parameter annotated
    ``Request``; a middleware through ``app.request`` (or such a parameter).
    """

    __slots__ = ("_context", "_current_event", "_path_parameters", "_route", "_route_path")

    def __init__(self, route: Route, current_event: BaseRequest, context: dict[str, Any]) -> None:
        self._route = route
        self._current_event = current_event
        self._context = context
        # Taken now: the context is emptied when the request ends.
        arguments = context.get("_route_args") or {}
        self._path_parameters = {name: arguments[name] for name in _PATH_NAMES.findall(route.path) if name in arguments}
        self._route_path = _own_path(current_event, context) if route.catch_all else route.openapi_path

    @property
    def route(self) -> str:
        """The matched rule in OpenAPI form: ``/todos/{todo_id}`` for ``/todos/<todo_id>``.

        A request no rule matched (answered by the not-found handler, or a
        CORS preflight) has its own path here, as Powertools gives it.
        """
        return self._route_path

    @property
    def path_parameters(self) -> dict[str, Any]:
        """The values of the rule's parameters (converted, when validation is on)."""
        return self._path_parameters

    @property
    def method(self) -> str:
        """The HTTP method, upper-case."""
        return self._current_event.http_method.upper()

    @property
    def headers(self) -> dict[str, str]:
        """The request headers, one value each."""
        return self._current_event.headers or {}

    @property
    def query_parameters(self) -> dict[str, str] | None:
        """The query string parameters, one value each, or None without any."""
        return self._current_event.query_string_parameters

    @property
    def body(self) -> str | None:
        """The body as sent (possibly base64-encoded), or None."""
        return self._current_event.body

    @property
    def json_body(self) -> Any:
        """The body parsed as JSON, or None without a body."""
        return self._current_event.json_body

    @property
    def resolved_event(self) -> BaseRequest:
        """The request object of the event source (``app.current_event``), with all its accessors."""
        return self._current_event

    @property
    def context(self) -> dict[str, Any]:
        """The request context (``app.context``): what middlewares and ``append_context`` put there."""
        return self._context

    def __repr__(self) -> str:
        return f"<Request {self.method} {self.route}>"


def _own_path(current_event: BaseRequest, context: dict[str, Any]) -> str:
    """The path a request no rule matched was routed by, with the trailing slash it was sent with."""
    path: str = context.get("_path", "")
    if path != "/" and not path.endswith("/") and current_event.path.endswith("/"):
        path += "/"
    return path


def current_request(app: BaseApp) -> Request:
    """The :class:`Request` of the event ``app`` is resolving (made once per request)."""
    context = app.context
    request: Request | None = context.get(_REQUEST)
    if request is not None:
        return request
    route = context.get("_route")
    if route is None:
        raise RuntimeError("app.request is only available while a request is resolved: in a middleware, route or dependency")
    request = context[_REQUEST] = Request(route, app.current_event, context)
    return request


class Dependency:
    """One ``Depends()`` parameter of a function, and the plan of the function it names."""

    __slots__ = ("depends", "name", "plan")

    def __init__(self, name: str, depends: Depends, plan: CallPlan) -> None:
        #: The parameter's name.
        self.name = name
        #: The marker, with the dependency function and ``use_cache``.
        self.depends = depends
        #: How to call the dependency function.
        self.plan = plan


class CallPlan:
    """What the kernel injects into one function's parameters."""

    __slots__ = ("accepts", "dependencies", "func", "hints", "is_async", "request_params", "signature")

    def __init__(
        self,
        func: Callable[..., Any],
        request_params: tuple[str, ...],
        dependencies: tuple[Dependency, ...],
        accepts: frozenset[str] | None,
        is_async: bool,
        signature: Signature | None = None,
        hints: dict[str, Any] | None = None,
    ) -> None:
        #: The function.
        self.func = func
        #: Its parameters annotated :class:`Request`.
        self.request_params = request_params
        #: Its ``Depends()`` parameters, in signature order.
        self.dependencies = dependencies
        #: The keyword arguments it takes (None when it takes ``**kwargs``).
        self.accepts = accepts
        #: Whether it is a coroutine function (its result is awaited).
        self.is_async = is_async
        #: Its ``inspect.Signature`` and resolved type hints, for plugins reading
        #: the same function (validation) not to work them out again; None when
        #: they could not be read (or, for hints, were not needed).
        self.signature = signature
        self.hints = hints

    @property
    def injects(self) -> bool:
        """Whether anything is injected at all."""
        return bool(self.request_params or self.dependencies)


# Plans by function; weak, so a discarded app's functions are freed.
_plans: WeakKeyDictionary[Any, CallPlan] = WeakKeyDictionary()


def call_plan(func: Callable[..., Any]) -> CallPlan:
    """The injection plan of ``func``, read from its signature once and kept.

    Raises :class:`DependencyResolutionError` for a dependency that depends on itself.
    """
    try:
        plan = _plans.get(func)
    except TypeError:  # not weakly referenceable (a bound method's __func__ is)
        plan = None
    if plan is None:
        plan = _analyse(func, ())
        with contextlib.suppress(TypeError):
            _plans[func] = plan
    return plan


def _hints(func: Callable[..., Any]) -> tuple[dict[str, Any], bool]:
    """``func``'s type hints, and whether they all resolved."""
    import inspect

    target: Any = func
    if not (inspect.isfunction(func) or inspect.ismethod(func)):
        # A class runs __init__; an object with __call__ runs that; a partial its function.
        target = getattr(func, "__init__") if isinstance(func, type) else getattr(func, "func", type(func).__call__)  # noqa: B009
    try:
        return typing.get_type_hints(target, include_extras=True), True
    except Exception:
        # Hints that cannot be resolved (a name defined inside a function)
        # cannot name Depends or Request either: only the evaluated ones count.
        annotations = getattr(target, "__annotations__", {})
        return {name: value for name, value in annotations.items() if not isinstance(value, str)}, False


def _analyse(func: Callable[..., Any], seen: tuple[Any, ...]) -> CallPlan:
    # Imported on a route's first request: `inspect` costs milliseconds of every cold start.
    import inspect

    if func in seen:
        chain = " -> ".join(getattr(item, "__qualname__", repr(item)) for item in (*seen, func))
        raise DependencyResolutionError(f"Circular dependency: {chain}")
    annotations = getattr(func, "__annotations__", None)
    signature = None
    try:
        signature = inspect.signature(func)
        parameters = signature.parameters
    except (TypeError, ValueError):
        parameters = {}  # type: ignore[assignment]
    accepts = (
        None
        if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
        else frozenset(name for name, p in parameters.items() if p.kind is not inspect.Parameter.VAR_POSITIONAL)
    )
    is_async = inspect.iscoroutinefunction(func) or inspect.iscoroutinefunction(type(func).__call__)
    request_params: list[str] = []
    dependencies: list[Dependency] = []
    resolved = None
    if annotations or not inspect.isfunction(func):
        hints, complete = _hints(func)
        resolved = hints if complete else None
        for name in parameters:
            annotation = hints.get(name)
            if annotation is None:
                continue
            annotation = unwrap_optional(annotation)
            if annotation is Request:
                request_params.append(name)
                continue
            depends = depends_of(annotation)
            if depends is not None:
                dependencies.append(Dependency(name, depends, _analyse(depends.dependency, (*seen, func))))
    return CallPlan(func, tuple(request_params), tuple(dependencies), accepts, is_async, signature, resolved)


def unwrap_optional(annotation: Any) -> Any:
    """``X`` for ``Optional[X]`` (Python 3.10 adds Optional to hints of ``= None`` parameters)."""
    if get_origin(annotation) in (Union, UnionType):
        members = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(members) == 1:
            return members[0]
    return annotation


def depends_of(annotation: Any) -> Depends | None:
    """The ``Depends`` marker of ``Annotated[T, Depends(...)]``, or None."""
    annotation = unwrap_optional(annotation)
    if get_origin(annotation) is Annotated:
        for item in get_args(annotation)[1:]:
            if isinstance(item, Depends):
                return item
    return None


def is_injected(annotation: Any) -> bool:
    """Whether a parameter so annotated is the kernel's to fill (a Request or a dependency)."""
    return unwrap_optional(annotation) is Request or depends_of(annotation) is not None


# -- solving ---------------------------------------------------------------------


def route_arguments(app: BaseApp, route: Route, arguments: dict[str, Any]) -> dict[str, Any]:
    """The route function's keyword arguments: ``arguments`` plus what it asks to be injected.

    The kernel calls this only while ``route._injection`` is not ``False``:
    on the route's first request it finds out whether the function asks for
    anything, and if not, marks the route so that later requests skip it.
    """
    plan = route._injection
    if plan is None:
        plan = call_plan(route.func)
        if not plan.injects:
            route._injection = False
            return arguments
        route._injection = plan
    return inject(app, plan, arguments)


def inject(app: BaseApp, plan: CallPlan, arguments: dict[str, Any]) -> dict[str, Any]:
    """``arguments`` plus the Request and the solved dependencies ``plan`` asks for."""
    values = _with_request(app, plan, arguments)
    if plan.dependencies:
        values.update(_solve(app, plan.dependencies, app.context.setdefault(DEPENDENCY_CACHE, {})))
    return values


def _with_request(app: BaseApp, plan: CallPlan, arguments: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``arguments`` with the request given to each parameter ``plan`` declares as a Request."""
    values = dict(arguments)
    if plan.request_params:
        request = current_request(app)
        for name in plan.request_params:
            values[name] = request
    return values


def _prepare(app: BaseApp, dependency: Dependency, cache: dict[Any, Any]) -> tuple[Callable[..., Any], CallPlan, bool]:
    original = dependency.depends.dependency
    overrides = app.dependency_overrides
    use = overrides.get(original, original) if overrides else original
    plan = dependency.plan if use is original else call_plan(use)
    cached = dependency.depends.use_cache and use in cache
    return use, plan, cached


def _keywords(app: BaseApp, original: Callable[..., Any], plan: CallPlan, solved: dict[str, Any]) -> dict[str, Any]:
    provided = app.context.get(DEPENDENCY_ARGUMENTS)
    if provided:
        given = provided.get(original)
        if given:
            accepts = plan.accepts
            # An override may take fewer parameters than what it replaces.
            solved = {**{k: v for k, v in given.items() if accepts is None or k in accepts}, **solved}
    if plan.request_params:
        request = current_request(app)
        for name in plan.request_params:
            solved[name] = request
    return solved


def _failed(use: Callable[..., Any], dependency: Dependency, exc: Exception) -> DependencyResolutionError:
    name = getattr(use, "__name__", repr(use))
    return DependencyResolutionError(f"Failed to resolve dependency '{name}' for parameter '{dependency.name}': {exc}")


def _solve(app: BaseApp, dependencies: tuple[Dependency, ...], cache: dict[Any, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for dependency in dependencies:
        use, plan, cached = _prepare(app, dependency, cache)
        if cached:
            values[dependency.name] = cache[use]
            continue
        if plan.is_async:
            raise DependencyResolutionError(
                f"Dependency '{getattr(use, '__name__', use)}' is a coroutine function: it needs an asynchronous app"
            )
        keywords = _keywords(app, dependency.depends.dependency, plan, _solve(app, plan.dependencies, cache))
        try:
            result = use(**keywords)
        except Exception as exc:
            raise _failed(use, dependency, exc) from exc
        if dependency.depends.use_cache:
            cache[use] = result
        values[dependency.name] = result
    return values


async def inject_async(app: BaseApp, plan: CallPlan, arguments: dict[str, Any]) -> dict[str, Any]:
    """:func:`inject` for an asynchronous request: coroutine dependencies are awaited."""
    values = _with_request(app, plan, arguments)
    if plan.dependencies:
        values.update(await _solve_async(app, plan.dependencies, app.context.setdefault(DEPENDENCY_CACHE, {})))
    return values


async def _solve_async(app: BaseApp, dependencies: tuple[Dependency, ...], cache: dict[Any, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for dependency in dependencies:
        use, plan, cached = _prepare(app, dependency, cache)
        if cached:
            values[dependency.name] = cache[use]
            continue
        keywords = _keywords(app, dependency.depends.dependency, plan, await _solve_async(app, plan.dependencies, cache))
        try:
            result = use(**keywords)
            if plan.is_async:
                result = await typing.cast("Awaitable[Any]", result)
        except Exception as exc:
            raise _failed(use, dependency, exc) from exc
        if dependency.depends.use_cache:
            cache[use] = result
        values[dependency.name] = result
    return values


def awaits_dependencies(plan: CallPlan) -> bool:
    """Whether solving ``plan``'s dependencies awaits a coroutine function (then the route's chain is async)."""
    return any(dependency.plan.is_async or awaits_dependencies(dependency.plan) for dependency in plan.dependencies)


def middleware_plan(middleware: Callable[..., Any]) -> CallPlan | None:
    """The injection plan of a function middleware taking more than ``(app, next_middleware)``, else None.

    Class-based middlewares (:class:`~kernel.middleware.BaseMiddlewareHandler`)
    receive nothing more: they read ``app.request``.
    """
    code = getattr(middleware, "__code__", None)
    if code is None or code.co_argcount + code.co_kwonlyargcount <= 2:
        return None
    plan = call_plan(middleware)
    return plan if plan.injects else None


__all__ = [
    "DEPENDENCY_ARGUMENTS",
    "DEPENDENCY_CACHE",
    "CallPlan",
    "Dependency",
    "DependencyResolutionError",
    "Depends",
    "Request",
    "awaits_dependencies",
    "call_plan",
    "current_request",
    "depends_of",
    "inject",
    "inject_async",
    "is_injected",
    "middleware_plan",
    "route_arguments",
    "unwrap_optional",
]
