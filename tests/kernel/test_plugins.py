"""Plugins: choosing them per app, the hooks in action, missing plugins, discovery."""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
import textwrap
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pytest

from kernel import (
    ALBResolver,
    APIGatewayRestResolver,
    App,
    BaseRequest,
    PluginLoadError,
    PluginNotFoundError,
    Response,
    UnknownEventError,
    hookimpl,
    scanning,
)
from kernel import plugins as plugin_loading
from kernel.routing import Route
from tests.events import rest_event
from tests.kernel.helpers import NOT_FOUND, call, json_response, rest_app

REPO = Path(__file__).resolve().parents[2]


def names(app: Any) -> list[str]:
    return [name for name, _ in app.plugin_manager.list_name_plugin()]


# -- a minimal third-party event source, used as a plugin object -------------------


class PingRequest(BaseRequest):
    """Events shaped ``{"ping": "/path"}``."""

    @property
    def http_method(self) -> str:
        return "GET"

    @property
    def path(self) -> str:
        return self._data["ping"]

    @property
    def headers(self) -> dict[str, str]:
        return {}

    @property
    def query_string_parameters(self) -> None:
        return None

    @property
    def body(self) -> None:
        return None

    @property
    def is_base64_encoded(self) -> bool:
        return False


def test_header_text_follows_a_source_s_own_get_header_value():
    # A third-party source that reads headers its own way: plugins (CORS, compression)
    # read them through header_text, which must give what its get_header_value gives.
    class Shouting(PingRequest):
        def get_header_value(self, name: str, default_value: str | None = None, case_sensitive: bool = False) -> str | None:
            return name.upper()

    request = Shouting({"ping": "/"})
    assert request.header_text("Origin") == "ORIGIN"
    assert PingRequest({"ping": "/"}).header_text("Origin", "none") == "none"


class PingSource:
    """A source plugin object: recognises ping events and answers a flat dict."""

    plugin_name = "ping"

    @hookimpl
    def parse_event(self, event: Any) -> PingRequest | None:
        if isinstance(event, dict) and "ping" in event:
            return PingRequest(event)
        return None

    # Called only for the requests this plugin parsed: no need to check the request's type.
    @hookimpl(trylast=True)
    def build_response(self, request: BaseRequest, response: Response[Any]) -> dict[str, Any] | None:
        return {"status": response.status_code, "headers": dict(response.headers), "body": response.body}


# -- choosing plugins ------------------------------------------------------------


def test_plugins_by_name_uses_only_those_plus_built_ins():
    app = App(plugins=["rest"])
    assert names(app) == ["kernel.matching", "rest"]
    assert plugin_loading.describe(app.plugin_manager) == [
        ("kernel.matching", ["match_route"]),
        ("rest", ["build_response", "parse_event"]),
    ]


def test_pinned_resolver_adds_its_own_source():
    app = APIGatewayRestResolver(plugins=[])
    assert names(app) == ["kernel.matching", "rest"]


def test_plugin_object_is_used_alone():
    app = App(plugins=[PingSource()])
    assert names(app) == ["kernel.matching", "ping"]

    @app.get("/hello")
    def hello():
        return {"path": app.current_event.path}

    assert app({"ping": "/hello"}) == {
        "status": 200,
        "headers": {"Content-Type": "application/json"},
        "body": '{"path":"/hello"}',
    }
    # The rest plugin is not part of this app, so a REST event is unknown to it.
    with pytest.raises(UnknownEventError, match="No event source plugin of this app recognises the event"):
        app(rest_event("GET", "/hello"))


def test_names_and_objects_together_and_source_detection():
    app = App(plugins=["rest", PingSource()])

    @app.get("/hello")
    def hello():
        return {"source": type(app.current_event).__name__}

    assert app({"ping": "/hello"})["body"] == '{"source":"PingRequest"}'
    assert call(app, "GET", "/hello") == json_response(200, {"source": "APIGatewayProxyEvent"})


def test_app_pinned_to_a_third_party_source_by_name():
    source = PingSource()
    app = App(plugins=["rest", source], source="ping")

    @app.get("/hello")
    def hello():
        return {"ok": True}

    assert app({"ping": "/hello"})["status"] == 200
    # Pinned: only the ping plugin's parse_event is asked, so a REST event is not served.
    with pytest.raises(UnknownEventError):
        app(rest_event("GET", "/hello"))


def test_register_and_unregister_plugin_on_one_app():
    class Stamp:
        @hookimpl
        def build_response(self, response: Response[Any]) -> None:
            response.headers["X-Stamp"] = "1"

    app = rest_app()
    other = rest_app()

    @app.get("/x")
    def x():
        return {}

    @other.get("/x")
    def other_x():
        return {}

    call(app, "GET", "/x")  # the per-request path is prepared, then prepared again below
    stamp = Stamp()
    app.register_plugin(stamp, name="stamp")
    assert call(app, "GET", "/x") == json_response(200, {}, {"X-Stamp": ["1"]})
    assert call(other, "GET", "/x") == json_response(200, {})
    app.unregister_plugin(stamp)
    assert call(app, "GET", "/x") == json_response(200, {})


# -- the hooks ----------------------------------------------------------------------


def test_plugin_replaces_the_default_matcher():
    class CaseInsensitiveMatcher:
        @hookimpl(tryfirst=True)
        def match_route(self, app: Any, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
            return app.route_table.match(method, path.lower())

    app = rest_app(plugins=["rest", CaseInsensitiveMatcher()])

    @app.get("/users/<name>")
    def user(name):
        return {"name": name}

    assert call(app, "GET", "/USERS/Bob") == json_response(200, {"name": "bob"})


def test_matcher_plugin_result_wins_over_the_route_table():
    calls: list[tuple[str, str]] = []

    class Everything:
        @hookimpl(tryfirst=True)
        def match_route(self, app: Any, method: str, path: str, request: BaseRequest) -> tuple[Route, dict[str, str]]:
            calls.append((method, path))
            return app.routes[0], {"anything": path}

    app = rest_app(plugins=["rest", Everything()])

    @app.get("/fixed")
    def fixed(anything):
        return {"anything": anything}

    @app.get("/other")
    def other():
        return {"other": True}

    assert call(app, "POST", "/other/deep") == json_response(200, {"anything": "/other/deep"})
    assert calls == [("POST", "/other/deep")]


def test_trylast_matcher_only_sees_what_the_table_left():
    seen: list[str] = []

    class Fallback:
        @hookimpl(trylast=True)
        def match_route(self, app: Any, path: str) -> tuple[Route, dict[str, str]] | None:
            seen.append(path)
            return None

    app = rest_app(plugins=["rest", Fallback()])

    @app.get("/known")
    def known():
        return {}

    call(app, "GET", "/known")
    assert call(app, "GET", "/unknown") == NOT_FOUND
    assert seen == ["/unknown"]


def test_before_handle_short_circuits():
    log: list[str] = []

    class Gate:
        @hookimpl
        def before_handle(self, request: BaseRequest, route: Route) -> Response[Any] | None:
            if request.get_header_value("x-blocked") == "yes":
                return Response(status_code=403, content_type="text/plain", body=f"blocked {route.path}")
            return None

    app = rest_app(plugins=["rest", Gate()])

    def middleware(app, next_middleware):
        log.append("middleware")
        return next_middleware(app)

    app.use([middleware])

    @app.get("/x")
    def x():
        log.append("route")
        return {"ok": True}

    assert call(app, "GET", "/x", headers={"X-Blocked": "yes"}) == {
        "statusCode": 403,
        "body": "blocked /x",
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["text/plain"]},
    }
    assert log == []
    assert call(app, "GET", "/x") == json_response(200, {"ok": True})
    assert log == ["middleware", "route"]


def test_before_handle_can_change_the_arguments_and_its_errors_reach_handlers():
    class Converter:
        @hookimpl
        def before_handle(self, arguments: dict[str, Any]) -> None:
            if "number" in arguments:
                arguments["number"] = int(arguments["number"])

    app = rest_app(plugins=["rest", Converter()])

    @app.exception_handler(ValueError)
    def bad_number(exc):
        return {"error": "not a number"}, 400

    @app.get("/double/<number>")
    def double(number):
        return {"result": number * 2}

    assert call(app, "GET", "/double/21") == json_response(200, {"result": 42})
    assert call(app, "GET", "/double/abc") == json_response(400, {"error": "not a number"})


def test_before_handle_also_runs_for_the_not_found_route():
    seen: list[str] = []

    class Spy:
        @hookimpl
        def before_handle(self, route: Route) -> None:
            seen.append(route.path)

    app = rest_app(plugins=["rest", Spy()])
    assert call(app, "GET", "/missing") == NOT_FOUND
    assert seen == ["/<not_found>"]


def test_build_response_plugin_adds_a_header():
    class PoweredBy:
        @hookimpl
        def build_response(self, route: Route | None, response: Response[Any]) -> None:
            response.headers["X-Powered-By"] = "kernel"
            if route is not None:
                response.headers["X-Route"] = route.path

    app = rest_app(plugins=["rest", PoweredBy()])

    @app.get("/items/<item_id>")
    def item(item_id):
        return {"id": item_id}

    assert call(app, "GET", "/items/1") == json_response(
        200, {"id": "1"}, {"X-Powered-By": ["kernel"], "X-Route": ["/items/<item_id>"]}
    )
    # Error answers pass through build_response as well.
    assert call(app, "GET", "/nope")["multiValueHeaders"] == {
        "Content-Type": ["application/json"],
        "X-Powered-By": ["kernel"],
        "X-Route": ["/<not_found>"],
    }


def test_wrapper_implementation_still_works():
    class Wrapper:
        @hookimpl(wrapper=True)
        def build_response(self, app: Any, request: BaseRequest, route: Route | None, response: Response[Any]):
            response.headers["X-Before"] = "1"
            result = yield
            result["multiValueHeaders"]["X-Wrapped"] = ["yes"]
            return result

    app = rest_app(plugins=["rest", Wrapper()])

    @app.get("/x")
    def x():
        return {"ok": True}

    assert call(app, "GET", "/x") == json_response(200, {"ok": True}, {"X-Before": ["1"], "X-Wrapped": ["yes"]})


def test_old_style_hookwrapper_still_works():
    class OldWrapper:
        @hookimpl(hookwrapper=True)
        def match_route(self, path: str):
            outcome = yield
            if outcome.get_result() is None and path == "/alias":
                outcome.force_result((alias_target[0], {}))

    alias_target: list[Route] = []
    app = rest_app(plugins=["rest", OldWrapper()])

    @app.get("/real")
    def real():
        return {"real": True}

    alias_target.append(app.routes[0])
    assert call(app, "GET", "/alias") == json_response(200, {"real": True})
    assert call(app, "GET", "/other") == NOT_FOUND


def test_implementation_taking_an_unknown_argument_is_refused():
    import pluggy

    class Wrong:
        @hookimpl
        def build_response(self, responze: Any) -> None:
            return None

    with pytest.raises(pluggy.PluginValidationError):
        rest_app(plugins=["rest", Wrong()])


# -- missing plugins -------------------------------------------------------------------


def test_missing_source_by_name_names_the_extra():
    with pytest.raises(PluginNotFoundError, match=r'pip install --no-index --find-links dist "kernel\[nope\]"') as info:
        App(source="nope")
    assert info.value.name == "nope"
    # The whole message: the command installs from the wheelhouse only, since on the public
    # index the name `kernel` belongs to another project.
    assert str(info.value) == (
        "The kernel plugin 'nope' is not installed. Install it from the wheelhouse that scripts/wheelhouse builds,"
        " never by name from the public index (where 'kernel' is another project):"
        ' pip install --no-index --find-links dist "kernel[nope]"'
        " (or the distribution that provides it, for a third-party plugin)"
    )


def test_missing_plugin_in_the_list_names_the_extra():
    with pytest.raises(PluginNotFoundError, match=r'pip install --no-index --find-links dist "kernel\[nope\]"'):
        App(plugins=["rest", "nope"])


@pytest.fixture
def only_rest_installed(monkeypatch):
    """Discovery as if only the rest plugin were installed."""
    everything = plugin_loading.installed()
    monkeypatch.setattr(plugin_loading, "_entry_points", {"rest": everything["rest"]})
    monkeypatch.setattr(plugin_loading, "_loaded", {})


@pytest.mark.usefixtures("only_rest_installed")
def test_resolver_whose_plugin_is_absent_names_the_extra():
    with pytest.raises(PluginNotFoundError, match=r'pip install --no-index --find-links dist "kernel\[alb\]"'):
        ALBResolver()
    with pytest.raises(PluginNotFoundError, match=r'pip install --no-index --find-links dist "kernel\[alb\]"'):
        ALBResolver(plugins=[])
    # The source that is installed still works.
    assert call(rest_app(), "GET", "/") == NOT_FOUND


def test_plugin_that_fails_to_import_is_a_load_error(monkeypatch):
    broken = EntryPoint(name="broken", value="kernel_no_such_module_xyz", group=plugin_loading.GROUP)
    monkeypatch.setattr(plugin_loading, "_entry_points", {**plugin_loading.installed(), "broken": broken})
    monkeypatch.setattr(plugin_loading, "_loaded", {})
    with pytest.raises(PluginLoadError, match=r"'broken' .*failed to load"):
        App(plugins=["broken"])


# -- describe and discovery ---------------------------------------------------------


def test_describe_lists_each_plugin_and_its_hooks():
    class Everything:
        plugin_name = "everything"

        @hookimpl
        def before_handle(self) -> None:
            return None

        @hookimpl
        def emit_schema(self, schema: dict[str, Any]) -> None:
            return None

    app = App(plugins=["rest", Everything()])
    assert plugin_loading.describe(app.plugin_manager) == [
        ("kernel.matching", ["match_route"]),
        ("rest", ["build_response", "parse_event"]),
        ("everything", ["before_handle", "emit_schema"]),
    ]


def test_installed_finds_the_rest_entry_point():
    entry_point = plugin_loading.installed()["rest"]
    assert (entry_point.group, entry_point.value) == ("kernel.plugins", "kernel_rest:source")


def _drop_root_file_override() -> None:  # pragma: no cover - runs in the child process
    """Make a root child obey file permissions, as on Lambda (where the home is read-only).

    Root ignores mode bits through CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH; dropping
    both from the bounding set before exec removes them from the new process.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


DISCOVERY_SCRIPT = textwrap.dedent(
    """
    import json, sys, tempfile
    if sys.argv[1] == "cached":
        # Prove the entry points come from the cache: scanning is made to fail.
        import stevedore._cache
        def no_scan():
            raise AssertionError("stevedore rescanned the installed distributions")
        stevedore._cache._build_cacheable_data = no_scan
    from kernel import APIGatewayRestResolver, scanning
    app = APIGatewayRestResolver(plugins=["rest"])

    @app.get("/hello")
    def hello():
        return {"hello": "world"}

    event = json.loads(sys.argv[2])
    print(json.dumps({
        "response": app(event, None),
        "cache_dir": scanning.entry_point_cache_dir(),
        "tempdir": tempfile.gettempdir(),
    }))
    """
)


def run_discovery(mode: str, env: dict[str, str]) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", DISCOVERY_SCRIPT, mode, json.dumps(rest_event("GET", "/hello"))],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=_drop_root_file_override if os.geteuid() == 0 else None,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_discovery_with_a_read_only_home_caches_under_the_temp_directory(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o555)
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "XDG_CACHE_HOME"}
    env.update(HOME=str(home), TMPDIR=str(temp), PYTHONPATH=str(REPO))
    cache_dir = temp / "kernel-entry-points"
    try:
        first = run_discovery("scan", env)
        assert first["response"] == json_response(200, {"hello": "world"})
        assert first["tempdir"] == str(temp)
        assert first["cache_dir"] == str(cache_dir)
        assert list(home.iterdir()) == []  # nothing could be, or was, written to the home
        cache_files = sorted(path.name for path in cache_dir.iterdir())
        # stevedore's cache of its scan, and the kernel's own of what it needs.
        assert len(cache_files) == 2
        ours = [name for name in cache_files if name.startswith("kernel-")]
        (theirs,) = set(cache_files) - set(ours)
        assert any(ep[0] == "rest" for ep in json.loads((cache_dir / theirs).read_text())["groups"]["kernel.plugins"])
        assert json.loads((cache_dir / ours[0]).read_text())["groups"]["kernel.plugins"]["rest"] == "kernel_rest:source"

        # A second cold start reads that cache instead of scanning again.
        second = run_discovery("cached", env)
        assert second["response"] == first["response"]
        assert sorted(path.name for path in cache_dir.iterdir()) == cache_files
    finally:
        home.chmod(0o755)


def test_cache_dir_prefers_a_writable_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert scanning.entry_point_cache_dir() == str(tmp_path / "cache" / "python-entrypoints")


def test_import_kernel_is_light_and_an_app_loads_only_its_plugins():
    script = textwrap.dedent(
        """
        import json, sys

        def loaded():
            return sorted({name.split(".")[0] for name in sys.modules if name.split(".")[0].startswith(("kernel_", "pydantic"))})

        import kernel
        after_import = loaded()
        from kernel import APIGatewayRestResolver
        APIGatewayRestResolver(plugins=["rest"])
        print(json.dumps({"import": after_import, "app": loaded()}))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"import": [], "app": ["kernel_rest"]}


# -- what a pinned app runs ----------------------------------------------------------


class NosySource(PingSource):
    """A second source whose other hooks record every request they see."""

    plugin_name = "nosy"

    def __init__(self) -> None:
        self.seen: list[str] = []

    @hookimpl
    def before_handle(self, request: BaseRequest) -> None:
        self.seen.append(f"before_handle {type(request).__name__}")

    # Not trylast: it runs before the sources' own builders, whatever their order.
    @hookimpl
    def build_response(self, request: BaseRequest, response: Response[Any]) -> dict[str, Any] | None:
        self.seen.append(f"build_response {type(request).__name__}")
        return PingSource.build_response(self, request, response)


def test_a_pinned_app_runs_no_hook_of_another_source():
    nosy = NosySource()
    app = APIGatewayRestResolver(plugins=["rest", nosy])

    @app.get("/hello")
    def hello():
        return {"ok": True}

    assert app(rest_event("GET", "/hello"))["statusCode"] == 200
    assert nosy.seen == []


def test_an_unpinned_app_runs_a_source_hooks_only_for_its_own_requests():
    nosy = NosySource()
    app = App(plugins=["rest", nosy])

    @app.get("/hello")
    def hello():
        return {"ok": True}

    # A REST request never reaches the other source's hooks...
    assert app(rest_event("GET", "/hello"))["statusCode"] == 200
    assert nosy.seen == []
    # ...and a request the other source parsed runs them, and not REST's.
    assert app({"ping": "/hello"})["status"] == 200
    assert nosy.seen == ["before_handle PingRequest", "build_response PingRequest"]


def test_validation_is_used_only_by_apps_that_enable_it():
    assert "validation" in plugin_loading.installed()
    assert "validation" not in names(APIGatewayRestResolver())
    assert "validation" in names(APIGatewayRestResolver(enable_validation=True))
    assert "validation" in names(APIGatewayRestResolver(plugins=["rest"], enable_validation=True))


def test_import_kernel_does_not_load_discovery():
    """Discovery (stevedore, importlib.metadata) is paid when an app or a plugin's name needs it."""
    script = (
        "import sys, kernel; print(sorted(m for m in ('stevedore', 'importlib.metadata', 'kernel.plugins') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_sync_app_never_imports_the_async_machinery():
    """kernel.concurrency (threading, asyncio) is imported by apps that run async code, not by every cold start."""
    script = textwrap.dedent(
        """
        import sys
        from kernel import APIGatewayRestResolver
        from kernel.testing import Client

        app = APIGatewayRestResolver(plugins=["rest"])

        @app.get("/hello")
        def hello():
            return {"message": "hello"}

        assert Client(app).get("/hello").json() == {"message": "hello"}
        print(sorted(m for m in ("kernel.concurrency", "threading", "asyncio") if m in sys.modules))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
