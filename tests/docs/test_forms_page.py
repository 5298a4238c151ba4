"""The examples of docs/forms.md run as the page says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[2] / "docs" / "forms.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", PAGE.read_text(), re.S)


def test_the_page_has_its_five_examples():
    assert len(python_blocks()) == 5


@pytest.mark.parametrize("index", range(5))
def test_each_example_runs_and_its_assertions_hold(index):
    namespace: dict[str, object] = {"__name__": f"forms_page_{index}"}
    exec(compile(python_blocks()[index], str(PAGE), "exec", dont_inherit=True), namespace)
    assert "app" in namespace
