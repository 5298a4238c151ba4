"""The ``kernel openapi`` section of docs/cli.md shows what the command does."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kernel import cli

ROOT = Path(__file__).resolve().parents[2]
PAGE = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
SECTION = PAGE[PAGE.index("## `kernel openapi`") :]


def block(language: str, first_line: str) -> str:
    """The body of the section's first ``language`` block whose first line is ``first_line``."""
    for body in re.findall(rf"```{language}\n(.*?)```", SECTION, re.S):
        if body.startswith(first_line + "\n"):
            return body
    raise AssertionError(f"docs/cli.md has no {language} block starting {first_line!r}")


@pytest.fixture
def at_the_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.mark.usefixtures("at_the_root")
def test_the_shown_output_is_how_the_document_starts(capsys):
    shown = block("text", "$ kernel openapi examples/hello.py").split("\n", 1)[1]

    assert cli.main(["openapi", "examples/hello.py"]) == 0

    out = capsys.readouterr().out
    assert out.startswith(shown)
    assert json.loads(out)["info"] == {"title": "API", "version": "1.0.0"}


@pytest.mark.usefixtures("at_the_root")
@pytest.mark.parametrize("option", ["-o", "--output"])
def test_the_output_options_write_the_same_document(tmp_path, capsys, option):
    assert cli.main(["openapi", "examples/hello.py"]) == 0
    printed = capsys.readouterr().out
    assert cli.main(["openapi", "examples/hello.py", "-o", "-"]) == 0
    assert capsys.readouterr().out == printed

    assert cli.main(["openapi", "examples/hello.py", option, str(tmp_path / "openapi.json")]) == 0
    assert capsys.readouterr().out == ""
    assert (tmp_path / "openapi.json").read_text(encoding="utf-8") == printed


def test_the_entry_point_shown_is_the_plugins_own():
    shown = block("toml", '[project.entry-points."kernel.commands"]')
    pyproject = (ROOT / "plugins" / "openapi" / "pyproject.toml").read_text(encoding="utf-8")
    assert shown in pyproject
    assert "openapi = " in shown
