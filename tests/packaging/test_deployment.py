"""The zip package docs/deployment.md builds, run as Lambda runs it.

The page's recipe runs as written (from the wheelhouse, with the page's app),
and its ``function.zip`` is unpacked into a read-only directory, as Lambda
unpacks it into ``/var/task``. AWS's own runtime interface client
(``awslambdaric``, a dev dependency, copied into a directory of its own as the
runtime's ``/var/runtime``) then runs the function against a minimal Runtime
API (:mod:`tests.packaging.lambda_runtime`), with only a fresh temporary
directory writable and no bytecode written, and answers events of three
sources. The frozen manifest must be the way the plugins were found.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from tests.events import rest_event
from tests.packaging.conftest import run, user_environment
from tests.packaging.lambda_runtime import RuntimeAPI

REPO = Path(__file__).resolve().parents[2]
PAGE = (REPO / "docs" / "deployment.md").read_text(encoding="utf-8")


def marked(name: str) -> str:
    """The code block of the page preceded by ``<!-- docs-test: NAME -->``."""
    found = re.search(rf"<!-- docs-test: {re.escape(name)} -->\n```\w*\n(.*?)```", PAGE, re.S)
    assert found is not None, f"docs/deployment.md has no block marked {name}"
    return found.group(1)


def _copy_distribution(name: str, target: Path) -> None:
    """Copy an installed distribution's files (as ``pip install --target`` lays them out) into ``target``."""
    dist = metadata.distribution(name)
    for file in dist.files or ():
        parts = Path(str(file)).parts
        if parts[0] == ".." or "__pycache__" in parts:
            continue
        source = Path(str(dist.locate_file(file)))
        if source.is_file():
            (target / Path(*parts)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / Path(*parts))


def _read_only(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def _writable(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


def _drop_root_file_override() -> None:  # pragma: no cover - runs in the child process
    """Make a root child obey file modes, as a Lambda function does."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


@pytest.fixture(scope="module")
def package(wheelhouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page's recipe, run in a directory holding its app.py and the wheelhouse as dist/."""
    project = tmp_path_factory.mktemp("function")
    (project / "dist").symlink_to(wheelhouse, target_is_directory=True)
    (project / "app.py").write_text(marked("app.py"))
    # The recipe's python3: this Python version with pip (the test environment's has none), as a user's would be.
    builder = project / "builder"
    run(getattr(sys, "_base_executable", sys.executable), "-m", "venv", builder, cwd=project)
    env = user_environment(PATH=f"{builder / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    result = run("bash", "-euo", "pipefail", "-c", marked("zip-recipe"), cwd=project, env=env)
    assert "kernel: wrote build/kernel-plugins.json (plugins: " in result.stdout
    return project / "function.zip"


@pytest.fixture
def task(package: Path, tmp_path: Path):
    """function.zip unpacked read-only, like /var/task, and the runtime client beside it, like /var/runtime."""
    task = tmp_path / "task"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(task)
    runtime = tmp_path / "runtime"
    for name in ("awslambdaric", "simplejson", "snapshot-restore-py"):
        _copy_distribution(name, runtime)
    home = tmp_path / "home"
    home.mkdir()
    for directory in (task, runtime, home):
        _read_only(directory)
    (tmp_path / "tmp").mkdir()
    yield task, runtime, home, tmp_path / "tmp"
    for directory in (task, runtime, home):
        _writable(directory)


def files(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*")}


def lambda_environment(task: Path, runtime: Path, home: Path, temporary: Path, api: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(home),
        "TMPDIR": str(temporary),
        "PYTHONPATH": f"{task}{os.pathsep}{runtime}",
        "PYTHONDONTWRITEBYTECODE": "1",
        "LAMBDA_TASK_ROOT": str(task),
        "AWS_LAMBDA_RUNTIME_API": api,
        "AWS_LAMBDA_FUNCTION_NAME": "e2e",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_REGION": "eu-west-1",
        "_HANDLER": "app.lambda_handler",
    }


def http_event(method: str, path: str) -> dict[str, Any]:
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"accept": "application/json"},
        "requestContext": {
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "198.51.100.23"},
            "requestId": "abc",
            "stage": "$default",
        },
        "isBase64Encoded": False,
    }


def alb_event(method: str, path: str) -> dict[str, Any]:
    return {
        "requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/e2e/1"}},
        "httpMethod": method,
        "path": path,
        "queryStringParameters": {},
        "headers": {"accept": "application/json"},
        "body": "",
        "isBase64Encoded": False,
    }


def test_the_documented_zip_runs_under_awslambdaric(task):
    task_dir, runtime, home, temporary = task
    before = files(task_dir)
    with RuntimeAPI() as api:
        env = lambda_environment(task_dir, runtime, home, temporary, api.address)
        # -S: the runtime's own site-packages only, none of this test environment's.
        process = subprocess.Popen(
            [sys.executable, "-S", "-m", "awslambdaric", "app.lambda_handler"],
            cwd=task_dir,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_drop_root_file_override if os.geteuid() == 0 else None,
        )
        try:
            rest = api.invoke(rest_event("GET", "/hello/ana"))
            http = api.invoke(http_event("GET", "/hello/bo"))
            alb = api.invoke(alb_event("GET", "/hello/cy"))
            missing = api.invoke(rest_event("GET", "/nowhere"))
        finally:
            process.kill()
            _, stderr = process.communicate(timeout=30)
    assert api.init_error is None
    assert (rest.kind, rest.body) == (
        "response",
        {
            "statusCode": 200,
            "body": '{"message":"hello ana"}',
            "isBase64Encoded": False,
            "multiValueHeaders": {"Content-Type": ["application/json"]},
        },
    )
    assert (http.kind, http.body) == (
        "response",
        {
            "statusCode": 200,
            "body": '{"message":"hello bo"}',
            "isBase64Encoded": False,
            "headers": {"Content-Type": "application/json"},
            "cookies": [],
        },
    )
    assert alb.kind == "response"
    assert (alb.body["statusCode"], alb.body["body"]) == (200, '{"message":"hello cy"}')
    assert alb.body["headers"] == {"Content-Type": "application/json"}
    assert (missing.kind, missing.body["statusCode"]) == ("response", 404)
    assert "ManifestWarning" not in stderr
    assert "Traceback" not in stderr
    # The package directory is as unpacked: no bytecode or cache written into it.
    assert files(task_dir) == before


def test_the_package_finds_its_plugins_through_the_frozen_manifest(task):
    task_dir, runtime, home, temporary = task
    env = lambda_environment(task_dir, runtime, home, temporary, "127.0.0.1:9")
    result = subprocess.run(
        [sys.executable, "-S", "-m", "kernel", "plugins"],
        cwd=task_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=_drop_root_file_override if os.geteuid() == 0 else None,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        f"discovery: the frozen manifest {task_dir / 'kernel-plugins.json'} (kernel freeze); stevedore was not used"
    )
    manifest = json.loads((task_dir / "kernel-plugins.json").read_text())
    assert sorted(manifest["groups"]["kernel.plugins"]) == ["alb", "http", "rest"]
