"""The README's install command, run exactly as written, installs this project and nothing else.

The command is read out of README.md (so the two cannot drift apart) and run by
a shell, in a directory whose ``dist`` is the wheelhouse ``scripts/wheelhouse``
built, with a fresh virtual environment first on PATH, and with no installer
configuration: with pip, and with the uv form of the same command. The
installed ``kernel`` must be this one (the unrelated project that owns the
name on the public index has no ``kernel.plugin_api``), at this release, with
exactly the chosen plugins, and the README's example app must run on it.
"""

from __future__ import annotations

import json
import re
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.docs.test_install_commands import readme_commands
from tests.packaging.conftest import REPO, run, user_environment
from tests.packaging.test_versions import RELEASE

EXTRAS = "kernel[alb,cors,openapi]"

# Run inside the installed environment: what an app there sees.
PROBE = textwrap.dedent(
    """
    import importlib.metadata as metadata
    import json
    import sys

    import kernel.plugin_api
    from kernel import plugins
    from kernel_alb import source

    sys.path.insert(0, ".")
    from readme_app import lambda_handler

    print(json.dumps({
        "kernel": metadata.version("kernel"),
        "kernel_file": kernel.__file__,
        "ours": sorted(d.metadata["Name"] for d in metadata.distributions() if d.metadata["Name"].startswith("kernel")),
        "plugins": sorted(plugins.installed()),
        "reply": lambda_handler(source.event("GET", "/hello/ann", headers={"Origin": "https://example.org"}), None),
    }))
    """
)


def readme_example() -> str:
    (example,) = re.findall(r"```python\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.S)
    return example


@pytest.fixture(scope="module")
def readme_commands_run(wheelhouse: Path, uv: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Each README command run in a fresh environment; what the probe saw there, by installer."""
    pip_command, uv_command = readme_commands()
    seen: dict[str, Any] = {}
    for installer, command in (("pip", pip_command), ("uv", uv_command)):
        work = tmp_path_factory.mktemp(f"install-with-{installer}")
        (work / "dist").symlink_to(wheelhouse, target_is_directory=True)
        (work / "readme_app.py").write_text(readme_example(), encoding="utf-8")
        venv = work / "venv"
        # --seed puts pip in it, as in a user's venv (uv's own venvs have none); faster than `python -m venv`.
        seed = ["--seed"] if installer == "pip" else []
        run(uv, "venv", "--quiet", *seed, "--python", sys.executable, venv, cwd=work)
        env = user_environment(VIRTUAL_ENV=str(venv), PATH=f"{venv / 'bin'}:{Path(uv).parent}:/usr/bin:/bin")
        run("sh", "-c", command, cwd=work, env=env)
        seen[installer] = json.loads(run(venv / "bin" / "python", "-c", PROBE, cwd=work, env=env).stdout)
        seen[installer]["venv"] = str(venv)
    return seen


def test_the_readme_command_is_the_safe_one():
    assert readme_commands() == (
        f'pip install --no-index --find-links dist "{EXTRAS}"',
        f'uv pip install --no-index --find-links dist "{EXTRAS}"',
    )


@pytest.mark.parametrize("installer", ["pip", "uv"])
def test_the_installed_kernel_is_this_project_at_this_release(readme_commands_run, installer):
    seen = readme_commands_run[installer]
    assert seen["kernel"] == RELEASE
    assert seen["kernel_file"].startswith(seen["venv"])  # from the new environment, not the checkout


@pytest.mark.parametrize("installer", ["pip", "uv"])
def test_exactly_the_chosen_plugins_are_installed_and_discovered(readme_commands_run, installer):
    seen = readme_commands_run[installer]
    # openapi brings validation along; nothing else of ours comes.
    assert seen["ours"] == ["kernel", "kernel-alb", "kernel-cors", "kernel-openapi", "kernel-validation"]
    assert seen["plugins"] == ["alb", "cors", "openapi", "validation"]


@pytest.mark.parametrize("installer", ["pip", "uv"])
def test_the_readme_example_answers_an_alb_event(readme_commands_run, installer):
    assert readme_commands_run[installer]["reply"] == {
        "statusCode": 200,
        "body": '{"message":"hello ann"}',
        "isBase64Encoded": False,
        "headers": {"Content-Type": "application/json"},
    }
