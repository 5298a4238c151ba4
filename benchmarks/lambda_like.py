"""Cold starts the way AWS Lambda runs them, for kernel, Powertools and Chalice.

Each library gets a deployment package: a directory laid out like the one
``pip install --target`` fills (its distributions, metadata included, copied
from ``benchmarks/.venv``) with the benchmark's own modules beside them, as a
function's code sits in ``/var/task``. Chalice's package holds what Chalice's
own packager ships: ``chalice/__init__.py`` and ``chalice/app.py``. Each
package is built twice: as the sources alone, and with compiled bytecode
(``compileall --invalidation-mode unchecked-hash``, which survives a zip).

Every sample runs a fresh interpreter of an environment with nothing
installed (``benchmarks/.venv-lambda``, made by ``run.py``), like the runtime's
own Python, with:

- the package directory and the home directory read-only (as root, whose
  writes ignore file modes, the child drops CAP_DAC_OVERRIDE before exec);
- a new, empty temporary directory, the only writable place, as in a new
  execution environment;
- ``PYTHONDONTWRITEBYTECODE=1``: nothing compiled is kept between samples.

The child (``cold_start.py``) imports the library, builds the app, answers one
event and then a second one, and prints its own times; the harness measures
the whole process from outside: wall clock, CPU time and peak RSS (``wait4``).
"""

from __future__ import annotations

import compileall
import ctypes
import json
import os
import py_compile
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGES = HERE / ".lambda"
PYTHON = HERE / ".venv-lambda" / "bin" / "python"
BENCH_MODULES = ("cold_start.py", "apps.py", "libs.py", "events.py")
PYDANTIC = ("pydantic", "pydantic-core", "typing-extensions", "typing-inspection", "annotated-types")


def kernel_distributions() -> list[str]:
    """kernel, every plugin installed in the benchmark environment (``kernel[all]``), and their dependencies."""
    plugins = sorted(
        {dist.metadata["Name"] for dist in metadata.distributions() if dist.metadata["Name"].lower().startswith("kernel-")}
    )
    # isal: the compression plugin's deflate, imported only when a body is compressed.
    return ["kernel", *plugins, "pluggy", "stevedore", "isal", *PYDANTIC]


POWERTOOLS_DISTRIBUTIONS = ["aws-lambda-powertools", "jmespath", *PYDANTIC]


@dataclass(frozen=True)
class Package:
    """One deployment package: which library, frozen plugin manifest or not, bytecode shipped or not."""

    library: str
    frozen: bool = False
    compiled: bool = False

    @property
    def name(self) -> str:
        return "-".join([self.library, *(["manifest"] if self.frozen else []), *(["pyc"] if self.compiled else [])])

    @property
    def directory(self) -> Path:
        return PACKAGES / self.name


def _copy_distribution(name: str, target: Path) -> None:
    dist = metadata.distribution(name)
    for file in dist.files or ():
        parts = Path(str(file)).parts
        if "__pycache__" in parts or str(file).endswith(".pyc") or parts[0] == "..":
            continue  # bytecode is the variant's business; scripts (../../bin) are not part of a package
        source = Path(str(dist.locate_file(file)))
        if source.is_file():
            destination = target / Path(*parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)


def _set_writable(root: Path, writable: bool) -> None:
    for path in [root, *root.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode | stat.S_IWUSR if writable else mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def build(package: Package) -> Path:
    """(Re)build the package's directory, read-only once done, and return it."""
    target = package.directory
    if target.exists():
        _set_writable(target, True)
        shutil.rmtree(target)
    target.mkdir(parents=True)
    if package.library == "kernel":
        for name in kernel_distributions():
            _copy_distribution(name, target)
    elif package.library == "powertools":
        for name in POWERTOOLS_DISTRIBUTIONS:
            _copy_distribution(name, target)
    elif package.library == "chalice":
        import chalice

        source = Path(chalice.__file__).parent
        (target / "chalice").mkdir()
        for module in ("__init__.py", "app.py"):
            shutil.copyfile(source / module, target / "chalice" / module)
    else:
        raise ValueError(package.library)
    for module in BENCH_MODULES:
        shutil.copyfile(HERE / module, target / module)
    (target / "bench_handler.py").write_text(HANDLER.format(library=package.library))
    if package.frozen:
        # As the deployment page says: kernel freeze, run with the package on the path.
        env = {**_base_env(), "PYTHONPATH": str(target)}
        subprocess.run([str(PYTHON), "-m", "kernel", "freeze", str(target)], env=env, check=True, capture_output=True)
    if package.compiled:
        compileall.compile_dir(str(target), quiet=1, workers=0, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    _set_writable(target, False)
    return target


# -- running a sample ----------------------------------------------------------------------


def _drop_root_file_override() -> None:  # runs in the child, before exec
    """Make a root child obey file modes, as every process on Lambda does."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        libc.prctl(24, capability, 0, 0, 0)  # PR_CAPBSET_DROP


def _base_env() -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}


@dataclass
class Sample:
    """One fresh process, seen from outside and from inside."""

    wall: float  # seconds
    cpu: float  # seconds, user + system
    rss: float  # peak resident set, MiB (the child's own account: see cold_start.peak_rss_kib)
    first: float  # seconds, in-process: import + build + first answer
    second: float  # seconds, in-process: the second answer


class Sandbox:
    """A read-only home and a place for the fresh temporary directories of the samples."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="kernel-bench-lambda-"))
        self.home = self.root / "home"
        self.home.mkdir()
        self.home.chmod(0o555)
        self.count = 0

    def env(self, event_file: str) -> dict[str, str]:
        self.count += 1
        temporary = self.root / f"tmp{self.count}"
        temporary.mkdir()
        return {**_base_env(), "HOME": str(self.home), "TMPDIR": str(temporary), "BENCH_EVENT": event_file}

    def close(self) -> None:
        self.home.chmod(0o755)
        shutil.rmtree(self.root, ignore_errors=True)


def run(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, str, str]:
    """Run ``command``: wall seconds, CPU seconds (its own, from wait4), standard output and error."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        preexec = _drop_root_file_override if os.geteuid() == 0 else None
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err, preexec_fn=preexec)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed in {cwd}:\n{stdout}{stderr}")
    return wall, usage.ru_utime + usage.ru_stime, stdout, stderr


def sample(package: Package, app: str, sandbox: Sandbox, event_file: str, *args: str) -> Sample:
    library = package.library
    command = [str(PYTHON), "cold_start.py", library, app, *args]
    wall, cpu, stdout, _ = run(command, package.directory, sandbox.env(event_file))
    inside = json.loads(stdout)
    return Sample(wall, cpu, inside["peak_rss_kib"] / 1024, inside["first_ms"] / 1000, inside["second_ms"] / 1000)


def interleaved(runs: list[tuple[str, Callable[[], Sample]]], count: int) -> dict[str, list[Sample]]:
    """``count`` samples of each run, in rotating order so none always follows the same one."""
    samples: dict[str, list[Sample]] = {key: [] for key, _ in runs}
    for round_number in range(count):
        shift = round_number % len(runs)
        for key, call in runs[shift:] + runs[:shift]:
            samples[key].append(call())
    return samples


def import_times(package: Package, app: str, sandbox: Sandbox, event_file: str, top: int = 10) -> list[str]:
    """The ``-X importtime`` lines of one cold start, the ``top`` slowest modules by their own time."""
    _, _, _, stderr = run(
        [str(PYTHON), "-X", "importtime", "cold_start.py", package.library, app],
        package.directory,
        sandbox.env(event_file),
    )
    rows: list[tuple[int, int, str]] = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = (part.strip() for part in line[len("import time:") :].split("|"))
        rows.append((int(own), int(cumulative), name.strip()))
    total = sum(own for own, _, _ in rows)
    rows.sort(reverse=True)
    lines = [f"{'self':>9} {'cumulative':>11}  module   (all imports: {total / 1000:.1f} ms of own time)"]
    lines += [f"{own / 1000:>6.2f} ms {cumulative / 1000:>8.2f} ms  {name}" for own, cumulative, name in rows[:top]]
    return lines


def packages_for(libraries: Iterable[str]) -> list[Package]:
    """Every package the cold-start table needs."""
    found = []
    for compiled in (False, True):
        for library in libraries:
            found.append(Package(library, compiled=compiled))
            if library == "kernel":
                found.append(Package(library, frozen=True, compiled=compiled))
    return found


# -- under AWS's runtime interface client ---------------------------------------------------

HANDLER = """\
# The function's handler module, as a deployment package holds one.
import apps
from libs import Library

LIBRARY = {library!r}
if LIBRARY == "chalice":
    app = apps.chalice_small_app()
    lambda_handler = app
else:
    app = apps.small_app(Library(LIBRARY))

    def lambda_handler(event, context):
        return app.resolve(event, context)
"""

RUNTIME = PACKAGES / "runtime"


def build_runtime() -> Path:
    """AWS's runtime interface client in a directory of its own, as the runtime's ``/var/runtime``."""
    if RUNTIME.exists():
        _set_writable(RUNTIME, True)
        shutil.rmtree(RUNTIME)
    RUNTIME.mkdir(parents=True)
    for name in ("awslambdaric", "simplejson", "snapshot-restore-py"):
        _copy_distribution(name, RUNTIME)
    compileall.compile_dir(str(RUNTIME), quiet=1, workers=0, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    _set_writable(RUNTIME, False)
    return RUNTIME


@dataclass
class RuntimeSample:
    """One execution environment under awslambdaric: its init and its first invoke, in seconds."""

    init: float
    first_invoke: float


def runtime_sample(package: Package, sandbox: Sandbox, event: dict[str, object]) -> RuntimeSample:
    """Start the package under awslambdaric against a local Runtime API; time init and the first invoke."""
    sys.path.insert(0, str(HERE.parent))
    from tests.packaging.lambda_runtime import RuntimeAPI

    env = sandbox.env("")
    with RuntimeAPI() as api:
        env.update(
            PYTHONPATH=f"{package.directory}{os.pathsep}{RUNTIME}",
            LAMBDA_TASK_ROOT=str(package.directory),
            AWS_LAMBDA_RUNTIME_API=api.address,
            AWS_LAMBDA_FUNCTION_NAME="bench",
            AWS_LAMBDA_FUNCTION_MEMORY_SIZE="512",
            _HANDLER="bench_handler.lambda_handler",
        )
        preexec = _drop_root_file_override if os.geteuid() == 0 else None
        start = time.perf_counter()
        child = subprocess.Popen(
            [str(PYTHON), "-S", "-m", "awslambdaric", "bench_handler.lambda_handler"],
            cwd=package.directory,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            preexec_fn=preexec,
        )
        try:
            invocation = api.invoke(event)
        finally:
            child.kill()
            _, stderr = child.communicate()
        if api.init_error is not None or invocation.kind != "response" or invocation.body.get("statusCode") != 200:
            raise RuntimeError(f"{package.name} under awslambdaric: {api.init_error or invocation.body}\n{stderr.decode()}")
        assert api.first_request_at is not None
        return RuntimeSample(api.first_request_at - start, invocation.answered_at - invocation.sent_at)
