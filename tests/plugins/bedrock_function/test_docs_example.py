"""The function-details example in docs/sources.md runs and prints what the page says."""

from __future__ import annotations

import re
from pathlib import Path

from tests.plugins.bedrock_function.events import call

DOC = Path(__file__).resolve().parents[3] / "docs" / "sources.md"


def example_and_output() -> tuple[str, str]:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## Bedrock Agents with function details") :]
    example, printed = re.findall(r"```python\n(.*?)```", section, re.S)[:2]
    return example, printed


def test_the_example_prints_the_documented_envelope(capsys):
    example, printed = example_and_output()
    exec(compile(example, str(DOC), "exec"), {"__name__": "__main__"})
    assert capsys.readouterr().out == printed


def test_the_example_s_second_tool_sets_the_session(capsys):
    example, _ = example_and_output()
    namespace: dict = {"__name__": "docs_example"}
    exec(compile(example, str(DOC), "exec"), namespace)
    event = call("book_table", ("restaurant", "string", "Tasca"), ("guests", "integer", "4"), session_attributes={"user": "ana"})
    result = namespace["lambda_handler"](event, None)
    assert result["response"]["functionResponse"] == {"responseBody": {"TEXT": {"body": '{"booked": "Tasca", "guests": 4}'}}}
    assert result["sessionAttributes"] == {"last_booking": "Tasca"}
