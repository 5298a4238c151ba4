"""The examples of docs/testing.md run as the page says: each block defines tests, run here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[2] / "docs" / "testing.md"


def examples() -> dict[str, str]:
    return dict(re.findall(r"<!-- docs-test: (\S+) -->\n```python\n(.*?)```", PAGE.read_text(), re.S))


def test_the_page_has_its_examples():
    assert set(examples()) == {"client", "sources", "cookies"}


@pytest.mark.parametrize("name", ["client", "sources", "cookies"])
def test_every_example_test_passes(name):
    namespace: dict[str, object] = {"__name__": f"docs_testing_{name}"}
    exec(compile(examples()[name], f"docs/testing.md:{name}", "exec"), namespace)
    tests = [function for key, function in namespace.items() if key.startswith("test_") and callable(function)]
    assert tests
    for test in tests:
        test()
