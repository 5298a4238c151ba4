"""docs/contributing.md: its example test passes, and what it says of scripts/mutation is what the script does."""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "contributing.md"


def examples() -> dict[str, str]:
    return dict(re.findall(r"<!-- docs-test: (\S+) -->\n```python\n(.*?)```", PAGE.read_text(), re.S))


def staging_module():
    spec = importlib.util.spec_from_file_location("mutation_stage", ROOT / "scripts" / "mutation_stage.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_test_passes():
    namespace: dict[str, object] = {"__name__": "docs_contributing"}
    exec(compile(examples()["exact-answer"], "docs/contributing.md:exact-answer", "exec"), namespace)
    tests = [function for key, function in namespace.items() if key.startswith("test_") and callable(function)]
    assert len(tests) == 1
    tests[0]()


def test_the_scripts_the_page_names_are_there():
    text = PAGE.read_text()
    for script in ("scripts/test", "scripts/mutation"):
        assert f"`{script}`" in text or f"{script} " in text
        assert os.access(ROOT / script, os.X_OK), script
    assert (ROOT / "scripts" / "mutation-survivors.md").is_file()
    assert "mutmut>=3,<4" in (ROOT / "scripts" / "mutation").read_text()


def test_the_page_names_the_modules_and_tests_the_script_uses():
    stage = staging_module()
    assert stage.MUTATE == [
        "kernel/routing.py",
        "kernel/app.py",
        "kernel/middleware.py",
        "kernel_cors/*.py",
        "kernel_rest/*.py",
    ]
    text = PAGE.read_text()
    tests = [argument for argument in stage.TESTS if not argument.startswith("-")]
    assert tests == ["tests/kernel", "tests/plugins/cors", "tests/plugins/rest", "tests/behaviour"]
    for directory in tests:
        assert f"`{directory}`" in text


def test_decorated_functions_become_assignments_the_same_program_runs():
    source = (
        "import functools\n"
        "\n"
        "def twice(function):\n"
        "    return lambda *args: 2 * function(*args)\n"
        "\n"
        "@twice\n"
        "@functools.lru_cache(maxsize=None)\n"
        "def area(side):\n"
        "    return side * side\n"
        "\n"
        "class Square:\n"
        "    def __init__(self, side):\n"
        "        self.side = side\n"
        "\n"
        "    @property\n"
        "    def area(self):\n"
        "        return self.side * self.side\n"
        "\n"
        "    @staticmethod\n"
        "    def sides():\n"
        "        return 4\n"
    )
    rewritten = staging_module().undecorate(source)
    assert "@twice" not in rewritten
    assert "area = twice(functools.lru_cache(maxsize=None)(area))\n" in rewritten
    assert "    area = property(area)\n" in rewritten
    assert "    @staticmethod\n" in rewritten  # mutmut mutates those as they are
    before: dict[str, object] = {}
    after: dict[str, object] = {}
    exec(source, before)
    exec(rewritten, after)
    for namespace in (before, after):
        assert namespace["area"](3) == 18  # type: ignore[operator]
        assert namespace["Square"](5).area == 25  # type: ignore[operator]
        assert namespace["Square"].sides() == 4  # type: ignore[attr-defined]
