"""The one list of known differences: each entry explained in docs/migrating.md and usable by a test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.known_differences import BY_NAME, KNOWN, Difference

MIGRATING = Path(__file__).resolve().parents[1] / "docs" / "migrating.md"


def _sections() -> dict[str, str]:
    """docs/migrating.md's headings (without ``#`` or backticks) -> their text, lines joined."""
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in MIGRATING.read_text().splitlines():
        if line.startswith("#"):
            current = sections.setdefault(line.lstrip("#").strip().strip("`"), [])
        else:
            current.append(line)
    return {heading: " ".join(" ".join(lines).split()) for heading, lines in sections.items()}


@pytest.mark.parametrize("difference", KNOWN, ids=lambda difference: difference.name)
def test_each_difference_is_explained_under_its_heading(difference: Difference):
    sections = _sections()
    assert difference.section in sections, f"no heading {difference.section!r} in docs/migrating.md"
    if difference.item is not None:
        assert f"**{difference.item}**" in sections[difference.section]


@pytest.mark.parametrize("difference", KNOWN, ids=lambda difference: difference.name)
def test_each_difference_says_how_tests_meet_it(difference: Difference):
    shapes = (difference.answer, difference.set_aside, difference.document, difference.refused, difference.answered)
    assert any(shape is not None for shape in shapes) or difference.places or difference.accessors


def test_the_names_are_unique():
    assert len(BY_NAME) == len(KNOWN)
