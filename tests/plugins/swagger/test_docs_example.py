"""The examples of docs/swagger.md run and their assertions hold."""

import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[3] / "docs" / "swagger.md"
BLOCKS = re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)


def test_page_has_examples():
    assert len(BLOCKS) == 5


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_example_runs(index, monkeypatch):
    monkeypatch.delenv("POWERTOOLS_DEV", raising=False)
    exec(compile(BLOCKS[index], f"{PAGE}:block{index}", "exec"), {"__name__": "docs_example"})
