"""The ``kernel`` command's edges: --version, events on standard input, events no source takes, ``plugins APP``."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest

from kernel import App, cli, plugins
from tests.events import rest_event

KERNEL = Path(sys.executable).with_name("kernel")


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run ``kernel ARGS`` in this process, as the ``kernel`` script would: exit status, standard output and error.

    In-process to keep the tests quick; the script itself is run by
    test_version_is_the_installed_distributions and tests/kernel/test_cli_docs.py.
    """

    def run_kernel(*args: str, cwd: Path, stdin: str = "", env: dict[str, str] | None = None) -> Result:
        with monkeypatch.context() as patch:
            patch.chdir(cwd)
            patch.setattr(sys, "stdin", io.StringIO(stdin))
            patch.setattr(sys, "path", list(sys.path))  # load_app puts the current directory on it
            patch.delitem(sys.modules, "apps", raising=False)  # and imports this test's apps.py anew
            patch.delenv(plugins.ALLOW_LIST_ENV, raising=False)
            for name, value in (env or {}).items():
                patch.setenv(name, value)
            try:
                code = cli.main(list(args))
            except SystemExit as exc:
                # What the interpreter does with SystemExit at the top of the script.
                if isinstance(exc.code, str):
                    print(exc.code, file=sys.stderr)
                    code = 1
                else:
                    code = exc.code or 0
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run_kernel


def event_of(source: str, method: str = "GET", path: str = "/hello/ana") -> dict:
    ((_, plugin),) = plugins.load([source])
    return plugin.event(method, path)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Apps in ``apps.py``: ``rest_app`` (pinned to rest), ``two`` (rest and http), ``featured`` (rest and cors)."""
    (tmp_path / "apps.py").write_text(
        textwrap.dedent(
            """
            from kernel import APIGatewayRestResolver, App

            rest_app = APIGatewayRestResolver(plugins=["rest"])
            two = App(plugins=["rest", "http"])
            featured = App(plugins=["rest", "cors"])


            def lambda_handler(event, context):
                return two.resolve(event, context)


            for app in (rest_app, two, featured):
                app.get("/hello/<name>")(lambda name: {"hello": name})
            """
        )
    )
    return tmp_path


# -- kernel --version --------------------------------------------------------------------


def test_version_is_the_installed_distributions(project):
    result = subprocess.run([str(KERNEL), "--version"], cwd=project, capture_output=True, text=True, timeout=60, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"kernel {metadata.version('kernel')}\n", "")


# -- kernel invoke APP - -----------------------------------------------------------------


def test_invoke_reads_the_event_from_standard_input(run, project):
    result = run("invoke", "apps:rest_app", "-", cwd=project, stdin=json.dumps(rest_event("GET", "/hello/ana")))
    assert result.returncode == 0, result.stderr
    assert json.loads(json.loads(result.stdout)["body"]) == {"hello": "ana"}
    assert result.stderr == ""


def test_invoke_with_standard_input_that_is_not_json(run, project):
    result = run("invoke", "apps:rest_app", "-", cwd=project, stdin="{not json")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "kernel: standard input is not JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)\n"
    )


def test_invoke_with_empty_standard_input(run, project):
    result = run("invoke", "apps:rest_app", "-", cwd=project, stdin="")
    assert result.returncode == 1
    assert result.stderr == "kernel: standard input is not JSON: Expecting value: line 1 column 1 (char 0)\n"


# -- an event no source of the app recognises ---------------------------------------------


def test_an_event_no_source_recognises_names_the_apps_sources_only(run, project):
    result = run("invoke", "apps:featured", "-", cwd=project, stdin=json.dumps({"hello": "world"}))
    assert result.returncode == 1
    assert result.stdout == ""
    # cors is a plugin of the app, but no source: it is not named.
    assert result.stderr == "kernel: no event source of the app recognises this event (the app's sources: rest)\n"


def test_an_event_of_a_source_the_app_lacks_says_which_it_looks_like(run, project):
    event = event_of("lattice-v2")
    result = run("invoke", "apps:two", "-", cwd=project, stdin=json.dumps(event))
    assert result.returncode == 1
    assert result.stderr == (
        "kernel: no event source of the app recognises this event (the app's sources: http, rest);"
        " it has the shape of 'lattice-v2' events, a source the app does not have\n"
    )


def test_an_unknown_event_through_a_handler_function_is_one_line_too(run, project):
    result = run("invoke", "apps:lambda_handler", "-", cwd=project, stdin=json.dumps({"hello": "world"}))
    assert result.returncode == 1
    assert result.stderr.startswith("kernel: No event source plugin of this app recognises the event")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


# -- a pinned app fed another source's event --------------------------------------------


@pytest.mark.parametrize("source", ["http", "function-url", "lattice", "lattice-v2", "bedrock"])
def test_a_pinned_app_fed_another_sources_event_gets_a_hint(run, project, source):
    result = run("invoke", "apps:rest_app", "-", cwd=project, stdin=json.dumps(event_of(source)))
    # The response is the app's own (what Lambda would return); the hint goes to standard error.
    assert result.returncode == 0
    response = json.loads(result.stdout)
    assert response["statusCode"] == 400
    assert json.loads(response["body"])["message"].startswith("Malformed event: ")
    assert result.stderr == f"kernel: the app only takes 'rest' events; this event has the shape of {source!r} events\n"


def test_no_hint_for_the_apps_own_events(run, project):
    result = run("invoke", "apps:rest_app", "-", cwd=project, stdin=json.dumps(event_of("rest")))
    assert (result.returncode, result.stderr) == (0, "")


def test_no_hint_for_a_malformed_event_no_source_takes(run, project):
    result = run("invoke", "apps:rest_app", "-", cwd=project, stdin=json.dumps({"path": "/hello/ana"}))
    assert result.returncode == 0
    assert json.loads(result.stdout)["statusCode"] == 400
    assert result.stderr == ""


def test_the_hint_without_the_sources_own_check_reads_the_response(capsys, monkeypatch):
    """A pinned source plugin declaring no ``check``: the 400 Malformed event answer is what tells."""
    app = App(plugins=["rest"], source="rest")
    rest = app.plugin_manager.get_plugin("rest")
    monkeypatch.setattr(type(rest), "check", property(lambda self: None), raising=False)
    monkeypatch.setattr(cli, "load_app", lambda target: app)
    rejected = {"statusCode": 400, "body": json.dumps({"statusCode": 400, "message": "Malformed event: no"})}
    monkeypatch.setattr(App, "__call__", lambda self, event, context: rejected)
    monkeypatch.setattr(cli, "_read_event", lambda location: event_of("http"))
    assert cli.main(["invoke", "app.py", "event.json"]) == 0
    assert capsys.readouterr().err == "kernel: the app only takes 'rest' events; this event has the shape of 'http' events\n"


# -- kernel plugins APP ------------------------------------------------------------------


def table(stdout: str) -> dict[str, list[str]]:
    """The plugin rows of ``kernel plugins``: name -> [where, hooks]."""
    rows = {}
    for line in stdout.splitlines():
        parts = line.split(maxsplit=2)
        if len(parts) == 3 and not line.endswith(":") and not line.startswith(("left out", "KERNEL_PLUGINS=", "discovery:")):
            rows[parts[0]] = parts[1:]
    return rows


def test_plugins_of_an_app_that_lists_its_plugins(run, project):
    result = run("plugins", "apps:featured", cwd=project)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    app = App(plugins=["rest", "cors"])
    assert lines[0] == f"apps:featured uses {plugins.selection_reason(app.plugin_manager).summary()}:"
    assert table(result.stdout) == {
        "kernel.matching": ["built-in", "match_route"],
        "cors": ["kernel_cors", "build_response, match_route"],
        "rest": ["kernel_rest:source", "build_response, parse_event"],
    }
    left_out = sorted(set(plugins.installed()) - {"rest", "cors"})
    assert lines[-1] == f"left out (not in the app's plugins=[...]): {', '.join(left_out)}"


def test_plugins_of_an_app_under_the_allow_list(run, project):
    (project / "open_app.py").write_text("from kernel import App\napp = App()\n")
    result = run("plugins", "open_app.py", cwd=project, env={"KERNEL_PLUGINS": "rest,cors"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "open_app.py uses the installed plugins KERNEL_PLUGINS allows (rest,cors):"
    # cors is allowed, and loaded when the app uses it.
    assert set(table(result.stdout)) == {"kernel.matching", "rest"}
    left_out = sorted(set(plugins.installed()) - {"rest", "cors"})
    assert lines[-2:] == [
        f"left out (not in KERNEL_PLUGINS): {', '.join(left_out)}",
        "left out (loaded when the app uses it): cors",
    ]


def test_plugins_of_an_app_without_the_allow_list(run, project):
    (project / "open_app.py").write_text("from kernel import App\napp = App()\n")
    result = run("plugins", "open_app.py", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "open_app.py uses every installed plugin (KERNEL_PLUGINS is not set):"
    # The plugins loaded on demand wait for the app to use them.
    on_demand = {"validation", "compression", "cors", "openapi", "swagger"}
    assert set(table(result.stdout)) == ({"kernel.matching", *plugins.installed()} - on_demand)


def test_plugins_says_the_allow_list_does_not_apply_to_an_app_listing_its_plugins(run, project):
    result = run("plugins", "apps:two", cwd=project, env={"KERNEL_PLUGINS": "rest"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "apps:two uses the plugins the app lists (plugins=[...]); KERNEL_PLUGINS does not apply to an app that lists its plugins:"
    )
    assert set(table(result.stdout)) == {"kernel.matching", "http", "rest"}


def test_plugins_of_an_app_given_a_plugin_object(capsys, monkeypatch):
    from tests.serve import edge_source

    monkeypatch.setattr(cli, "load_app", lambda target: App(plugins=["rest", edge_source.source]))
    assert cli.main(["plugins", "app.py"]) == 0
    out = capsys.readouterr().out
    assert f"{'edge':<16} {'given by the app':<28} build_response, parse_event\n" in out


def test_plugins_without_an_app_lists_every_installed_plugin(capsys):
    assert cli.main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert set(table(out)) == {"kernel.matching", *plugins.installed()}
    assert "left out" not in out


def test_plugins_of_a_handler_function_is_a_clear_error(run, project):
    result = run("plugins", "apps:lambda_handler", cwd=project)
    assert result.returncode == 1
    assert result.stderr == "kernel: apps:lambda_handler is not an app with plugins (got function)\n"


def test_plugins_of_an_app_that_cannot_be_built_is_one_line(run, project):
    (project / "needs_all.py").write_text("from kernel import App\napp = App(plugins=['rest', 'nowhere'])\n")
    result = run("plugins", "needs_all.py", cwd=project)
    assert result.returncode == 1
    assert result.stderr.startswith("kernel: cannot load needs_all.py: The kernel plugin 'nowhere' is not installed.")
    assert result.stderr.count("\n") == 1


def test_plugins_without_an_app_recalls_the_allow_list(run, project):
    result = run("plugins", cwd=project, env={"KERNEL_PLUGINS": "rest, cors"})
    assert result.returncode == 0
    # Still every installed plugin: the allow-list limits apps, not the installation.
    assert set(table(result.stdout)) == {"kernel.matching", *plugins.installed()}
    assert result.stdout.splitlines()[-2] == "KERNEL_PLUGINS=rest,cors: an app that does not list its plugins uses only these"
