"""The HTTP API example in docs/sources.md runs and prints what the page says."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[3] / "docs" / "sources.md"


def test_http_api_example_prints_the_documented_response(capsys):
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## API Gateway HTTP API") :]
    example, printed = re.findall(r"```python\n(.*?)```", section, re.S)[:2]
    exec(compile(example, str(DOC), "exec"), {"__name__": "__main__"})
    assert capsys.readouterr().out == printed
