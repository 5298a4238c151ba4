"""The hooks :mod:`kernel.hooks` prepares behave exactly as pluggy's own callers.

``plan(manager, name)`` turns a hook into one plain callable taking the hook's
arguments positionally. For every hook spec of :mod:`kernel.hookspecs` (found
in the module, so a new hook is covered as soon as it is declared) and for a
matrix of implementation sets, the callable must give what
``manager.hook.<name>(**arguments)`` gives: the same result or the same
exception, after the same implementations ran in the same order with the same
arguments.

Then the same property in the two places the kernel relies on it: a real app
with a wrapper (``before_handle``, ``parse_event`` in a pinned app) and a
historic hook.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pluggy
import pytest

import kernel.hookspecs
from kernel import APIGatewayRestResolver, App, hookimpl, hookspec
from kernel.hooks import plan, prepare
from tests.events import http_event, rest_event
from tests.kernel.helpers import json_response

#: The value an implementation's parameter keeps when pluggy does not pass it.
DEFAULT = "<default>"


def spec_names() -> list[str]:
    """Every hook spec the kernel declares, read from the module."""
    manager = pluggy.PluginManager(kernel.hookspecs.PROJECT)
    return sorted(name for name in dir(kernel.hookspecs) if manager.parse_hookspec_opts(kernel.hookspecs, name) is not None)


SPECS = spec_names()


def new_manager(*specs: object) -> pluggy.PluginManager:
    manager = pluggy.PluginManager("kernel")
    manager.add_hookspecs(kernel.hookspecs)
    for spec in specs:
        manager.add_hookspecs(spec)
    return manager


def call_arguments(manager: pluggy.PluginManager, name: str) -> tuple[str, ...]:
    """One distinct value per argument of the spec, in spec order."""
    return tuple(f"<{argname}>" for argname in getattr(manager.hook, name).spec.argnames)


class ImplError(Exception):
    """What an implementation of the matrix raises."""


# -- implementations built to order -------------------------------------------------


def parameters(argnames: tuple[str, ...], mode: str) -> tuple[str, list[str]]:
    """The parameter list of an implementation and the names it records, for a mode of the matrix."""
    assert len(argnames) >= 2, "the matrix needs hooks of two arguments or more"
    first, last = argnames[0], argnames[-1]
    if mode == "all":
        return ", ".join(argnames), list(argnames)
    if mode == "subset":
        return last, [last]
    if mode == "reordered":
        return f"{last}, {first}", [last, first]
    if mode == "default":
        # The last argument has a default: pluggy passes it by keyword.
        return ", ".join([*argnames[:-1], f"{last}={DEFAULT!r}"]), list(argnames)
    if mode == "extra-default":
        # A parameter the spec does not have, with a default: never passed.
        return f"{first}, unknown={DEFAULT!r}", [first, "unknown"]
    if mode == "keyword-only":
        # Keyword-only parameters are not hook arguments, even when named like one.
        return f"{first}, *, {last}={DEFAULT!r}", [first, last]
    raise AssertionError(mode)


class Plugin:
    """A plugin object (hashable, as pluggy's subset callers need), holding one implementation."""


@dataclass
class Impl:
    """One implementation of the matrix, in the plugin named ``label``."""

    label: str
    kind: str = "value"
    mode: str = "all"
    tryfirst: bool = False
    trylast: bool = False
    error: ImplError = field(init=False)

    def __post_init__(self) -> None:
        # One instance, raised on every call: pluggy and the plan must raise this very object.
        self.error = ImplError(self.label)

    @property
    def wrapper(self) -> bool:
        return self.kind.startswith("wrapper")

    @property
    def hookwrapper(self) -> bool:
        return self.kind.startswith("hookwrapper")

    def body(self, log: list[Any]) -> Callable[[dict[str, Any]], Any]:
        """What the implementation does with the arguments it received (a generator for wrappers)."""
        label, kind, error = self.label, self.kind, self.error

        def value(received: dict[str, Any]) -> Any:
            log.append((label, received))
            if kind == "raise":
                raise error
            return f"{label}-result" if kind == "value" else None

        def wrapper(received: dict[str, Any]) -> Any:
            log.append((label, received))
            if kind == "wrapper-raises-early":
                raise error
            if kind == "wrapper-rescues":
                try:
                    result = yield
                except ImplError as exc:
                    log.append((f"{label}/rescued", exc))
                    return f"{label}-rescued"
            else:
                result = yield
            log.append((f"{label}/after", result))
            if kind == "wrapper-raises":
                raise error
            if kind == "wrapper-replaces":
                return f"{label}-replaced"
            return result

        def hookwrapper(received: dict[str, Any]) -> Any:
            log.append((label, received))
            outcome = yield
            seen = ("raised", outcome.exception) if outcome.exception is not None else ("returned", outcome.get_result())
            log.append((f"{label}/after", seen))
            if kind == "hookwrapper-forces":
                outcome.force_result(f"{label}-forced")

        if self.wrapper:
            return wrapper
        if self.hookwrapper:
            return hookwrapper
        return value

    def plugin(self, name: str, argnames: tuple[str, ...], log: list[Any]) -> object:
        """A plugin object holding this implementation of hook ``name``, with real parameter names."""
        signature, received = parameters(argnames, self.mode)
        record = "{" + ", ".join(f"{argname!r}: {argname}" for argname in received) + "}"
        generator = self.wrapper or self.hookwrapper
        statement = f"return (yield from body({record}))" if generator else f"return body({record})"
        namespace: dict[str, Any] = {"body": self.body(log)}
        exec(f"def {name}({signature}):\n    {statement}\n", namespace)
        marker = hookimpl(
            tryfirst=self.tryfirst,
            trylast=self.trylast,
            wrapper=self.wrapper,
            hookwrapper=self.hookwrapper,
        )
        plugin = Plugin()
        setattr(plugin, name, marker(namespace[name]))
        return plugin


def install(manager: pluggy.PluginManager, name: str, impls: list[Impl], log: list[Any]) -> dict[str, object]:
    """Register ``impls`` in order, each in its own plugin; the plugins by label."""
    argnames = tuple(getattr(manager.hook, name).spec.argnames)
    plugins = {}
    for impl in impls:
        plugins[impl.label] = plugin = impl.plugin(name, argnames, log)
        manager.register(plugin, name=impl.label)
    return plugins


def run(call: Callable[[], Any], log: list[Any]) -> tuple[str, Any, list[Any]]:
    """``("returned", result, log)`` or ``("raised", exception, log)``."""
    log.clear()
    try:
        result = call()
    except Exception as exc:
        return "raised", exc, list(log)
    return "returned", result, list(log)


def labels(log: list[Any]) -> list[str]:
    return [entry[0] for entry in log]


# -- the matrix -----------------------------------------------------------------------


@dataclass
class Raises:
    """Expected: the exception of the implementation ``label``."""

    label: str


@dataclass
class Case:
    impls: list[Impl]
    #: (labels of the calls, result) for a firstresult hook...
    first: tuple[list[str], Any]
    #: ... and for a hook collecting every result (the same as ``first`` when not given).
    every: tuple[list[str], Any] | None = None


A_B_W_AFTER = ["W", "B", "A", "W/after"]

CASES = {
    "no-implementation": Case([], first=([], None), every=([], [])),
    "one-value": Case([Impl("A")], first=(["A"], "A-result"), every=(["A"], ["A-result"])),
    "one-none": Case([Impl("A", "none")], first=(["A"], None), every=(["A"], [])),
    "several-mixed": Case(
        [Impl("A"), Impl("B", "none"), Impl("C"), Impl("D", "none")],
        # Later registrations run first.
        first=(["D", "C"], "C-result"),
        every=(["D", "C", "B", "A"], ["C-result", "A-result"]),
    ),
    "several-none": Case([Impl("A", "none"), Impl("B", "none")], first=(["B", "A"], None), every=(["B", "A"], [])),
    "tryfirst-trylast-mix": Case(
        [
            Impl("A", trylast=True),
            Impl("B", "none", tryfirst=True),
            Impl("C"),
            Impl("D", "none", tryfirst=True),
            Impl("E", "none", trylast=True),
        ],
        first=(["D", "B", "C"], "C-result"),
        every=(["D", "B", "C", "A", "E"], ["C-result", "A-result"]),
    ),
    "tryfirst-registered-first": Case(
        [Impl("A", "none", trylast=True), Impl("B", tryfirst=True), Impl("C")],
        first=(["B"], "B-result"),
        every=(["B", "C", "A"], ["B-result", "C-result"]),
    ),
    "subset-of-arguments": Case(
        [Impl("A"), Impl("B", "none", mode="subset")],
        first=(["B", "A"], "A-result"),
        every=(["B", "A"], ["A-result"]),
    ),
    "reordered-arguments": Case([Impl("A", mode="reordered")], first=(["A"], "A-result"), every=(["A"], ["A-result"])),
    "argument-with-default": Case([Impl("A", mode="default")], first=(["A"], "A-result"), every=(["A"], ["A-result"])),
    "extra-parameter-with-default": Case(
        [Impl("A", mode="extra-default")], first=(["A"], "A-result"), every=(["A"], ["A-result"])
    ),
    "keyword-only-parameter": Case([Impl("A", mode="keyword-only")], first=(["A"], "A-result"), every=(["A"], ["A-result"])),
    "old-style-hookwrapper": Case(
        [Impl("A"), Impl("W", "hookwrapper"), Impl("B", "none")],
        first=(A_B_W_AFTER, "A-result"),
        every=(A_B_W_AFTER, ["A-result"]),
    ),
    "new-style-wrapper": Case(
        [Impl("A"), Impl("W", "wrapper"), Impl("B", "none")],
        first=(A_B_W_AFTER, "A-result"),
        every=(A_B_W_AFTER, ["A-result"]),
    ),
    "wrapper-raises-after-yield": Case([Impl("A"), Impl("W", "wrapper-raises")], first=(["W", "A", "W/after"], Raises("W"))),
    "wrapper-raises-before-yield": Case([Impl("A"), Impl("W", "wrapper-raises-early")], first=(["W"], Raises("W"))),
    "wrapper-replaces-result": Case([Impl("A"), Impl("W", "wrapper-replaces")], first=(["W", "A", "W/after"], "W-replaced")),
    "hookwrapper-forces-result": Case([Impl("A"), Impl("W", "hookwrapper-forces")], first=(["W", "A", "W/after"], "W-forced")),
    "implementation-raises": Case(
        # C runs, B raises, A never runs.
        [Impl("A"), Impl("B", "raise"), Impl("C", "none")],
        first=(["C", "B"], Raises("B")),
    ),
    "raises-after-a-result": Case(
        [Impl("A", "raise"), Impl("B")],
        first=(["B"], "B-result"),
        every=(["B", "A"], Raises("A")),
    ),
    "wrapper-rescues-raise": Case(
        [Impl("B", "raise"), Impl("W", "wrapper-rescues")], first=(["W", "B", "W/rescued"], "W-rescued")
    ),
    "hookwrapper-sees-raise": Case([Impl("B", "raise"), Impl("W", "hookwrapper")], first=(["W", "B", "W/after"], Raises("B"))),
    "nested-wrappers": Case(
        [
            Impl("W1", "wrapper"),
            Impl("W2", "hookwrapper", tryfirst=True),
            Impl("A"),
            Impl("W3", "wrapper", trylast=True),
            Impl("B", "none"),
        ],
        first=(["W2", "W1", "W3", "B", "A", "W3/after", "W1/after", "W2/after"], "A-result"),
        every=(["W2", "W1", "W3", "B", "A", "W3/after", "W1/after", "W2/after"], ["A-result"]),
    ),
}


@pytest.mark.parametrize("name", SPECS)
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_plan_equals_pluggy(name: str, case: Case) -> None:
    manager = new_manager()
    log: list[Any] = []
    install(manager, name, case.impls, log)
    caller = getattr(manager.hook, name)
    args = call_arguments(manager, name)
    kwargs = dict(zip(caller.spec.argnames, args, strict=True))

    by_pluggy = run(lambda: caller(**kwargs), log)
    by_plan = run(lambda: plan(manager, name)(*args), log)

    assert by_plan == by_pluggy
    # And pluggy did what the case says, so the comparison above compared something.
    firstresult = bool(caller.spec.opts.get("firstresult"))
    calls, result = case.first if firstresult or case.every is None else case.every
    outcome, value, entries = by_pluggy
    assert labels(entries) == calls
    if isinstance(result, Raises):
        assert outcome == "raised"
        assert value is next(impl.error for impl in case.impls if impl.label == result.label)
    else:
        assert (outcome, value) == ("returned", result)


def test_the_specs_are_found_in_the_module() -> None:
    # A hook added to kernel.hookspecs joins SPECS, and so every test parametrised by it.
    manager = new_manager()
    firstresult = {name: bool(getattr(manager.hook, name).spec.opts.get("firstresult")) for name in SPECS}
    assert {name: firstresult[name] for name in KERNEL_HOOKS} == KERNEL_HOOKS


#: The kernel's hooks when these tests were written, and whether each is firstresult.
KERNEL_HOOKS = {
    "before_handle": True,
    "build_response": True,
    "emit_schema": False,
    "match_route": True,
    "parse_event": True,
}


@pytest.mark.parametrize("name", SPECS)
@pytest.mark.parametrize("mode", ["all", "subset", "reordered", "default", "extra-default", "keyword-only"])
def test_implementations_receive_the_arguments_pluggy_passes(name: str, mode: str) -> None:
    manager = new_manager()
    log: list[Any] = []
    install(manager, name, [Impl("A", "none", mode=mode)], log)
    argnames = tuple(getattr(manager.hook, name).spec.argnames)
    args = call_arguments(manager, name)
    plan(manager, name)(*args)
    first, last = argnames[0], argnames[-1]
    expected = {
        "all": dict(zip(argnames, args, strict=True)),
        "subset": {last: f"<{last}>"},
        "reordered": {last: f"<{last}>", first: f"<{first}>"},
        "default": dict(zip(argnames, args, strict=True)),
        "extra-default": {first: f"<{first}>", "unknown": DEFAULT},
        "keyword-only": {first: f"<{first}>", last: DEFAULT},
    }[mode]
    assert log == [("A", expected)]
    # Received as pluggy passes them.
    pluggy_log = run(lambda: getattr(manager.hook, name)(**dict(zip(argnames, args, strict=True))), log)[2]
    assert pluggy_log == [("A", expected)]


@pytest.mark.parametrize("name", SPECS)
def test_collected_results_are_a_new_list_each_call(name: str) -> None:
    manager = new_manager()
    call = plan(manager, name)
    args = call_arguments(manager, name)
    first, second = call(*args), call(*args)
    if getattr(manager.hook, name).spec.opts.get("firstresult"):
        assert (first, second) == (None, None)
    else:
        assert first == second == []
        first.append("kept by the caller")
        assert call(*args) == []


# -- a subset of the implementations ---------------------------------------------------

SUBSET_IMPLS = [Impl("A"), Impl("B", "none"), Impl("C", tryfirst=True), Impl("W", "wrapper")]


@pytest.mark.parametrize("name", SPECS)
@pytest.mark.parametrize(
    "removed",
    [[], ["C"], ["W"], ["C", "W"], ["A", "B", "C", "W"]],
    ids=["none-removed", "value-removed", "wrapper-removed", "value-and-wrapper-removed", "all-removed"],
)
def test_plan_of_a_subset_equals_pluggy_subset_caller(name: str, removed: list[str]) -> None:
    manager = new_manager()
    log: list[Any] = []
    plugins = install(manager, name, SUBSET_IMPLS, log)
    args = call_arguments(manager, name)
    subset_caller = manager.subset_hook_caller(name, remove_plugins=[plugins[label] for label in removed])
    kept = [impl for impl in getattr(manager.hook, name).get_hookimpls() if impl.plugin_name not in removed]

    by_pluggy = run(lambda: subset_caller(**dict(zip(subset_caller.spec.argnames, args, strict=True))), log)
    by_plan = run(lambda: plan(manager, name, impls=kept)(*args), log)

    assert by_plan == by_pluggy
    called = set(labels(by_plan[2]))
    assert not called & set(removed)
    # C (tryfirst) answers first whenever it is there.
    expected = "C-result" if "C" not in removed else "A-result" if "A" not in removed else None
    firstresult = getattr(manager.hook, name).spec.opts.get("firstresult")
    if not firstresult:
        expected = [value for value in ("C-result", "A-result") if value[0] not in removed]
    assert by_plan[:2] == ("returned", expected)


# -- hook specs beyond the kernel's ----------------------------------------------------


@hookspec(historic=True)
def on_ready(app: Any, settings: Any) -> None:
    """A historic hook: called once with ``call_historic``, replayed for plugins registered later."""


@hookspec(firstresult=True)
def transform(function: Any, value: Any) -> Any:
    """A hook with an argument named like what the plan calls."""


EXTRA_SPECS = types.SimpleNamespace(on_ready=on_ready, transform=transform)


@pytest.mark.parametrize("impls", [[], [Impl("A")], [Impl("A", "none"), Impl("B", mode="subset")]], ids=["none", "one", "two"])
def test_historic_hook_is_refused_as_pluggy_refuses_it(impls: list[Impl]) -> None:
    manager = new_manager(EXTRA_SPECS)
    log: list[Any] = []
    install(manager, "on_ready", impls, log)
    caller = manager.hook.on_ready
    assert caller.is_historic()

    by_pluggy = run(lambda: caller(app="<app>", settings="<settings>"), log)
    by_plan = run(lambda: plan(manager, "on_ready")("<app>", "<settings>"), log)
    by_plan_of_subset = run(lambda: plan(manager, "on_ready", impls=caller.get_hookimpls()[:1])("<app>", "<settings>"), log)

    assert by_pluggy[0] == by_plan[0] == by_plan_of_subset[0] == "raised"
    assert type(by_pluggy[1]) is type(by_plan[1]) is type(by_plan_of_subset[1]) is AssertionError
    assert str(by_plan[1]) == str(by_pluggy[1])
    assert by_pluggy[2] == by_plan[2] == by_plan_of_subset[2] == []


def test_historic_hook_still_calls_through_call_historic() -> None:
    manager = new_manager(EXTRA_SPECS)
    log: list[Any] = []
    install(manager, "on_ready", [Impl("A"), Impl("B", mode="subset")], log)
    results: list[Any] = []
    manager.hook.on_ready.call_historic(results.append, kwargs={"app": "<app>", "settings": "<settings>"})
    assert results == ["B-result", "A-result"]
    assert log == [("B", {"settings": "<settings>"}), ("A", {"app": "<app>", "settings": "<settings>"})]


@pytest.mark.parametrize("mode", ["all", "subset", "reordered"])
def test_argument_named_function_is_passed_not_called(mode: str) -> None:
    manager = new_manager(EXTRA_SPECS)
    log: list[Any] = []
    install(manager, "transform", [Impl("A", mode=mode)], log)

    def argument(*args: Any, **kwargs: Any) -> str:
        log.append(("the argument was called", args))
        return "wrong"

    by_pluggy = run(lambda: manager.hook.transform(function=argument, value="<value>"), log)
    by_plan = run(lambda: plan(manager, "transform")(argument, "<value>"), log)

    assert by_plan == by_pluggy
    assert by_pluggy[:2] == ("returned", "A-result")
    assert labels(by_pluggy[2]) == ["A"]


# -- in an app ------------------------------------------------------------------------------


class BeforeHandleWrapper:
    """A new-style ``before_handle`` wrapper that lets the request through."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    @hookimpl(wrapper=True)
    def before_handle(self, request: Any, route: Any) -> Any:
        self.calls.append(("before", route.path))
        result = yield
        self.calls.append(("after", result))
        return result


class ParseEventWrapper:
    """A new-style ``parse_event`` wrapper recording what was parsed."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    @hookimpl(wrapper=True)
    def parse_event(self, event: Any) -> Any:
        self.calls.append("before")
        request = yield
        self.calls.append(f"after: {type(request).__name__}")
        return request


def test_before_handle_wrapper_lets_the_request_through() -> None:
    wrapper = BeforeHandleWrapper()
    app = App(plugins=["rest", wrapper])

    @app.get("/x")
    def x() -> dict[str, str]:
        return {"route": "x"}

    assert app(rest_event("GET", "/x")) == json_response(200, {"route": "x"})
    assert wrapper.calls == [("before", "/x"), ("after", None)]
    # Twice: the prepared pipeline is reused.
    assert app(rest_event("GET", "/x")) == json_response(200, {"route": "x"})
    assert wrapper.calls == [("before", "/x"), ("after", None)] * 2


def test_before_handle_wrapper_result_is_the_answer() -> None:
    from kernel import Response

    class Replacing(BeforeHandleWrapper):
        @hookimpl(wrapper=True)
        def before_handle(self, request: Any, route: Any) -> Any:
            yield
            return Response(418, "application/json", {"short": "circuited"})

    app = App(plugins=["rest", Replacing()])

    @app.get("/x")
    def x() -> dict[str, str]:
        raise AssertionError("the route must not run")

    assert app(rest_event("GET", "/x")) == json_response(418, {"short": "circuited"})


def spy_on_parse_event(monkeypatch: pytest.MonkeyPatch, app: Any, plugin_name: str) -> list[Any]:
    """The calls of ``plugin_name``'s ``parse_event``, whatever the plugin is made of."""
    plugin = app.plugin_manager.get_plugin(plugin_name)
    (impl,) = [impl for impl in app.plugin_manager.hook.parse_event.get_hookimpls() if impl.plugin is plugin]
    calls: list[Any] = []
    original = impl.function

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(impl, "function", spy)
    return calls


#: How the rest source answers an HTTP API (payload 2.0) event.
MALFORMED = "Malformed event: 'httpMethod' is missing or not a string"


def test_pinned_app_with_parse_event_wrapper_asks_only_its_source(monkeypatch: pytest.MonkeyPatch) -> None:
    wrapper = ParseEventWrapper()
    app = APIGatewayRestResolver(plugins=["rest", "http", wrapper])

    @app.get("/x")
    def x() -> dict[str, str]:
        return {"route": "x"}

    http_calls = spy_on_parse_event(monkeypatch, app, "http")
    rest_calls = spy_on_parse_event(monkeypatch, app, "rest")

    # An HTTP API event sent to an app pinned to REST is a malformed REST event.
    response = app(http_event("GET", "/x"))
    assert response == json_response(
        400, {"statusCode": 400, "message": "Malformed event: 'httpMethod' is missing or not a string"}
    )
    assert http_calls == []
    assert len(rest_calls) == 1
    assert wrapper.calls == ["before", "after: APIGatewayProxyEvent"]

    request, source = prepare(app).parse(app, http_event("GET", "/x"), None)
    assert source is app.plugin_manager.get_plugin("rest")
    assert request.problem == MALFORMED
    assert http_calls == []

    assert app(rest_event("GET", "/x")) == json_response(200, {"route": "x"})
    assert http_calls == []


def test_unpinned_app_with_parse_event_wrapper_asks_every_source(monkeypatch: pytest.MonkeyPatch) -> None:
    # The control of the test above: the spy sees the http source when it is asked.
    wrapper = ParseEventWrapper()
    app = App(plugins=["rest", "http", wrapper])

    @app.get("/x")
    def x() -> dict[str, str]:
        return {"route": "x"}

    http_calls = spy_on_parse_event(monkeypatch, app, "http")
    response = app(http_event("GET", "/x"))
    assert response["statusCode"] == 200
    assert response["body"] == '{"route":"x"}'
    assert len(http_calls) == 1
    request, source = prepare(app).parse(app, http_event("GET", "/x"), None)
    assert source is app.plugin_manager.get_plugin("http")
    assert (type(request).__name__, request.problem) == ("APIGatewayProxyEventV2", None)
