"""The Python examples of the async page run in order, and their assertions hold."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def test_the_async_page_examples_run(monkeypatch):
    monkeypatch.delenv("POWERTOOLS_DEV", raising=False)
    blocks = BLOCK.findall((DOCS / "async.md").read_text())
    assert len(blocks) >= 4
    namespace: dict[str, object] = {"__name__": "docs_async"}
    for number, block in enumerate(blocks, start=1):
        exec(compile(block, f"async.md (example {number})", "exec"), namespace)
