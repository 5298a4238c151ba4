"""The Python examples of the core docs pages run, and their assertions hold.

Each page's ```python blocks run in order in one namespace, as a reader would
paste them one after the other.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def python_blocks(page: str) -> list[str]:
    return BLOCK.findall((DOCS / page).read_text())


@pytest.mark.parametrize("page", ["core.md", "plugins.md"])
def test_examples_run(page, monkeypatch):
    monkeypatch.delenv("POWERTOOLS_DEV", raising=False)
    blocks = python_blocks(page)
    assert blocks, f"{page} has no Python example"
    namespace: dict[str, object] = {"__name__": f"docs_{page.removesuffix('.md')}"}
    for number, block in enumerate(blocks, start=1):
        code = compile(block, f"{page} (example {number})", "exec")
        exec(code, namespace)
