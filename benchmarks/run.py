"""Run the kernel vs Powertools benchmarks: ``python3 benchmarks/run.py``.

This is the only entry point. It needs nothing but a Python 3 and ``uv``:

1. it builds a virtual environment in ``benchmarks/.venv`` holding a pinned
   Powertools, Chalice, pydantic, AWS's Lambda runtime interface client, and
   kernel with every plugin installed from this working tree (never the
   unrelated ``kernel`` of the package index), and an empty one,
   ``benchmarks/.venv-lambda``, the interpreter of the Lambda-like cold starts
   (see :mod:`lambda_like`);
2. it reinstalls kernel and the plugins whenever their sources changed, so a
   run always measures the code on disk;
3. it runs :mod:`harness` with that environment's interpreter, passing on
   its own arguments (``--quick``, ``--only``...; see ``harness.py --help``).

The environment lives inside the repository on purpose: stevedore turns its
entry-point cache off for interpreters under ``/tmp``, which would make
kernel's cold start look slower than it is anywhere else.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV = HERE / ".venv"
PYTHON = VENV / "bin" / "python"
# Nothing installed: the runtime's Python that runs the cold starts' deployment packages.
LAMBDA_VENV = HERE / ".venv-lambda"
STAMP = VENV / "kernel-sources.sha256"

# Pinned so that numbers from two runs compare the same Powertools.
POWERTOOLS = "aws-lambda-powertools==3.37.0"
# The version kernel's own lock file resolves; both libraries validate with it.
PYDANTIC = "pydantic==2.14.4"
# The second peer of the cold-start and warm tables.
CHALICE = "chalice==1.34.0"
# AWS's runtime interface client: the deployment end-to-end run.
AWSLAMBDARIC = "awslambdaric==4.2.2"
PYTHON_VERSION = "3.11"


def plugin_dirs() -> list[Path]:
    """Every plugin distribution of the workspace (``plugins/<name>/``)."""
    return sorted(path for path in (ROOT / "plugins").iterdir() if (path / "pyproject.toml").is_file())


def distribution_name(project: Path) -> str:
    """The ``name`` of a pyproject.toml, read without a TOML parser (Python 3.10 has none)."""
    for line in (project / "pyproject.toml").read_text().splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "name":
            return value.strip().strip('"')
    raise SystemExit(f"no project name in {project / 'pyproject.toml'}")


def sources_digest(projects: list[Path]) -> str:
    """A hash of every file that ends up in the kernel and plugin wheels, and of the pinned peers."""
    digest = hashlib.sha256()
    digest.update(" ".join([POWERTOOLS, PYDANTIC, CHALICE, AWSLAMBDARIC]).encode())
    roots = [ROOT / "pyproject.toml", ROOT / "kernel"]
    for project in projects[1:]:
        roots.append(project)
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def run(command: list[str]) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True, cwd=ROOT)


def ensure_environment(force: bool) -> None:
    """Create ``benchmarks/.venv`` and install what changed since the last run."""
    uv = shutil.which("uv")
    if uv is None:
        raise SystemExit("the benchmarks need uv: python3 -m pip install uv")
    if force:
        for directory in (VENV, LAMBDA_VENV):
            if directory.exists():
                shutil.rmtree(directory)
    if not PYTHON.exists():
        run([uv, "venv", "--python", PYTHON_VERSION, str(VENV)])
    if not (LAMBDA_VENV / "bin" / "python").exists():
        run([uv, "venv", "--python", PYTHON_VERSION, str(LAMBDA_VENV)])
    projects = [ROOT, *plugin_dirs()]
    digest = sources_digest(projects)
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    # --no-sources: the workspace's [tool.uv.sources] would install kernel and some plugins in
    # editable mode; regular installs make imports look like a deployed Lambda's. kernel itself
    # still comes from this tree, given by path below, never from the package index.
    command = [
        uv,
        "pip",
        "install",
        "--python",
        str(PYTHON),
        "--no-sources",
        "--compile-bytecode",
        POWERTOOLS,
        PYDANTIC,
        CHALICE,
        AWSLAMBDARIC,
    ]
    for project in projects:
        command += ["--reinstall-package", distribution_name(project)]
    command += [str(project) for project in projects]
    run(command)
    check_installed(projects)
    STAMP.write_text(digest)


def check_installed(projects: list[Path]) -> None:
    """Fail when an installed module differs from the tree (a stale wheel from uv's cache)."""
    site = next((VENV / "lib").glob("python3*/site-packages"))
    packages = [ROOT / "kernel", *(package for project in projects[1:] for package in project.glob("kernel_*"))]
    for package in packages:
        for source in package.rglob("*.py"):
            installed = site / package.name / source.relative_to(package)
            if not installed.is_file() or installed.read_bytes() != source.read_bytes():
                raise SystemExit(f"{installed} is not the same as {source}: rerun with --reinstall")


def main() -> None:
    args = sys.argv[1:]
    force = "--reinstall" in args
    if force:
        args.remove("--reinstall")
    ensure_environment(force)
    harness = HERE / "harness.py"
    os.execv(str(PYTHON), [str(PYTHON), str(harness), *args])


if __name__ == "__main__":
    main()
