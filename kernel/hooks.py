"""The per-request path, prepared once from the hook implementations an app holds.

Calling a pluggy hook costs about a microsecond even with nothing registered.
An app's plugins rarely change after it is built, so :func:`prepare` reads the
implementations of each hook once and builds plain functions that call them
with pluggy's exact semantics, read from pluggy's own objects: the spec's
``firstresult`` and ``historic``, each implementation's ``tryfirst`` and
``trylast`` (through the order pluggy keeps them in) and ``wrapper`` or
``hookwrapper``. :func:`plan` is that translation for one hook; what it
returns gives the result pluggy's caller would give for the same
implementations (the hook-equivalence tests hold it to that).

The kernel adds one rule on top: a request is seen only by the source plugin
that parsed it. A plugin is a *source* when it has a plain (non-wrapper)
``parse_event`` implementation. For each source the pipeline prepares the
other hooks from the implementations of every plugin that is not a source,
plus that source's own, so no source ever has to ask "is this request mine?".
An app pinned to one source asks only that source to parse.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import pluggy

    from kernel.app import BaseApp
    from kernel.request import BaseRequest

Call = Callable[..., Any]


def _positional(argnames: Sequence[str], impl: pluggy.HookImpl) -> Call:
    """Call ``impl`` with the hook's arguments given positionally, in spec order.

    An implementation may take any subset of the spec's arguments, by name
    (those with a default are passed by keyword, as pluggy does). For
    ``match_route(app, method, path, request)`` and an implementation taking
    ``(app, path)`` this builds ``lambda app, method, path, request:
    function(app, path)``: one extra call, where selecting the arguments at
    run time would cost several times more on every request.
    """
    function = impl.function
    if tuple(impl.argnames) == tuple(argnames) and not impl.kwargnames:
        return function
    unknown = set(impl.argnames) - set(argnames)
    if unknown:
        raise TypeError(f"{function!r} takes arguments the hook does not have: {sorted(unknown)}")
    keywords = [f"{name}={name}" for name in impl.kwargnames if name in argnames]
    # The implementation's name in the lambda must not be one of the hook's
    # arguments, which would shadow it (a hook argument named "function").
    callee = "function"
    while callee in argnames:
        callee += "_"
    source = f"lambda {', '.join(argnames)}: {callee}({', '.join([*impl.argnames, *keywords])})"
    return eval(source, {callee: function})


def _constant(value: Any) -> Call:
    def call(*args: Any) -> Any:
        # A new list each time, as pluggy returns.
        return [] if isinstance(value, list) else value

    return call


def plan(
    manager: pluggy.PluginManager,
    name: str,
    impls: Sequence[pluggy.HookImpl] | None = None,
) -> Call:
    """One plain callable running the hook ``name`` over ``impls`` (default: all).

    It takes the hook's arguments positionally, in the order of the spec, and
    returns exactly what ``manager.hook.<name>(**arguments)`` returns when
    only ``impls`` are registered: the first non-``None`` result (or ``None``)
    for a ``firstresult`` spec, otherwise the list of non-``None`` results in
    call order. Implementations run in pluggy's order (``tryfirst`` first,
    ``trylast`` last, later registrations before earlier ones).

    Hooks with wrappers, and historic hooks, are handed to a pluggy caller
    restricted to ``impls``: only pluggy knows how to run a wrapper's
    generator, and a historic hook is not called directly.
    """
    caller: pluggy.HookCaller = getattr(manager.hook, name)
    spec = caller.spec
    argnames = tuple(spec.argnames) if spec is not None else ()
    firstresult = bool(spec is not None and spec.opts.get("firstresult"))
    everything = caller.get_hookimpls()
    chosen = list(everything if impls is None else impls)

    if caller.is_historic() or any(impl.wrapper or impl.hookwrapper for impl in chosen):
        keep = {id(impl) for impl in chosen}
        dropped = {impl.plugin for impl in everything if id(impl) not in keep}
        subset = manager.subset_hook_caller(name, dropped) if dropped else caller

        def through_pluggy(*args: Any) -> Any:
            return subset(**dict(zip(argnames, args, strict=True)))

        return through_pluggy

    if not chosen:
        return _constant(None if firstresult else [])
    # pluggy keeps implementations in reverse call order.
    functions = [_positional(argnames, impl) for impl in reversed(chosen)]
    if firstresult and len(functions) == 1:
        return functions[0]
    return _chain(argnames, functions, firstresult)


def _chain(argnames: Sequence[str], functions: Sequence[Call], firstresult: bool) -> Call:
    """One function calling ``functions`` in turn with the hook's arguments, as it would be written by hand.

    For a ``firstresult`` hook it returns the first result that is not
    ``None``; otherwise the list of those results. Written out (no loop, the
    arguments named rather than packed into ``*args``) because it runs on
    every request: for ``build_response`` with a feature plugin beside the
    source that is ``r = f0(app, request, route, response)`` then ``f1(...)``
    when ``r`` is ``None``.
    """
    arguments = ", ".join(argnames)
    names = {f"__f{number}": function for number, function in enumerate(functions)}
    lines = [f"def chain({arguments}):"]
    if firstresult:
        for number in range(len(functions) - 1):
            lines += [f"    __r = __f{number}({arguments})", "    if __r is not None:", "        return __r"]
        lines.append(f"    return __f{len(functions) - 1}({arguments})")
    else:
        lines.append("    __results = []")
        for number in range(len(functions)):
            lines += [f"    __r = __f{number}({arguments})", "    if __r is not None:", "        __results.append(__r)"]
        lines.append("    return __results")
    exec("\n".join(lines), names)
    chain: Call = names["chain"]
    return chain


def is_source(impl: pluggy.HookImpl) -> bool:
    """Whether a ``parse_event`` implementation makes its plugin an event source."""
    return not (impl.wrapper or impl.hookwrapper)


def source_plugins(manager: pluggy.PluginManager) -> list[object]:
    """The plugins of ``manager`` that are event sources, in the order they are asked."""
    found: list[object] = []
    for impl in reversed(manager.hook.parse_event.get_hookimpls()):
        if is_source(impl) and impl.plugin not in found:
            found.append(impl.plugin)
    return found


class Stage(NamedTuple):
    """The hooks run for the requests of one source, as plain callables.

    Two shortcuts spare every request a call: ``match_route`` is None when
    its one implementation is the kernel's own matcher (:mod:`kernel.matching`),
    and the request path then asks the app's route table itself; ``render``
    is the source's render function (``render(app, request, response)``)
    when the hook's one ``build_response`` is that of a :class:`~kernel.source.Source`,
    which only calls it, else None.
    """

    match_route: Call | None
    before_handle: Call | None
    build_response: Call
    render: Call | None = None


class Pipeline:
    """The prepared hooks of one app.

    :meth:`parse` returns the request and the plugin that parsed it;
    :meth:`stage` the hooks that plugin's requests go through.
    """

    def __init__(self, manager: pluggy.PluginManager, pinned: object | None) -> None:
        self._manager = manager
        hook = manager.hook
        parsers = hook.parse_event.get_hookimpls()
        self.sources = source_plugins(manager)
        # Other sources' hooks never run in a pinned app: leave them out here.
        wanted = [impl for impl in parsers if not is_source(impl) or pinned is None or impl.plugin is pinned]
        #: The prepared stages by source plugin (see :meth:`stage`).
        self.stages: dict[object, Stage] = {}
        is_pinned = pinned is not None
        wrapped = any(not is_source(impl) for impl in wanted)
        #: ``parse(app, event, context)``: ``(request, source plugin)``, or
        #: ``(None, None)`` when no source recognises the event.
        self.parse = self._parse_through_pluggy(wanted, is_pinned) if wrapped else self._parse_plainly(wanted, is_pinned)
        #: For an app pinned to a source with one plain ``parse_event``: that
        #: implementation, called as ``parse_pinned(app, event, context, True)``,
        #: and the stage of its requests. The common case, spared the lookups.
        self.parse_pinned: Call | None = None
        self.pinned_stage: Stage | None = None
        if is_pinned and not wrapped and len(wanted) == 1:
            argnames = tuple(hook.parse_event.spec.argnames)  # type: ignore[union-attr]
            self.parse_pinned = _positional(argnames, wanted[0])
            self.pinned_stage = self.stage(pinned)

    # -- parse_event ------------------------------------------------------------

    def _parse_plainly(self, impls: list[pluggy.HookImpl], pinned: bool) -> Callable[[Any, Any, Any], tuple[Any, object | None]]:
        argnames = tuple(self._manager.hook.parse_event.spec.argnames)  # type: ignore[union-attr]
        pairs = [(_positional(argnames, impl), impl.plugin) for impl in reversed(impls)]
        if len(pairs) == 1:
            ((function, plugin),) = pairs

            def parse_one(app: Any, event: Any, context: Any) -> tuple[Any, object | None]:
                return function(app, event, context, pinned), plugin

            return parse_one

        def parse_first(app: Any, event: Any, context: Any) -> tuple[Any, object | None]:
            for function, plugin in pairs:
                request = function(app, event, context, pinned)
                if request is not None:
                    return request, plugin
            return None, None

        return parse_first

    def _parse_through_pluggy(
        self, impls: list[pluggy.HookImpl], pinned: bool
    ) -> Callable[[Any, Any, Any], tuple[Any, object | None]]:
        call = plan(self._manager, "parse_event", impls)
        candidates = [impl.plugin for impl in reversed(impls) if is_source(impl)]

        def parse_wrapped(app: Any, event: Any, context: Any) -> tuple[Any, object | None]:
            request = call(app, event, context, pinned)
            if request is None:
                return None, None
            return request, self._owner(request, candidates)

        return parse_wrapped

    def owner(self, request: BaseRequest) -> object | None:
        """The source plugin that parsed ``request`` (its request class tells)."""
        return self._owner(request, list(self.sources))

    def _owner(self, request: BaseRequest, candidates: list[object]) -> object | None:
        # A wrapper hides which implementation answered: the request's class tells.
        if len(candidates) == 1:
            return candidates[0]
        for exact in (True, False):
            for plugin in candidates:
                classes = tuple(getattr(plugin, "request_classes", ()))
                if classes and (type(request) in classes if exact else isinstance(request, classes)):
                    return plugin
        return None

    # -- the other hooks, per source ------------------------------------------------

    def stage(self, source: object | None) -> Stage:
        """The hooks that requests parsed by ``source`` go through."""
        stage = self.stages.get(source)
        if stage is None:
            stage = self.stages[source] = self._prepare_stage(source)
        return stage

    def _prepare_stage(self, source: object | None) -> Stage:
        others = {id(plugin) for plugin in self.sources if plugin is not source}

        def impls(name: str) -> list[pluggy.HookImpl]:
            return [impl for impl in getattr(self._manager.hook, name).get_hookimpls() if id(impl.plugin) not in others]

        # The kernel's default plugin, loaded with every app.
        from kernel.matching import match_route as table_match

        before = impls("before_handle")
        match_route = plan(self._manager, "match_route", impls("match_route"))
        build_response = plan(self._manager, "build_response", impls("build_response"))
        return Stage(
            match_route=None if match_route is table_match else match_route,
            before_handle=plan(self._manager, "before_handle", before) if before else None,
            build_response=build_response,
            render=_render_of(build_response),
        )


def _render_of(build_response: Call) -> Call | None:
    """The render function ``build_response`` only calls, when it is a :class:`~kernel.source.Source`'s own hook."""
    from kernel.source import Source

    source = getattr(build_response, "__self__", None)
    if isinstance(source, Source) and getattr(build_response, "__func__", None) is Source.build_response:
        render: Call = source.render
        return render
    return None


def prepare(app: BaseApp) -> Pipeline:
    """Build the per-request pipeline of ``app`` from its plugin manager."""
    pinned = app.plugin_manager.get_plugin(app.source) if app.source is not None else None
    return Pipeline(app.plugin_manager, pinned)
