"""Packaging: the wheels install as users install them, and only what is installed is used.

Builds the wheel of every distribution of the workspace, makes a fresh virtual
environment, installs ``kernel[rest]`` from those wheels only (an unrelated
project called ``kernel`` exists on the package index, so ours must never come
from there), and runs an app in it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from tests.events import rest_event

REPO = Path(__file__).resolve().parents[2]

APP = textwrap.dedent(
    """
    from kernel import APIGatewayRestResolver

    app = APIGatewayRestResolver()


    @app.get("/hello/<name>")
    def hello(name):
        return {"hello": name, "source": type(app.current_event).__module__}
    """
)


def run(*args: str | Path, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH", "UV_PROJECT_ENVIRONMENT")}
    result = subprocess.run(
        [str(arg) for arg in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    if check:
        assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with ``kernel[rest]`` installed from freshly built wheels."""
    uv = shutil.which("uv")
    assert uv is not None, "the packaging test needs uv on PATH"
    root = tmp_path_factory.mktemp("packaging")
    wheelhouse = root / "wheelhouse"
    run(uv, "build", "--all-packages", "--wheel", "--out-dir", wheelhouse, cwd=REPO)
    built = sorted(path.name for path in wheelhouse.glob("*.whl"))
    plugin_count = len([path for path in (REPO / "plugins").iterdir() if (path / "pyproject.toml").is_file()])
    assert len(built) == plugin_count + 1
    assert "kernel-0.1.0-py3-none-any.whl" in built
    assert "kernel_rest-0.1.0-py3-none-any.whl" in built

    env_dir = root / "venv"
    run(uv, "venv", "--quiet", "--python", sys.executable, env_dir, cwd=root)
    python = env_dir / "bin" / "python"
    # Step 1, third-party packages from the index at the versions the project
    # is tested with; pydantic too, so "import kernel does not import pydantic"
    # is checked where it could.
    third_party = [f"{name}=={version(name)}" for name in ("pluggy", "stevedore", "pydantic")]
    run(uv, "pip", "install", "--quiet", "--python", python, *third_party, cwd=root)
    # Step 2, our distributions from the wheelhouse only.
    run(uv, "pip", "install", "--quiet", "--python", python, "--no-index", "--find-links", wheelhouse, "kernel[rest]", cwd=root)
    (root / "app.py").write_text(APP)
    (root / "event.json").write_text(json.dumps(rest_event("GET", "/hello/wheel")))
    return env_dir


def installed_distributions(venv: Path) -> set[str]:
    script = "import importlib.metadata as m; print('\\n'.join(sorted(d.metadata['Name'] for d in m.distributions())))"
    return set(run(venv / "bin" / "python", "-c", script, cwd=venv.parent).stdout.split())


def test_only_the_chosen_extra_is_installed(venv):
    ours = {name for name in installed_distributions(venv) if name.startswith("kernel")}
    assert ours == {"kernel", "kernel-rest"}


def test_app_runs_on_a_rest_event(venv):
    result = run(venv / "bin" / "kernel", "invoke", "app.py", "event.json", cwd=venv.parent)
    assert json.loads(result.stdout) == {
        "statusCode": 200,
        "body": '{"hello":"wheel","source":"kernel_rest.request"}',
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["application/json"]},
    }


def test_only_installed_plugins_are_discovered(venv):
    result = run(venv / "bin" / "kernel", "plugins", cwd=venv.parent)
    rows = [line.split(maxsplit=2) for line in result.stdout.splitlines() if line.strip()]
    assert rows == [
        ["kernel.matching", "built-in", "match_route"],
        ["rest", "kernel_rest:source", "build_response, parse_event"],
    ]


def run_python(venv: Path, source: str) -> Any:
    result = run(venv / "bin" / "python", "-c", textwrap.dedent(source), cwd=venv.parent)
    return json.loads(result.stdout)


def test_import_kernel_does_not_import_pydantic(venv):
    loaded = run_python(
        venv,
        """
        import importlib.util, json, sys
        import kernel
        from kernel import APIGatewayRestResolver
        app = APIGatewayRestResolver()
        print(json.dumps({
            "pydantic_installed": importlib.util.find_spec("pydantic") is not None,
            "pydantic_imported": sorted(name for name in sys.modules if name.split(".")[0] == "pydantic"),
        }))
        """,
    )
    assert loaded == {"pydantic_installed": True, "pydantic_imported": []}


def test_resolver_for_an_uninstalled_source_names_its_extra(venv):
    outcome = run_python(
        venv,
        """
        import json
        from kernel import ALBResolver, PluginNotFoundError
        try:
            ALBResolver()
        except PluginNotFoundError as exc:
            print(json.dumps({"error": type(exc).__name__, "message": str(exc)}))
        """,
    )
    assert outcome["error"] == "PluginNotFoundError"
    assert "pip install 'kernel[alb]'" in outcome["message"]


def test_feature_of_an_uninstalled_plugin_names_its_extra(venv):
    outcome = run_python(
        venv,
        """
        import json
        import kernel
        try:
            kernel.CORSConfig
        except kernel.PluginNotFoundError as exc:
            print(json.dumps({"message": str(exc)}))
        """,
    )
    assert "pip install 'kernel[cors]'" in outcome["message"]
