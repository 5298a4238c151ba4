"""The documentation carries no notes meant for its maintainers.

An HTML comment in a page is invisible in the rendered text but ships in the
built site's HTML, and a "TODO" or "Placeholder" tells a reader the page is
unfinished. The only comments allowed are the ``<!-- docs-test: NAME -->``
markers with which tests find the code blocks they run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]

COMMENT = re.compile(r"<!--.*?-->", re.S)
DOCS_TEST_MARKER = re.compile(r"<!-- docs-test: \S+ -->")
# Case-sensitive on purpose: "todo" is the example app's subject, and a path
# "placeholder" is a term of the routing docs; the capitalised forms are notes.
NOTE_WORDS = re.compile(r"\b(?:TODO|FIXME|XXX|TBD|Placeholder|PLACEHOLDER)\b")


def maintainer_notes(text: str) -> list[str]:
    """The maintainer notes in a page's Markdown, each with its line number."""
    found = []
    for match in COMMENT.finditer(text):
        if not DOCS_TEST_MARKER.fullmatch(match.group()):
            found.append(f"line {text.count(chr(10), 0, match.start()) + 1}: {match.group()}")
    unclosed = text.rfind("<!--")
    if unclosed != -1 and "-->" not in text[unclosed:]:
        found.append(f"line {text.count(chr(10), 0, unclosed) + 1}: unclosed comment")
    for number, line in enumerate(text.splitlines(), start=1):
        if NOTE_WORDS.search(line):
            found.append(f"line {number}: {line.strip()}")
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_page_has_no_maintainer_notes(page):
    assert maintainer_notes(page.read_text(encoding="utf-8")) == []


def test_every_page_is_checked():
    assert ROOT / "docs" / "cli.md" in PAGES
    assert len(PAGES) >= 15


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("<!-- docs-test: app.py -->\n```python\n```\n", []),
        ("TODOS = {}\nA todo app, a path placeholder.\n", []),
        ("Intro.\n<!-- replace this section -->\n", ["line 2: <!-- replace this section -->"]),
        (
            "a\n<!--\n  The sections below belong to the engineers.\n-->\n",
            ["line 2: <!--\n  The sections below belong to the engineers.\n-->"],
        ),
        ("<!-- docs-test: app.py extra words -->\n", ["line 1: <!-- docs-test: app.py extra words -->"]),
        ("text\n<!-- never closed\n", ["line 2: unclosed comment"]),
        ("> **Placeholder.** Written later.\n", ["line 1: > **Placeholder.** Written later."]),
        ("Some text. TODO: examples\n", ["line 1: Some text. TODO: examples"]),
        ("```python\nx = 1  # FIXME\n```\n", ["line 2: x = 1  # FIXME"]),
    ],
)
def test_the_check_finds_notes_and_allows_the_markers(text, found):
    assert maintainer_notes(text) == found
