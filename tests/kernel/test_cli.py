"""The ``kernel`` command: ``invoke`` and ``plugins``, run as a user runs them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kernel import cli
from tests.events import rest_event
from tests.kernel.helpers import json_response

KERNEL = Path(sys.executable).with_name("kernel")

APP_SOURCE = textwrap.dedent(
    """
    from kernel import APIGatewayRestResolver

    app = APIGatewayRestResolver(plugins=["rest"])
    other = APIGatewayRestResolver(plugins=["rest"])


    @app.get("/hello/<name>")
    def hello(name):
        return {"hello": name}


    @other.get("/hello/<name>")
    def other_hello(name):
        return {"other": name}
    """
)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KERNEL), *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A directory holding an app module (``cli_sample_app.py``) and an event file."""
    (tmp_path / "cli_sample_app.py").write_text(APP_SOURCE)
    (tmp_path / "event.json").write_text(json.dumps(rest_event("GET", "/hello/ana")))
    return tmp_path


def test_invoke_module_and_attribute(project):
    result = run("invoke", "cli_sample_app:other", "event.json", cwd=project)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json_response(200, {"other": "ana"})


def test_invoke_module_with_the_default_attribute(project):
    result = run("invoke", "cli_sample_app", "event.json", cwd=project)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json_response(200, {"hello": "ana"})


def test_invoke_file_path(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    app_file = project / "cli_sample_app.py"
    result = run("invoke", str(app_file), str(project / "event.json"), cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json_response(200, {"hello": "ana"})
    result = run("invoke", f"{app_file}:other", str(project / "event.json"), cwd=elsewhere)
    assert json.loads(result.stdout) == json_response(200, {"other": "ana"})


def test_invoke_relative_file_path(project):
    result = run("invoke", "./cli_sample_app.py", "event.json", cwd=project)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["statusCode"] == 200


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("no_such_module_xyz:app", "kernel: no module named 'no_such_module_xyz'"),
        ("missing_file.py", "kernel: no such file: missing_file.py"),
        ("cli_sample_app:nothing", "kernel: cli_sample_app has no attribute 'nothing'"),
        ("cli_sample_app:APIGatewayRestResolver.__doc__", "kernel: cli_sample_app has no attribute"),
        ("cli_sample_app:__name__", "kernel: cli_sample_app:__name__ is not an app (got str)"),
    ],
)
def test_invoke_bad_app_path_is_a_clear_error(project, target, message):
    result = run("invoke", target, "event.json", cwd=project)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.stderr


def test_invoke_bad_json_is_a_clear_error(project):
    (project / "bad.json").write_text("{not json")
    result = run("invoke", "cli_sample_app", "bad.json", cwd=project)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("kernel: bad.json is not JSON: ")
    assert "Traceback" not in result.stderr


def test_invoke_missing_event_file_is_a_clear_error(project):
    result = run("invoke", "cli_sample_app", "nowhere.json", cwd=project)
    assert result.returncode == 1
    assert result.stderr.strip() == "kernel: cannot read nowhere.json: No such file or directory"


def test_invoke_import_error_inside_the_app_keeps_its_traceback(project):
    """Only the app module itself being absent is a usage error; its own bugs show in full."""
    (project / "broken_app.py").write_text("import no_such_dependency_xyz\n")
    result = run("invoke", "broken_app", "event.json", cwd=project)
    assert result.returncode == 1
    assert "ModuleNotFoundError: No module named 'no_such_dependency_xyz'" in result.stderr


def test_no_command_is_a_usage_error(project):
    result = run(cwd=project)
    assert result.returncode == 2
    assert "usage: kernel" in result.stderr


def test_plugins_lists_installed_plugins_and_their_hooks(project):
    result = run("plugins", cwd=project)
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line.split(maxsplit=2)[1:] for line in result.stdout.splitlines() if line.strip()}
    assert lines["kernel.matching"] == ["built-in", "match_route"]
    assert lines["rest"] == ["kernel_rest:source", "build_response, parse_event"]


def test_plugins_in_process_matches_describe(capsys):
    assert cli.main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^rest\s+kernel_rest:source\s+build_response, parse_event$", out, re.MULTILINE)
    assert re.search(r"^kernel\.matching\s+built-in\s+match_route$", out, re.MULTILINE)
