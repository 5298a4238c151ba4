"""KERNEL_PLUGINS: the installed plugins an app that does not list its own may use.

Without it, an app built with ``plugins=None`` uses every installed plugin, so
installing a plugin (a test helper, a dependency's dependency) changes every
such app. Set, it is the allow-list of those apps; an app that lists its
plugins is unaffected. ``kernel.plugins.selection_reason`` tells which rule
chose an app's plugins and why each is in or out.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint
from typing import Any

import pluggy
import pytest
from kernel_cors import CORSConfig

from kernel import ALBResolver, APIGatewayRestResolver, App, PluginNotFoundError, Response, hookimpl
from kernel import plugins as plugin_loading
from kernel.plugins import ALLOW_LIST_ENV, PluginNotInAppError, Selection, allow_list, selection_reason
from tests.events import rest_event


class PoweredBy:
    """A third-party plugin of the kind that surprised a user: it adds a header to every answer."""

    @hookimpl
    def build_response(self, response: Response[Any]) -> None:
        response.headers["X-Powered-By"] = "third-party"


POWERED_BY = PoweredBy()


@pytest.fixture(autouse=True)
def no_allow_list(monkeypatch):
    """Start from an environment without KERNEL_PLUGINS, whatever the shell running the tests has."""
    monkeypatch.delenv(ALLOW_LIST_ENV, raising=False)


@pytest.fixture
def third_party_installed(monkeypatch):
    """Discovery as if a distribution declaring the ``powered-by`` plugin were installed."""
    entry_point = EntryPoint(name="powered-by", value=f"{__name__}:POWERED_BY", group=plugin_loading.GROUP)
    monkeypatch.setattr(plugin_loading, "_entry_points", {**plugin_loading.installed(), "powered-by": entry_point})
    monkeypatch.setattr(plugin_loading, "_loaded", {})


def names(app: Any) -> list[str]:
    return [name for name, _ in app.plugin_manager.list_name_plugin()]


def answer_headers(app: Any) -> dict[str, list[str]]:
    app.get("/hello")(lambda: {"hello": "world"})
    return app(rest_event("GET", "/hello"), None)["multiValueHeaders"]


# -- reading the variable ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("rest,cors", ("rest", "cors")),
        (" rest , cors ,, ", ("rest", "cors")),
        ("rest,rest,alb", ("rest", "alb")),
        ("", None),
        ("  ", None),
        (",,", None),
    ],
)
def test_allow_list_reads_comma_separated_names(monkeypatch, value, expected):
    monkeypatch.setenv(ALLOW_LIST_ENV, value)
    assert allow_list() == expected


def test_allow_list_is_none_when_unset():
    assert allow_list() is None


def test_the_variable_is_read_each_time_an_app_is_built(monkeypatch):
    monkeypatch.setenv(ALLOW_LIST_ENV, "rest")
    assert names(App()) == ["kernel.matching", "rest"]
    monkeypatch.setenv(ALLOW_LIST_ENV, "rest,http")
    assert names(App()) == ["kernel.matching", "http", "rest"]
    monkeypatch.delenv(ALLOW_LIST_ENV)
    assert "alb" in names(App())


# -- what it changes ----------------------------------------------------------------------


@pytest.mark.usefixtures("third_party_installed")
def test_an_installed_plugin_joins_every_default_app_unless_kernel_plugins_is_set(monkeypatch):
    # The surprise: nothing in this app asks for the plugin, yet it runs.
    assert answer_headers(App()) == {"Content-Type": ["application/json"], "X-Powered-By": ["third-party"]}
    # An app that lists its plugins never gets it.
    assert answer_headers(App(plugins=["rest"])) == {"Content-Type": ["application/json"]}
    # With the allow-list, a default app gets only what it names.
    monkeypatch.setenv(ALLOW_LIST_ENV, "rest,cors")
    app = App()
    # cors is loaded on demand: allowed, it joins when the app uses it.
    assert names(app) == ["kernel.matching", "rest"]
    assert answer_headers(app) == {"Content-Type": ["application/json"]}
    assert selection_reason(app.plugin_manager).left_out["powered-by"] == "not in KERNEL_PLUGINS"
    # Named in the list, it is used again.
    monkeypatch.setenv(ALLOW_LIST_ENV, "rest,powered-by")
    assert answer_headers(App()) == {"Content-Type": ["application/json"], "X-Powered-By": ["third-party"]}


def test_a_listed_app_is_unaffected(monkeypatch):
    monkeypatch.setenv(ALLOW_LIST_ENV, "rest")
    assert names(App(plugins=["alb", "cors"])) == ["kernel.matching", "alb", "cors"]
    assert names(ALBResolver(plugins=[])) == ["kernel.matching", "alb"]
    assert names(APIGatewayRestResolver(plugins=["rest"], enable_validation=True)) == ["kernel.matching", "rest", "validation"]


def test_a_pinned_source_left_out_is_an_error(monkeypatch):
    monkeypatch.setenv(ALLOW_LIST_ENV, "rest,cors")
    with pytest.raises(PluginNotFoundError) as info:
        ALBResolver()
    assert str(info.value) == (
        "The kernel plugin 'alb' (the app's source) is left out by KERNEL_PLUGINS=rest,cors:"
        " add alb to KERNEL_PLUGINS, or list the app's plugins with plugins=[...]"
    )
    assert info.value.name == "alb"
    assert isinstance(info.value, PluginNotInAppError)
    with pytest.raises(PluginNotFoundError, match=r"^The kernel plugin 'alb' \(the app's source\) is left out by KERNEL_PLUGINS"):
        App(source="alb")
    # The source it allows works; cors, allowed, joins when the app uses it.
    assert names(APIGatewayRestResolver()) == ["kernel.matching", "rest"]
    assert names(APIGatewayRestResolver(cors=CORSConfig())) == ["kernel.matching", "rest", "cors"]


def test_validation_needs_to_be_allowed_too(monkeypatch):
    monkeypatch.setenv(ALLOW_LIST_ENV, "rest")
    with pytest.raises(PluginNotFoundError) as info:
        APIGatewayRestResolver(enable_validation=True)
    assert str(info.value) == (
        "The kernel plugin 'validation' (enable_validation=True) is left out by KERNEL_PLUGINS=rest:"
        " add validation to KERNEL_PLUGINS, or list the app's plugins with plugins=[...]"
    )
    monkeypatch.setenv(ALLOW_LIST_ENV, "rest,validation")
    # Allowed, validation is still used only by the apps that enable it.
    assert names(APIGatewayRestResolver()) == ["kernel.matching", "rest"]
    assert names(APIGatewayRestResolver(enable_validation=True)) == ["kernel.matching", "rest", "validation"]


def test_features_left_out_make_their_options_fail(monkeypatch):
    monkeypatch.setenv(ALLOW_LIST_ENV, "rest")
    app = App()
    with pytest.raises(PluginNotFoundError) as info:
        app.get("/todos", cors=True)(lambda: {})
    assert str(info.value) == (
        "cors=True on route GET /todos needs the kernel plugin 'cors', which KERNEL_PLUGINS=rest leaves out:"
        " add cors to KERNEL_PLUGINS, or list the app's plugins with plugins=[...]."
    )
    with pytest.raises(PluginNotFoundError) as info:
        app.get("/report", compress=True)(lambda: {})
    assert str(info.value) == (
        "compress=True on route GET /report needs the kernel plugin 'compression', which KERNEL_PLUGINS=rest leaves out:"
        " add compression to KERNEL_PLUGINS, or list the app's plugins with plugins=[...]."
    )
    with pytest.raises(PluginNotFoundError) as info:
        App(cors=CORSConfig())
    assert str(info.value) == (
        "cors=CORSConfig(...) on the app needs the kernel plugin 'cors', which KERNEL_PLUGINS=rest leaves out:"
        " add cors to KERNEL_PLUGINS, or list the app's plugins with plugins=[...]."
    )


def test_a_name_that_is_not_installed_is_an_error(monkeypatch):
    monkeypatch.setenv(ALLOW_LIST_ENV, "rest,corz")
    with pytest.raises(PluginNotFoundError) as info:
        App()
    assert str(info.value) == f"KERNEL_PLUGINS names 'corz'. {PluginNotFoundError('corz')}"
    assert info.value.name == "corz"
    # An app that lists its plugins does not read the variable at all.
    assert names(App(plugins=["rest"])) == ["kernel.matching", "rest"]


def test_the_built_in_matcher_may_be_named(monkeypatch):
    monkeypatch.setenv(ALLOW_LIST_ENV, "kernel.matching,rest")
    assert names(App()) == ["kernel.matching", "rest"]


# -- why an app has the plugins it has ---------------------------------------------------


def test_selection_of_a_default_app():
    selection = selection_reason(APIGatewayRestResolver().plugin_manager)
    assert selection.rule == "installed"
    assert selection.allow_list is None
    assert selection.summary() == "every installed plugin (KERNEL_PLUGINS is not set)"
    assert selection.reason_for("kernel.matching") == "built-in"
    assert selection.reason_for("rest") == "the app's source"
    on_demand = "loaded when the app uses it"
    other_source = "another event source: the app takes 'rest' events"
    assert selection.left_out == {
        "validation": "used only with enable_validation=True",
        "cors": on_demand,
        "compression": on_demand,
        "openapi": on_demand,
        "swagger": on_demand,
        **dict.fromkeys(("alb", "bedrock", "bedrock-function", "function-url", "http", "lattice", "lattice-v2"), other_source),
    }

    validating = selection_reason(APIGatewayRestResolver(enable_validation=True).plugin_manager)
    assert validating.reason_for("validation") == "enable_validation=True"
    assert "validation" not in validating.left_out

    app = App()
    assert selection_reason(app.plugin_manager).reason_for("alb") == "installed"

    @app.get("/open", cors=True)
    def open_route():
        return {}

    assert selection_reason(app.plugin_manager).reason_for("cors") == "cors=True on route GET /open"
    assert "cors" not in selection_reason(app.plugin_manager).left_out


def test_selection_under_the_allow_list(monkeypatch):
    monkeypatch.setenv(ALLOW_LIST_ENV, "rest,cors")
    selection = selection_reason(App().plugin_manager)
    assert selection.rule == "allow-list"
    assert selection.allow_list == ("rest", "cors")
    assert selection.summary() == "the installed plugins KERNEL_PLUGINS allows (rest,cors)"
    assert dict(selection.reasons) == {
        "kernel.matching": "built-in",
        "rest": "installed, in KERNEL_PLUGINS",
    }
    assert set(selection.left_out) == set(plugin_loading.installed()) - {"rest"}
    assert set(selection.left_out.values()) == {"not in KERNEL_PLUGINS", "loaded when the app uses it"}
    assert selection.left_out["cors"] == "loaded when the app uses it"


def test_selection_of_a_listed_app(monkeypatch):
    class Private:
        plugin_name = "private"

    app = App(plugins=["rest", Private()])
    selection = selection_reason(app.plugin_manager)
    assert selection.rule == "listed"
    assert selection.summary() == "the plugins the app lists (plugins=[...])"
    assert dict(selection.reasons) == {
        "kernel.matching": "built-in",
        "rest": "in plugins=[...]",
        "private": "given as an object in plugins=[...]",
    }
    assert set(selection.left_out) == set(plugin_loading.installed()) - {"rest"}
    assert set(selection.left_out.values()) == {"not in the app's plugins=[...]"}

    class Later:
        plugin_name = "later"

    app.register_plugin(Later(), name="later")
    assert selection_reason(app.plugin_manager).reason_for("later") == "registered on the app after it was built"

    monkeypatch.setenv(ALLOW_LIST_ENV, "rest")
    assert selection_reason(ALBResolver(plugins=[]).plugin_manager).summary() == (
        "the plugins the app lists (plugins=[...]); KERNEL_PLUGINS does not apply to an app that lists its plugins"
    )


def test_selection_of_the_default_manager_and_of_a_foreign_one(monkeypatch):
    monkeypatch.setenv(ALLOW_LIST_ENV, "http")
    manager = plugin_loading.create_manager()
    assert [name for name, _ in plugin_loading.describe(manager)] == ["kernel.matching", "http"]
    assert selection_reason(manager) == Selection(
        "allow-list",
        ("http",),
        {"kernel.matching": "built-in", "http": "installed, in KERNEL_PLUGINS"},
        {name: "not in KERNEL_PLUGINS" for name in plugin_loading.installed() if name != "http"},
    )
    with pytest.raises(LookupError, match=r"^This plugin manager was not built by kernel.plugins.create_manager$"):
        selection_reason(pluggy.PluginManager("kernel"))
