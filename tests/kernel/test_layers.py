"""The project's layers: the import-linter contracts hold, and the kernel names no plugin.

The contracts live under ``[tool.importlinter]`` in the root pyproject.toml:
the kernel imports no plugin, plugins import only ``kernel`` and
``kernel.plugin_api``, and kernel/ has no import cycles.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from importlinter.api import read_configuration

REPO = Path(__file__).resolve().parents[2]
KERNEL = REPO / "kernel"

PUBLIC_CONTRACT = "plugins import only the kernel's public modules"
# The kernel modules plugins may import: the package's top-level names and the plugin API.
PUBLIC_MODULES = {"kernel", "kernel.plugin_api"}

# The only kernel module allowed to name plugins: it maps Powertools names onto plugin names.
COMPAT = KERNEL / "compat.py"
PLUGIN_NAMES = (
    "rest",
    "http",
    "alb",
    "function-url",
    "lattice",
    "lattice-v2",
    "bedrock",
    "bedrock-function",
    "cors",
    "compression",
    "validation",
    "openapi",
    "swagger",
)
PLUGIN_PACKAGES = (
    "kernel_rest",
    "kernel_http",
    "kernel_alb",
    "kernel_function_url",
    "kernel_lattice",
    "kernel_bedrock",
    "kernel_bedrock_function",
    "kernel_cors",
    "kernel_compression",
    "kernel_validation",
    "kernel_openapi",
    "kernel_swagger",
)
# A plugin name as a quoted string ("alb" or 'alb'), or a plugin package name.
PLUGIN_IDENTIFIER = re.compile(
    r"""(["'])(?:{names})\1|\b(?:{packages})\b""".format(
        names="|".join(re.escape(name) for name in PLUGIN_NAMES),
        packages="|".join(re.escape(package) for package in PLUGIN_PACKAGES),
    )
)
# Lines that hold such a string with another meaning: (path under the repo, stripped line).
NOT_PLUGIN_IDENTIFIERS = {
    # The ASGI scope type "http", not the http plugin.
    ("kernel/asgi.py", 'if kind == "http":'),
    # uvicorn's HTTP protocol option, not the http plugin.
    ("kernel/cli.py", '"http": "h11",'),
}


def lint_imports() -> Path:
    script = Path(sys.executable).parent / ("lint-imports.exe" if sys.platform == "win32" else "lint-imports")
    if script.exists():
        return script
    found = shutil.which("lint-imports")
    if found is None:
        pytest.fail("lint-imports is not installed: run `uv sync --all-extras`")
    return Path(found)


def contract(name: str) -> dict:
    contracts = read_configuration(str(REPO / "pyproject.toml"))["contracts_options"]
    matching = [options for options in contracts if options["name"] == name]
    assert len(matching) == 1, f"pyproject.toml has no single import-linter contract named {name!r}"
    return matching[0]


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_import_contracts_are_kept() -> None:
    result = subprocess.run(
        [str(lint_imports()), "--no-cache"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_private_kernel_module_is_forbidden_to_plugins() -> None:
    forbidden = set(contract(PUBLIC_CONTRACT)["forbidden_modules"])
    assert not forbidden & PUBLIC_MODULES

    def covered(module: str) -> bool:
        # A forbidden package covers its submodules too.
        return any(module == name or module.startswith(name + ".") for name in forbidden)

    modules = {module_name(path) for path in KERNEL.rglob("*.py") if "__pycache__" not in path.parts}
    unlisted = sorted(module for module in modules - PUBLIC_MODULES if not covered(module))
    assert not unlisted, (
        f"kernel modules missing from forbidden_modules of the {PUBLIC_CONTRACT!r} contract in pyproject.toml "
        f"(add them, or make them public through kernel.plugin_api): {unlisted}"
    )


def test_the_kernel_names_no_plugin_outside_compat() -> None:
    found = []
    for path in sorted(KERNEL.rglob("*")):
        if not path.is_file() or path == COMPAT or "__pycache__" in path.parts:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        relative = path.relative_to(REPO).as_posix()
        for number, line in enumerate(text.splitlines(), start=1):
            if (relative, line.strip()) in NOT_PLUGIN_IDENTIFIERS:
                continue
            if PLUGIN_IDENTIFIER.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert not found, "plugin names in kernel/ outside kernel/compat.py:\n" + "\n".join(found)
