"""The examples of docs/dependencies.md run as the page says."""

from __future__ import annotations

import re
from pathlib import Path

PAGE = Path(__file__).resolve().parents[2] / "docs" / "dependencies.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", PAGE.read_text(), re.S)


def run(source: str, namespace: dict[str, object] | None = None) -> dict[str, object]:
    namespace = namespace if namespace is not None else {"__name__": "dependencies_page"}
    exec(compile(source, str(PAGE), "exec", dont_inherit=True), namespace)
    return namespace


def test_the_page_has_its_four_examples():
    assert len(python_blocks()) == 4


def test_the_tree_example_runs_and_its_assertions_hold():
    assert "get_todo" in run(python_blocks()[0])


def test_the_middleware_example_runs_and_its_assertions_hold():
    assert "tenant_middleware" in run(python_blocks()[1])


def test_the_validation_example_and_its_override_test_run():
    blocks = python_blocks()
    namespace = run(blocks[2])
    run(blocks[3], namespace)
    namespace["test_orders_of_a_test_tenant"]()  # type: ignore[operator]
    assert namespace["app"].dependency_overrides == {}  # type: ignore[attr-defined]
