"""The examples of docs/validation.md run as the page says."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PAGE = Path(__file__).resolve().parents[3] / "docs" / "validation.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", PAGE.read_text(), re.S)


def test_every_python_block_is_valid_python():
    blocks = python_blocks()
    assert len(blocks) >= 3
    for block in blocks:
        ast.parse(block)


def test_the_quick_start_runs_and_its_assertions_hold():
    namespace: dict[str, object] = {"__name__": "validation_quick_start"}
    exec(compile(python_blocks()[0], str(PAGE), "exec", dont_inherit=True), namespace)

    assert "handler" in namespace
