"""The per-request path, prepared once from the hook implementations an app holds.

Calling a pluggy hook costs about a microsecond even with nothing registered.
An app's plugins rarely change after it is built, so :func:`prepare` reads the
implementations of each hook once and builds plain functions that call them in
pluggy's order. A hook with no implementation becomes ``None`` and is skipped.
A hook with a wrapper implementation keeps pluggy's own caller, which is the
only one that knows how to run wrappers. An app prepares again whenever its
plugins change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import pluggy

    from kernel.app import ApiGatewayResolver


class Pipeline(NamedTuple):
    """The hooks of one app, as plain callables taking the hook's arguments in order."""

    parse_event: Callable[..., Any]
    match_route: Callable[..., Any]
    before_handle: Callable[..., Any] | None
    build_response: Callable[..., Any]


def _positional(caller: pluggy.HookCaller, impl: pluggy.HookImpl) -> Callable[..., Any]:
    """Call ``impl`` with the hook's arguments given positionally, in spec order.

    An implementation may take any subset of the spec's arguments, by name.
    For ``match_route(app, method, path, request)`` and an implementation
    taking ``(app, path)`` this builds ``lambda app, method, path, request:
    function(app, path)``: one extra call, where selecting the arguments at
    run time would cost several times more on every request.
    """
    spec_args = tuple(caller.spec.argnames) if caller.spec else ()
    function = impl.function
    if tuple(impl.argnames) == spec_args:
        return function
    unknown = set(impl.argnames) - set(spec_args)
    if unknown:
        raise TypeError(f"{function!r} takes arguments the hook {caller.name} does not have: {sorted(unknown)}")
    source = f"lambda {', '.join(spec_args)}: function({', '.join(impl.argnames)})"
    return eval(source, {"function": function})


def _chain(caller: pluggy.HookCaller, impls: list[pluggy.HookImpl] | None = None) -> Callable[..., Any] | None:
    """One callable running ``impls`` (default: all) until one returns non-None."""
    impls = caller.get_hookimpls() if impls is None else impls
    if not impls:
        return None
    names = tuple(caller.spec.argnames) if caller.spec else ()
    if any(impl.hookwrapper or impl.wrapper for impl in impls):
        return lambda *args: caller(**dict(zip(names, args, strict=True)))
    # pluggy keeps implementations in reverse call order.
    functions = [_positional(caller, impl) for impl in reversed(impls)]
    if len(functions) == 1:
        return functions[0]
    if len(functions) == 2:
        # The common case of a feature plugin beside a source or the matcher: no loop.
        first, second = functions

        def first_of_two(*args: Any) -> Any:
            result = first(*args)
            return second(*args) if result is None else result

        return first_of_two

    def first_result(*args: Any) -> Any:
        for function in functions:
            result = function(*args)
            if result is not None:
                return result
        return None

    return first_result


def _none(*args: Any) -> None:
    return None


def prepare(app: ApiGatewayResolver) -> Pipeline:
    """Build the per-request callables of ``app`` from its plugin manager.

    An app pinned to one source uses that source only: the other sources'
    implementations (their ``build_response``, a ``before_handle`` of their
    own) would only look at each request to leave it alone, so they are left
    out. A plugin counts as a source when it implements ``parse_event``.
    """
    hook = app.plugin_manager.hook
    others: set[int] = set()
    if app.source is not None:
        pinned = app.plugin_manager.get_plugin(app.source)
        others = {id(impl.plugin) for impl in hook.parse_event.get_hookimpls() if impl.plugin is not pinned}

    def chain(caller: pluggy.HookCaller) -> Callable[..., Any] | None:
        return _chain(caller, [impl for impl in caller.get_hookimpls() if id(impl.plugin) not in others])

    return Pipeline(
        parse_event=chain(hook.parse_event) or _none,
        match_route=chain(hook.match_route) or _none,
        before_handle=chain(hook.before_handle),
        build_response=chain(hook.build_response) or _none,
    )
