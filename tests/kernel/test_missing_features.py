"""A route option or app setting whose feature plugin the app lacks fails when it is declared.

``cors=True`` and ``compress=True`` on a route, and ``cors=CORSConfig(...)`` on
an app, only work through the ``cors`` and ``compression`` plugins. Without
them they would do nothing, silently; instead the route's decorator (or
``include_router``, or the app's constructor) raises ``PluginNotFoundError``.
Which option needs which plugin is declared in ``kernel.compat``; the kernel's
own mechanism (``route_plugins`` and ``requires`` of ``BaseApp``) is generic.
"""

from __future__ import annotations

import pickle
import re
from typing import Any

import pytest
from kernel_cors import CORSConfig

from kernel import APIGatewayRestResolver, App, PluginNotFoundError, Router
from kernel import plugins as plugin_loading
from kernel.app import BaseApp
from kernel.compat import APP_SETTING_PLUGINS, ROUTE_OPTION_PLUGINS
from kernel.plugins import PluginNotInAppError
from tests.events import rest_event

ORIGIN = "https://app.example.com"
METHODS = ["get", "post", "put", "delete", "patch", "head"]


@pytest.fixture(autouse=True)
def no_allow_list(monkeypatch):
    """These tests are about the app's own plugins: no KERNEL_PLUGINS from the environment."""
    monkeypatch.delenv(plugin_loading.ALLOW_LIST_ENV, raising=False)


@pytest.fixture
def only_rest_installed(monkeypatch):
    """Discovery as if only the rest plugin were installed (no cors, no compression)."""
    everything = plugin_loading.installed()
    monkeypatch.setattr(plugin_loading, "_entry_points", {"rest": everything["rest"]})
    monkeypatch.setattr(plugin_loading, "_loaded", {})


def handler() -> dict[str, Any]:
    return {"ok": True}


def listed_message(what: str, plugin: str) -> str:
    return f"{what} needs the kernel plugin {plugin!r}, which the app's plugins=[...] does not name: add {plugin!r} to the list."


def test_compat_declares_which_plugin_each_option_needs():
    assert ROUTE_OPTION_PLUGINS == {"cors": "cors", "compress": "compression", "enable_validation": "validation"}
    assert APP_SETTING_PLUGINS == {"cors": "cors"}


# -- route options, in an app that lists its plugins ---------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_cors_route_without_the_plugin_raises_at_decoration(method):
    app = App(plugins=["rest"])
    decorator = getattr(app, method)("/todos", cors=True)  # the options are only read by the decorator
    with pytest.raises(PluginNotFoundError) as info:
        decorator(handler)
    assert str(info.value) == listed_message(f"cors=True on route {method.upper()} /todos", "cors")
    assert info.value.name == "cors"
    assert isinstance(info.value, PluginNotInAppError)
    assert app.routes == []


@pytest.mark.parametrize("method", METHODS)
def test_compressed_route_without_the_plugin_raises_at_decoration(method):
    app = App(plugins=["rest"])
    with pytest.raises(PluginNotFoundError) as info:
        getattr(app, method)("/report", compress=True)(handler)
    assert str(info.value) == listed_message(f"compress=True on route {method.upper()} /report", "compression")
    assert info.value.name == "compression"
    assert app.routes == []


def test_a_route_of_several_methods_is_refused_before_any_is_added():
    app = App(plugins=["rest"])
    with pytest.raises(PluginNotFoundError, match=r"^cors=True on route GET /todos needs the kernel plugin 'cors'"):
        app.route("/todos", ["GET", "POST"], cors=True)(handler)
    assert app.routes == []
    # The first option in compat's order is checked first; both are reported the same way.
    with pytest.raises(PluginNotFoundError, match=r"^cors=True on route POST /todos "):
        app.route("/todos", "POST", cors=True, compress=True)(handler)


def test_the_message_shows_the_rule_as_the_app_stores_it():
    # A REST resolver drops trailing slashes from rules, so the message does too.
    app = APIGatewayRestResolver(plugins=["rest"])
    with pytest.raises(PluginNotFoundError) as info:
        app.get("/todos/<todo_id>/", compress=True)(handler)
    assert str(info.value) == listed_message("compress=True on route GET /todos/<todo_id>", "compression")


def test_options_switched_off_never_need_a_plugin():
    app = App(plugins=["rest"])
    app.get("/a", cors=False, compress=False)(handler)
    app.get("/b", cors=None)(handler)
    app.get("/c")(handler)
    assert [route.path for route in app.routes] == ["/a", "/b", "/c"]
    reply = app(rest_event("GET", "/a", headers={"Origin": ORIGIN, "Accept-Encoding": "gzip"}), None)
    assert reply == {
        "statusCode": 200,
        "body": '{"ok":true}',
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["application/json"]},
    }


def test_with_the_plugins_listed_the_options_work():
    app = App(plugins=["rest", "cors", "compression"])
    app.get("/big", cors=True, compress=True)(lambda: {"data": "x" * 2000})
    reply = app(rest_event("GET", "/big", headers={"Origin": ORIGIN, "Accept-Encoding": "gzip"}), None)
    assert reply["multiValueHeaders"]["Access-Control-Allow-Origin"] == ["*"]
    assert reply["multiValueHeaders"]["Content-Encoding"] == ["gzip"]


def test_a_default_app_has_the_installed_feature_plugins():
    app = App()
    app.get("/big", cors=True, compress=True)(handler)
    assert [route.path for route in app.routes] == ["/big"]


# -- the app-wide CORS setting ---------------------------------------------------------


def test_app_cors_config_without_the_plugin_in_the_list_raises_when_built():
    with pytest.raises(PluginNotFoundError) as info:
        App(plugins=["rest"], cors=CORSConfig(allow_origin=ORIGIN))
    assert str(info.value) == listed_message("cors=CORSConfig(...) on the app", "cors")
    assert info.value.name == "cors"
    with pytest.raises(PluginNotFoundError, match=r"^cors=CORSConfig\(\.\.\.\) on the app needs the kernel plugin 'cors'"):
        APIGatewayRestResolver(plugins=[], cors=CORSConfig())


def test_any_app_cors_value_but_none_needs_the_plugin():
    # Not only CORSConfig instances: anything but None turns CORS on for every route.
    with pytest.raises(PluginNotFoundError) as info:
        App(plugins=["rest"], cors=True)
    assert str(info.value) == listed_message("cors=True on the app", "cors")
    assert App(plugins=["rest"], cors=None).cors is None


def test_app_cors_config_with_the_plugin_answers_with_cors_headers():
    for app in (App(plugins=["rest", "cors"], cors=CORSConfig(allow_origin=ORIGIN)), App(cors=CORSConfig(allow_origin=ORIGIN))):
        app.get("/todos")(handler)
        reply = app(rest_event("GET", "/todos", headers={"Origin": ORIGIN}), None)
        assert reply["multiValueHeaders"]["Access-Control-Allow-Origin"] == [ORIGIN]


# -- routers: checked when the app includes them -------------------------------------


def router_with_a_cors_route() -> Router:
    router = Router()
    router.get("/plain")(handler)
    # A router knows no app yet: this is accepted here...
    router.get("/shared", cors=True)(handler)
    router.use([lambda app, next_middleware: next_middleware(app)])
    router.append_context(tenant="a")

    @router.exception_handler(KeyError)
    def missing(error: KeyError) -> dict[str, Any]:
        return {"missing": str(error)}

    return router


def test_a_router_route_is_checked_when_the_app_includes_it():
    router = router_with_a_cors_route()
    app = App(plugins=["rest"])
    # ...and refused when an app without the plugin includes it, under its prefix.
    with pytest.raises(PluginNotFoundError) as info:
        app.include_router(router, prefix="/v1")
    assert str(info.value) == listed_message("cors=True on route GET /v1/shared", "cors")
    # Nothing of the router was taken: the app is as it was.
    assert app.routes == []
    assert app._router_middlewares == []
    assert app._exception_handlers == {}
    assert app.context == {}
    assert router.api_resolver is None

    with_cors = App(plugins=["rest", "cors"])
    with_cors.include_router(router, prefix="/v1")
    assert [route.path for route in with_cors.routes] == ["/v1/plain", "/v1/shared"]
    assert router.api_resolver is with_cors


# -- plugins that are not installed ----------------------------------------------------


@pytest.mark.usefixtures("only_rest_installed")
def test_without_the_plugins_installed_the_message_says_what_to_install():
    app = App()
    with pytest.raises(PluginNotFoundError) as info:
        app.get("/todos", cors=True)(handler)
    assert str(info.value) == f"cors=True on route GET /todos needs a plugin the app does not have. {PluginNotFoundError('cors')}"
    assert re.search(r"kernel\[cors\]", str(info.value))
    with pytest.raises(PluginNotFoundError) as info:
        app.get("/report", compress=True)(handler)
    assert str(info.value) == (
        f"compress=True on route GET /report needs a plugin the app does not have. {PluginNotFoundError('compression')}"
    )
    assert re.search(r"kernel\[compression\]", str(info.value))
    with pytest.raises(PluginNotFoundError, match=r"kernel\[cors\]") as info:
        App(cors=CORSConfig())
    assert str(info.value).startswith("cors=CORSConfig(...) on the app needs a plugin the app does not have. ")
    # The same app without those options is fine.
    app.get("/todos")(handler)
    assert app(rest_event("GET", "/todos"), None)["statusCode"] == 200


# -- the generic mechanism and its other messages -------------------------------------


def test_unregistering_a_plugin_the_routes_need_is_named_in_the_message():
    app = App(plugins=["rest", "cors"])
    app.unregister_plugin(app.plugin_manager.get_plugin("cors"))
    with pytest.raises(PluginNotFoundError) as info:
        app.get("/todos", cors=True)(handler)
    assert str(info.value) == "cors=True on route GET /todos needs the kernel plugin 'cors', which was unregistered from the app."


def test_base_app_checks_any_option_it_is_told_about():
    # The kernel knows no option by name: the mapping it is given decides.
    app = BaseApp(plugins=["rest"], route_plugins={"cache_control": "compression"})
    app._add_route("/free", "GET", handler, {"compress": True})
    with pytest.raises(PluginNotFoundError) as info:
        app._add_route("/cached", "GET", handler, {"cache_control": "max-age=60"})
    assert str(info.value) == listed_message("cache_control='max-age=60' on route GET /cached", "compression")


def test_base_app_requirements_and_opt_in_plugins():
    # A plugin that is not loaded on demand (here a source, left out by opt_in) is not added by `requires`.
    with pytest.raises(PluginNotFoundError) as info:
        BaseApp(requires={"report=True": "alb"}, opt_in={"alb": "used only with report=True"})
    assert str(info.value) == (
        "report=True on the app needs the kernel plugin 'alb', which the app left out (used only with report=True)."
    )
    assert BaseApp(requires={"report=True": "alb"}).plugin_manager.has_plugin("alb")
    # One loaded on demand is added, whatever opt_in says of it.
    app = BaseApp(requires={"report=True": "compression"}, opt_in={"compression": "used only with report=True"})
    assert app.plugin_manager.has_plugin("compression")


def test_the_error_survives_pickling():
    error = PluginNotInAppError("cors", "cors=True on route GET / needs the kernel plugin 'cors'.")
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.name, str(copy)) == (PluginNotInAppError, "cors", str(error))
