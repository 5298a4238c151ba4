"""The wheelhouse the packaging tests install from, built once per session by ``scripts/wheelhouse``."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def user_environment(**extra: str) -> dict[str, str]:
    """This process's environment as a user's shell would have it: no active venv, no installer settings.

    The dev environment's variables (``VIRTUAL_ENV``...) would point the commands
    at it, and the machine's pip and uv settings (an extra index, find-links
    directories) would add sources the documented command does not name; with
    them gone and no configuration file read, an install succeeds only if the
    command itself is enough.
    """
    dropped = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "UV_PROJECT_ENVIRONMENT", "CONDA_PREFIX")
    env = {name: value for name, value in os.environ.items() if name not in dropped and not name.startswith(("PIP_", "UV_"))}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1", UV_NO_CONFIG="1")
    env.update(extra)
    return env


def run(
    *args: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run a command, failing the test with its output when it fails."""
    result = subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=user_environment() if env is None else env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"{args} exited with {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="session")
def uv() -> str:
    found = shutil.which("uv")
    assert found is not None, "the packaging tests need uv on PATH (scripts/test installs it)"
    return found


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``scripts/wheelhouse DIR``: every distribution of the workspace and every dependency of their extras.

    Run with the machine's own installer settings, as a developer runs it (it
    downloads the third-party wheels); the installs from it are then offline.
    """
    directory = tmp_path_factory.mktemp("wheelhouse") / "dist"
    env = {name: value for name, value in os.environ.items() if name not in ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT")}
    run(REPO / "scripts" / "wheelhouse", directory, cwd=tmp_path_factory.getbasetemp(), env=env, timeout=600)
    return directory
