"""An app imports only the plugins it uses: its own source, and features when it asks for them."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from kernel import APIGatewayRestResolver, App, hookimpl, manifest, plugins
from kernel.plugins import selection_reason
from tests.events import rest_event

REPO = Path(__file__).resolve().parents[2]
SOURCES = ["alb", "bedrock", "bedrock-function", "function-url", "http", "lattice", "lattice-v2", "rest"]


@pytest.fixture(autouse=True)
def no_allow_list(monkeypatch):
    monkeypatch.delenv(plugins.ALLOW_LIST_ENV, raising=False)


def imported_after(code: str) -> list[str]:
    """The plugin packages a fresh interpreter has imported after running ``code``."""
    script = code + textwrap.dedent(
        """
        import sys
        print(sorted({name.split(".")[0] for name in sys.modules if name.startswith("kernel_")}))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.replace("'", '"'))


def test_the_declarations_of_the_built_in_plugins():
    assert sorted(plugins.sources()) == SOURCES
    assert sorted(plugins.on_demand()) == ["compression", "cors", "openapi", "swagger", "validation"]


def test_a_pinned_app_imports_its_source_and_no_other():
    assert imported_after("from kernel import APIGatewayRestResolver\nAPIGatewayRestResolver()\n") == ["kernel_rest"]
    assert imported_after("from kernel import ALBResolver\nALBResolver()\n") == ["kernel_alb"]


def test_an_unpinned_app_imports_every_source():
    found = imported_after("from kernel import App\nApp()\n")
    sources = ["kernel_alb", "kernel_bedrock", "kernel_bedrock_function", "kernel_function_url", "kernel_http"]
    sources += ["kernel_lattice", "kernel_rest"]
    assert found == sources


@pytest.mark.parametrize(
    ("code", "plugin"),
    [
        ("app = APIGatewayRestResolver()\napp.get('/a', cors=True)(lambda: {})\n", "kernel_cors"),
        ("from kernel import CORSConfig\napp = APIGatewayRestResolver(cors=CORSConfig())\n", "kernel_cors"),
        ("app = APIGatewayRestResolver(enable_validation=True)\n", "kernel_validation"),
        ("app = APIGatewayRestResolver()\napp.get_openapi_json_schema()\n", "kernel_openapi"),
    ],
    ids=["cors-route", "cors-config", "validation", "openapi"],
)
def test_a_feature_is_imported_when_the_app_uses_it(code, plugin):
    found = imported_after("from kernel import APIGatewayRestResolver\n" + code)
    assert plugin in found
    assert not {"kernel_http", "kernel_alb", "kernel_swagger"} & set(found)


def test_a_feature_used_after_the_app_answered_joins_its_pipeline():
    app = APIGatewayRestResolver()

    @app.get("/plain")
    def plain():
        return {"plain": True}

    assert "cors" not in dict(app.plugin_manager.list_name_plugin())
    assert app(rest_event("GET", "/plain"), None)["statusCode"] == 200

    @app.get("/open", cors=True)
    def open_route():
        return {"open": True}

    assert selection_reason(app.plugin_manager).reason_for("cors") == "cors=True on route GET /open"
    response = app(rest_event("GET", "/open", headers={"Origin": "https://a.example"}), None)
    assert response["multiValueHeaders"]["Access-Control-Allow-Origin"] == ["*"]


def test_an_app_method_brings_its_plugin_in():
    app = APIGatewayRestResolver()
    assert not app.plugin_manager.has_plugin("openapi")
    app.get_openapi_schema()
    assert selection_reason(app.plugin_manager).reason_for("openapi") == "get_openapi_schema (kernel.app_methods)"


def test_a_listed_app_still_names_its_features():
    with pytest.raises(plugins.PluginNotInAppError, match="does not name: add 'cors' to the list"):
        APIGatewayRestResolver(plugins=["rest"]).get("/a", cors=True)(lambda: {})


# -- third-party plugins ---------------------------------------------------------------


class PoweredBy:
    @hookimpl
    def build_response(self, response: Any) -> None:
        response.headers["X-Powered-By"] = "third-party"


POWERED_BY = PoweredBy()


def installed_with(monkeypatch, *, on_demand: bool) -> None:
    """Discovery as if a third-party ``powered-by`` plugin were installed, declared on demand or not."""
    found = plugins.discovery()
    groups = {group: dict(entries) for group, entries in found.groups.items()}
    declaration = manifest.Declaration("powered-by", f"{__name__}:POWERED_BY", plugins.GROUP)
    groups[plugins.GROUP]["powered-by"] = declaration
    if on_demand:
        groups[plugins.ON_DEMAND_GROUP]["powered-by"] = declaration._replace(group=plugins.ON_DEMAND_GROUP)
    monkeypatch.setattr(plugins, "_discovery", found._replace(groups=groups))
    monkeypatch.setattr(plugins, "_entry_points", None)
    monkeypatch.setattr(plugins, "_loaded", {})


def headers(app: App) -> dict[str, Any]:
    app.get("/")(lambda: {})
    return app(rest_event("GET", "/"), None)["multiValueHeaders"]


def test_a_third_party_plugin_that_declares_nothing_joins_every_default_app(monkeypatch):
    installed_with(monkeypatch, on_demand=False)
    assert headers(APIGatewayRestResolver())["X-Powered-By"] == ["third-party"]


def test_a_third_party_plugin_declared_on_demand_joins_only_apps_that_ask(monkeypatch):
    installed_with(monkeypatch, on_demand=True)
    app = APIGatewayRestResolver()
    assert "X-Powered-By" not in headers(app)
    assert selection_reason(app.plugin_manager).left_out["powered-by"] == "loaded when the app uses it"
    assert headers(APIGatewayRestResolver(plugins=["rest", "powered-by"]))["X-Powered-By"] == ["third-party"]
