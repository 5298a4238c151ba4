"""The ALB examples in docs/sources.md run and print what the page says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[3] / "docs" / "sources.md"


def example_and_output(heading: str) -> tuple[str, str]:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    example, printed = re.findall(r"```python\n(.*?)```", section, re.S)[:2]
    return example, printed


@pytest.mark.parametrize("heading", ["## Application Load Balancer (`alb`)", "### Responses over 1 MiB"])
def test_example_prints_the_documented_response(heading, capsys, monkeypatch):
    # The sizes on the page are those of a runtime that escapes non-ASCII text (any but Python 3.12+).
    monkeypatch.delenv("AWS_EXECUTION_ENV", raising=False)
    example, printed = example_and_output(heading)
    exec(compile(example, str(DOC), "exec"), {"__name__": "__main__"})
    assert capsys.readouterr().out == printed
