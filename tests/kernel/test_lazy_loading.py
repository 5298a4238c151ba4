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


# -- the kernel's own modules ------------------------------------------------------------

# Imported only by apps that use what they hold.
ON_USE = ("kernel.injection", "kernel.chains", "kernel.cookies", "kernel.concurrency")


def kernel_modules_after(code: str) -> dict[str, Any]:
    """What ``code`` printed last (as JSON), and which of :data:`ON_USE` a fresh interpreter imported running it."""
    script = textwrap.dedent(code) + textwrap.dedent(
        f"""
        import json, sys
        print(json.dumps(sorted(name for name in {ON_USE!r} if name in sys.modules)))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    *printed, modules = result.stdout.strip().splitlines()
    return {"printed": json.loads(printed[-1]) if printed else None, "modules": json.loads(modules)}


APP = """
from __future__ import annotations

import json
from kernel import APIGatewayRestResolver
from kernel.testing import Client

app = APIGatewayRestResolver()
"""


def test_an_app_without_middlewares_or_dependencies_imports_neither():
    found = kernel_modules_after(
        APP
        + """
@app.get("/hello/<name>")
def hello(name: str) -> dict:
    return {"message": f"hello {name}"}

print(json.dumps(Client(app).get("/hello/ada").json()))
"""
    )
    assert found == {"printed": {"message": "hello ada"}, "modules": []}


def test_an_app_with_a_middleware_imports_the_chain_builder_and_injection():
    # Injection too: a middleware may ask for the Request or a dependency.
    found = kernel_modules_after(
        APP
        + """
def tag(app, next_middleware):
    response = next_middleware(app)
    response.headers["X-Tag"] = "yes"
    return response

app.use([tag])

@app.get("/hello")
def hello() -> dict:
    return {"message": "hello"}

answer = Client(app).get("/hello")
print(json.dumps([answer.json(), answer.headers["X-Tag"]]))
"""
    )
    assert found == {"printed": [{"message": "hello"}, "yes"], "modules": ["kernel.chains", "kernel.injection"]}


def test_a_route_taking_the_request_or_a_dependency_gets_them_in_a_fresh_process():
    # The names are imported after the routes are declared (string annotations): what
    # counts is that the app's module imported them before its first request.
    found = kernel_modules_after(
        APP
        + """
from typing import Annotated

@app.get("/who/<name>")
def who(name: str, request: Request, greeting: Annotated[str, Depends(lambda: "hi")]) -> dict:
    return {"route": request.route, "name": name, "greeting": greeting}

from kernel import Depends, Request

print(json.dumps(Client(app).get("/who/ada").json()))
"""
    )
    assert found == {"printed": {"route": "/who/{name}", "name": "ada", "greeting": "hi"}, "modules": ["kernel.injection"]}


def test_a_response_with_cookies_imports_the_cookie_module_and_sets_them():
    found = kernel_modules_after(
        APP
        + """
from kernel import Cookie, Response

@app.get("/login")
def login():
    return Response(200, "text/plain", "ok", cookies=[Cookie(name="session", value="abc")])

print(json.dumps(Client(app).get("/login").headers["Set-Cookie"]))
"""
    )
    assert found == {"printed": "session=abc; Secure", "modules": ["kernel.cookies"]}


def test_a_kernel_submodule_is_never_looked_up_as_a_plugin_name():
    """``from kernel import manifest`` imports that module, without discovering plugins first."""
    script = (
        "import sys\nfrom kernel import manifest\n"
        "print(manifest.__name__, sorted(m for m in ('kernel.plugins', 'kernel.scanning', 'stevedore') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "kernel.manifest []"


def test_every_public_name_of_kernel_resolves_and_is_listed_by_dir():
    import kernel

    for name in kernel.__all__:
        assert getattr(kernel, name) is not None, name
    assert set(kernel.__all__) <= set(dir(kernel))
    with pytest.raises(AttributeError, match="no attribute 'NoSuchName'"):
        kernel.NoSuchName  # noqa: B018


def test_the_names_type_checkers_see_are_the_names_kernel_imports_on_first_use():
    """kernel/__init__.py lists each name twice: for type checkers (imports under TYPE_CHECKING) and in _HOMES."""
    import ast

    import kernel

    tree = ast.parse(Path(kernel.__file__).read_text(encoding="utf-8"))
    (block,) = [node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"]
    seen = {
        alias.asname or alias.name: node.module for node in block.body if isinstance(node, ast.ImportFrom) for alias in node.names
    }
    assert seen == {name: home for name, home in kernel._HOMES.items() if name != "HttpResolver"}
