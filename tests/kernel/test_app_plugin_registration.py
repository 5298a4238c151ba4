"""Plugins added to one app after it is built: known by the name given, in effect from the next request."""

from __future__ import annotations

from typing import Any

from kernel import Response
from kernel.plugin_api import hookimpl
from tests.kernel.helpers import call, json_response, rest_app


class Stamp:
    @hookimpl
    def build_response(self, response: Response[Any]) -> None:
        response.headers["X-Stamp"] = "1"


def test_a_plugin_registered_under_a_name_is_found_by_it_and_answers_until_unregistered():
    app = rest_app()

    @app.get("/x")
    def x():
        return {}

    assert call(app, "GET", "/x") == json_response(200, {})
    stamp = Stamp()
    app.register_plugin(stamp, name="stamp")
    assert app.plugin_manager.get_plugin("stamp") is stamp
    assert app.plugin_manager.get_name(stamp) == "stamp"
    assert call(app, "GET", "/x") == json_response(200, {}, {"X-Stamp": ["1"]})

    app.unregister_plugin(stamp)
    assert app.plugin_manager.get_plugin("stamp") is None
    assert call(app, "GET", "/x") == json_response(200, {})


def test_a_plugin_registered_without_a_name_gets_one_of_its_own():
    app = rest_app()
    stamp = Stamp()
    app.register_plugin(stamp)
    name = app.plugin_manager.get_name(stamp)
    assert name
    assert app.plugin_manager.get_plugin(name) is stamp


def test_a_plugin_app_method_gets_the_app_then_every_argument(monkeypatch):
    from kernel import plugins as plugin_loading

    received = []

    def report(app, fmt, /, *, title="Report"):
        received.append((app, fmt, title))
        return f"{title} as {fmt}"

    monkeypatch.setattr(plugin_loading, "declared", lambda group, name: report)
    app = rest_app()
    assert app.plugin_method("get_report")("csv", title="Orders") == "Orders as csv"
    assert received == [(app, "csv", "Orders")]


class Chatty:
    """A plugin whose class defines Python's own protocols besides its hook."""

    def __init__(self) -> None:
        self.calls = 0

    def __repr__(self) -> str:
        return "<Chatty>"

    def __call__(self) -> None:
        raise AssertionError("a plugin is not called")

    @hookimpl
    def build_response(self, response: Response[Any]) -> None:
        self.calls += 1
        response.headers["X-Chatty"] = str(self.calls)


def test_a_plugin_object_is_registered_by_its_hooks_on_the_manager_pluggy_documents():
    import pluggy

    app = rest_app()
    assert isinstance(app.plugin_manager, pluggy.PluginManager)
    chatty = Chatty()
    app.register_plugin(chatty, name="chatty")

    @app.get("/x")
    def x():
        return {}

    assert call(app, "GET", "/x") == json_response(200, {}, {"X-Chatty": ["1"]})
    assert [impl.plugin_name for impl in app.plugin_manager.hook.build_response.get_hookimpls()][-1] == "chatty"
