"""Lay out the tree scripts/mutation runs mutmut in, then run it (see scripts/mutation).

mutmut 3 names a mutant after the module its file path spells from the
directory it runs in, and puts ``mutants/`` first on ``sys.path``. In this uv
workspace a plugin's package lives at ``plugins/<name>/kernel_<name>``, which
would spell ``plugins.cors.kernel_cors`` while the tests import
``kernel_cors``. So the run happens in a staging tree, ``.mutation/``, where
every package sits at the top (``kernel/``, ``kernel_cors/``...), next to
copies of ``tests/``, ``docs/`` and the root ``pyproject.toml`` with a
``[tool.mutmut]`` section added.

mutmut also leaves alone every function that carries a decorator other than
``staticmethod``/``classmethod``: a decorated copy of a function may register
itself twice, and a ``@property`` copy is no function it can call. That skips
the plugins' hook implementations and the request's properties, which are
much of what they do. In the staging tree, the modules to mutate are
rewritten so that

    @hookimpl(trylast=True)                 def match_route(...):
    def match_route(...):          ->           ...
        ...                                 match_route = hookimpl(trylast=True)(match_route)

which Python runs the same way (a decorator is a call on the function just
defined), while mutmut now sees a plain function. It trampolines it, and the
assignment decorates the trampoline only: the copies mutmut keeps of the
original and of each mutant stay undecorated, so pluggy registers one hook
implementation per name, and a property calls whichever copy is active. The
trampoline keeps the function's signature (``functools.wraps``), which is what
pluggy reads a hook implementation's arguments from.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGE = ROOT / ".mutation"

# The packages of the staging tree: the kernel and every plugin, each at the top.
PACKAGES = {"kernel": ROOT / "kernel", **{path.name: path for path in sorted(ROOT.glob("plugins/*/kernel_*"))}}

# The modules whose mutants are run, as paths in the staging tree.
MUTATE = [
    "kernel/routing.py",
    "kernel/app.py",
    "kernel/middleware.py",
    "kernel_cors/*.py",
    "kernel_rest/*.py",
]

# The tests that run against the mutants: those of the kernel and of the two plugins,
# and the behaviour suite every source runs. A surviving mutant runs every test that
# reaches its function, and routing is reached by nearly all: with the whole suite
# (3,000 tests, docs builds, subprocesses) the run would take hours on two cores.
# Left out of these: tests of what a fresh interpreter imports and of the plugin
# manifest's checks of the installed distributions (the mutated modules import
# mutmut, which imports importlib.metadata among others, and the staged packages
# are not the installed ones).
TESTS = [
    "tests/kernel",
    "tests/plugins/cors",
    "tests/plugins/rest",
    "tests/behaviour",
    "--deselect=tests/kernel/test_plugins.py::test_import_kernel_does_not_load_discovery",
    "--ignore=tests/kernel/test_manifest.py",
]

# What the tests read besides the packages: the docs they build and run, the examples, the
# scripts, the plugins' pyproject files (their sources there are only read, never imported:
# the staged packages come first on sys.path).
ALSO_COPY = ["docs", "mkdocs.yml", "examples", "README.md", "scripts", "plugins"]

# A pytest plugin of the runs (-p): mutmut runs the clean tests and the mutants in
# processes forked after its stats run, which leaves the recursion limit at 16384
# (1000 is Python's default); the tests of bodies nested too deeply to parse
# (answered 400) would then find them parsed. Tests run with the default, as on Lambda.
PYTEST_PLUGIN = """\
import sys


def pytest_configure(config):
    sys.setrecursionlimit(1000)
"""

# Decorators mutmut handles itself.
KEPT = {"staticmethod", "classmethod"}


def undecorate(source: str) -> str:
    """Rewrite each decorated function of a module or class body as a def followed by an assignment."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    edits = []
    for body in [tree.body, *(node.body for node in ast.walk(tree) if isinstance(node, ast.ClassDef))]:
        for node in body:
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or not node.decorator_list:
                continue
            names = [ast.get_source_segment(source, decorator) for decorator in node.decorator_list]
            if all(name in KEPT for name in names) or not mutable(node):
                continue
            if any(name is None or name.endswith((".setter", ".deleter")) for name in names):
                raise SystemExit(f"cannot rewrite the decorators of {node.name} (line {node.lineno}): {names}")
            first = node.decorator_list[0].lineno
            indent = lines[node.lineno - 1][: node.col_offset]
            applied = node.name
            for name in reversed(names):
                applied = f"{name}({applied})"
            edits.append((first, node.lineno, node.end_lineno, f"{indent}{node.name} = {applied}\n"))
    # From the bottom up, so the line numbers of the edits still to make hold.
    for first, def_line, end_line, assignment in sorted(edits, reverse=True):
        lines[end_line:end_line] = [assignment]
        del lines[first - 1 : def_line - 1]
    return "".join(lines)


def mutable(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a function's body holds anything but a docstring or ``...`` (a protocol's or abstract method's)."""
    return not all(isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) for statement in function.body)


def mutated(path: Path) -> bool:
    return any(path.match(pattern) for pattern in MUTATE)


def stage() -> None:
    """Lay out ``.mutation/`` afresh (mutmut's results of a previous run go with it)."""
    if STAGE.exists():
        shutil.rmtree(STAGE)
    STAGE.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name, path in PACKAGES.items():
        shutil.copytree(path, STAGE / name, ignore=ignore)
    for path in sorted(STAGE.glob("*/*.py")):
        relative = path.relative_to(STAGE)
        if mutated(relative):
            path.write_text(undecorate(path.read_text()))
    shutil.copytree(ROOT / "tests", STAGE / "tests", ignore=ignore)
    for name in ALSO_COPY:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, STAGE / name, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, STAGE / name)
    (STAGE / "mutation_pytest_plugin.py").write_text(PYTEST_PLUGIN)
    config = (ROOT / "pyproject.toml").read_text() + (
        "\n[tool.mutmut]\n"
        f"source_paths = {sorted(PACKAGES)!r}\n"
        f"only_mutate = {MUTATE!r}\n"
        f"also_copy = {[*ALSO_COPY, 'mutation_pytest_plugin.py']!r}\n"
        f"pytest_add_cli_args_test_selection = {TESTS!r}\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-p", "mutation_pytest_plugin", "-q"]\n'
    ).replace("'", '"')
    (STAGE / "pyproject.toml").write_text(config)


def summary() -> int:
    """Print killed/total per module from mutmut's results; return the number of survivors."""
    output = subprocess.run(["mutmut", "results", "--all", "true"], cwd=STAGE, capture_output=True, text=True, check=True)
    counts: dict[str, dict[str, int]] = {}
    for line in output.stdout.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if not name:
            continue
        module = name.rpartition(".")[0]
        counts.setdefault(module, {}).setdefault(status, 0)
        counts[module][status] += 1
    total = killed = 0
    for module, statuses in sorted(counts.items()):
        module_total = sum(statuses.values())
        module_killed = statuses.get("killed", 0) + statuses.get("timeout", 0)
        total += module_total
        killed += module_killed
        detail = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
        print(f"{module:28} {module_killed:5}/{module_total:<5} killed  ({detail})")
    if total:
        print(f"{'all':28} {killed:5}/{total:<5} killed  ({100 * killed / total:.1f}%)")
    return total - killed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--max-children", type=int, default=2, help="tests run in parallel (default 2)")
    parser.add_argument("--keep", action="store_true", help="reuse .mutation/ and mutmut's results in it (resume a run)")
    parser.add_argument("mutants", nargs="*", help="run only these mutants (names as `mutmut results` prints them)")
    args = parser.parse_args()
    if not (args.keep and STAGE.exists()):
        stage()
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    command = ["mutmut", "run", "--max-children", str(args.max_children), *args.mutants]
    code = subprocess.run(command, cwd=STAGE, env=environment, check=False).returncode
    if code != 0:
        return code
    summary()
    print(f"Survivors: `mutmut results` in {STAGE.relative_to(ROOT)}/, `mutmut show NAME` for one.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
