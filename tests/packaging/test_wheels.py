"""Packaging: the wheels install as users install them, and only what is installed is used.

Installs ``kernel[rest]`` (and pydantic, which it does not need) into a fresh
virtual environment from the wheelhouse ``scripts/wheelhouse`` built, with
``--no-index`` (an unrelated project called ``kernel`` exists on the package
index, so ours must never come from there), and runs an app in it.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.events import rest_event
from tests.packaging.conftest import REPO, run
from tests.packaging.test_versions import RELEASE

APP = textwrap.dedent(
    """
    from kernel import APIGatewayRestResolver

    app = APIGatewayRestResolver()


    @app.get("/hello/<name>")
    def hello(name):
        return {"hello": name, "source": type(app.current_event).__module__}
    """
)


def test_the_wheelhouse_has_one_wheel_per_distribution_of_the_workspace(wheelhouse):
    ours = sorted(path.name for path in wheelhouse.glob("kernel*.whl"))
    plugins = sorted(path.name.replace("-", "_") for path in (REPO / "plugins").iterdir() if (path / "pyproject.toml").is_file())
    expected = ["kernel", *(f"kernel_{plugin}" for plugin in plugins)]
    assert ours == sorted(f"{name}-{RELEASE}-py3-none-any.whl" for name in expected)


def test_the_wheelhouse_has_the_third_party_wheels_of_every_extra(wheelhouse):
    names = {path.name.split("-")[0].lower() for path in wheelhouse.glob("*.whl")}
    assert {"pluggy", "stevedore", "pydantic", "pydantic_core", "typing_extensions", "uvicorn", "watchfiles"} <= names
    assert list(wheelhouse.glob("*.tar.gz")) == []  # nothing to build: --no-index could not fetch build tools


@pytest.fixture(scope="module")
def venv(wheelhouse: Path, uv: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with ``kernel[rest]`` and pydantic installed from the wheelhouse only."""
    root = tmp_path_factory.mktemp("packaging")
    env_dir = root / "venv"
    run(uv, "venv", "--quiet", "--python", sys.executable, env_dir, cwd=root)
    python = env_dir / "bin" / "python"
    # pydantic too, though kernel[rest] does not need it, so that "import kernel
    # does not import pydantic" is checked where it could.
    install = ["pip", "install", "--quiet", "--python", python, "--no-index", "--find-links", wheelhouse]
    run(uv, *install, "kernel[rest]", "pydantic", cwd=root)
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
    *lines, discovery = result.stdout.splitlines()
    rows = [line.split(maxsplit=2) for line in lines if line.strip()]
    assert rows == [
        ["kernel.matching", "built-in", "match_route"],
        ["rest", "kernel_rest:source", "build_response, parse_event"],
    ]
    # The last line says how the plugins were found: no manifest here, so a scan or its cache.
    scanned = ("discovery: a scan of the installed distributions by stevedore", "discovery: the kernel's cache")
    assert discovery.startswith(scanned)


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
    assert 'pip install --no-index --find-links dist "kernel[alb]"' in outcome["message"]


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
    assert 'pip install --no-index --find-links dist "kernel[cors]"' in outcome["message"]
