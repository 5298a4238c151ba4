"""Routing takes time linear in the path's length, and splits mixed segments as the regex it replaced did.

A segment with several parameters (``/t/<a>-<b>-<c>``) used to be matched by
a regular expression, which backtracks: 1.6 s on a 1,000-character segment
with three parameters, over 15 s on 500 with five. The matcher now places
literals with ``str.rfind`` (see :class:`kernel.routing.SegmentPattern`).

The timing test compares growth, not absolute times: matching a 64 KB segment
must cost well under 64 * 8 times a 1 KB one (quadratic growth would be
4,096 times). It runs in a child process (tests/kernel/routing_timing.py)
with a timeout, so a regression to a backtracking matcher fails in a minute
instead of hanging the suite.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernel.routing import PARAM_CHARS, Route, SegmentPattern
from tests.events import rest_event
from tests.kernel import routing_timing
from tests.kernel.helpers import NOT_FOUND, json_response, rest_app
from tests.kernel.routing_timing import LARGE

REPO = Path(__file__).resolve().parents[2]
# 64 times the input; linear growth gives about 64, quadratic 4,096.
MAX_RATIO = 64 * 8


def test_matching_time_grows_linearly_with_the_segment_length():
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tests.kernel.routing_timing"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    except subprocess.TimeoutExpired:  # pragma: no cover - only when the matcher backtracks again
        pytest.fail("matching 1 KB and 64 KB segments took over a minute: the matcher backtracks")
    times = json.loads(done.stdout)
    ratios = {case: large / small for case, (small, large) in times.items()}
    assert len(ratios) == len(routing_timing.RULES) * len(routing_timing.INPUTS)
    slow = {case: round(ratio) for case, ratio in ratios.items() if ratio >= MAX_RATIO}
    assert not slow, f"64 KB costs more than {MAX_RATIO}x 1 KB: {slow} (all: {times})"


def test_a_64_kb_segment_with_five_parameters_is_routed():
    app = rest_app()

    @app.get("/t/<a>-<b>-<c>-<d>-<e>")
    def five(a, b, c, d, e):
        return {"lengths": [len(a), len(b), len(c), len(d), len(e)]}

    # Greedy: every parameter but the last takes as much as it can.
    assert app(rest_event("GET", "/t/" + "-" * LARGE + "!"), None) == json_response(200, {"lengths": [LARGE - 7, 1, 1, 1, 1]})
    assert app(rest_event("GET", "/t/" + "-" * LARGE + '"'), None) == NOT_FOUND


# -- the split: the one the regex made ---------------------------------------------------


def regex_split(rule: str, segment: str) -> list[str] | None:
    """What the regex the router used before made of ``segment``: each parameter greedy, one or more characters."""
    pieces = re.split(r"<(\w+)>", rule)
    source = "".join(re.escape(piece) if i % 2 == 0 else f"({PARAM_CHARS})" for i, piece in enumerate(pieces))
    found = re.fullmatch(source, segment)
    return None if found is None else list(found.groups())


@pytest.mark.parametrize(
    ("rule", "segment", "values"),
    [
        ("<a>-<b>", "x-y-z", ["x-y", "z"]),
        ("<a>-<b>-<c>", "2024-01-31", ["2024", "01", "31"]),
        ("<a>-<b>-<c>", "a-b-c-d", ["a-b", "c", "d"]),
        ("<a>-<b>-<c>", "a---b", ["a", "-", "b"]),  # a parameter may hold the separator
        ("<a>-<b>-<c>", "a-b", None),
        ("<a>-<b>-<c>", "-xx-y", None),  # the first parameter is never empty either
        ("<a><b>", "xyz", ["xy", "z"]),  # adjacent parameters: the last takes one character
        ("<a><b>", "x", None),
        ("v<major>.<minor>", "v1.2.3", ["1.2", "3"]),
        ("<name>.tar.gz", "a.b.tar.gz", ["a.b"]),
        ("<name>.tar.gz", ".tar.gz", None),  # a parameter is never empty
        ("x<a>x", "xx", None),  # the literals around may not overlap
        ("x<a>x", "xxx", ["x"]),
        ('<a>"<b>', 'x"y', ["x", "y"]),
        ('<a>"<b>', 'x"y"z', None),  # no parameter holds '"': only one literal can cover it
        ('<a>"<b>"<c>', 'x"y"z', ["x", "y", "z"]),
        ('<a>-"<b>', 'x-"-"y', None),
        ('<a>-"<b>', 'x--"y', ["x-", "y"]),
        ("<a>/<b>", "x/y", ["x", "y"]),  # not reachable by routing ('/' splits segments), still consistent
        ("<a>.<b>", "\u00e9t\u00e9.caf\u00e9", ["\u00e9t\u00e9", "caf\u00e9"]),
        ("<a>.<b>", "a\u2192b.c", None),  # an arrow is no word character
    ],
)
def test_mixed_segments_split_as_the_regex_did(rule, segment, values):
    assert SegmentPattern(rule).match(segment) == values
    assert regex_split(rule, segment) == values


LITERAL_ALPHABET = '-."x'


@st.composite
def rules_and_segments(draw: st.DrawFn) -> tuple[str, str]:
    literals = draw(st.lists(st.text(LITERAL_ALPHABET, max_size=3), min_size=2, max_size=6))
    # A segment made of the rule's literals with values in between (often a match), sometimes mutated.
    rule = literals[0] + "".join(f"<p{i}>{literal}" for i, literal in enumerate(literals[1:]))
    values = draw(
        st.lists(st.text(LITERAL_ALPHABET + "a", min_size=1, max_size=4), min_size=len(literals) - 1, max_size=len(literals) - 1)
    )
    segment = literals[0] + "".join(value + literal for value, literal in zip(values, literals[1:], strict=True))
    if draw(st.booleans()):
        segment = draw(st.text(LITERAL_ALPHABET + "a", max_size=14))
    return rule, segment


@settings(max_examples=250, deadline=None, derandomize=True, database=None)
@given(rules_and_segments())
def test_any_mixed_segment_splits_as_the_regex_did(rule_and_segment):
    rule, segment = rule_and_segment
    assert SegmentPattern(rule).match(segment) == regex_split(rule, segment)


def test_segment_pattern_needs_a_parameter():
    with pytest.raises(ValueError, match="has no <parameter>"):
        SegmentPattern("plain")


def test_rules_with_the_same_literals_share_a_node_and_keep_their_own_names():
    app = rest_app()

    @app.get("/a/<x>.<y>")
    def first(x, y):
        return {"route": "first", "x": x, "y": y}

    @app.post("/a/<name>.<ext>")
    def second(name, ext):
        return {"route": "second", "name": name, "ext": ext}

    assert app(rest_event("GET", "/a/r.tar.gz"), None) == json_response(200, {"route": "first", "x": "r.tar", "y": "gz"})
    assert app(rest_event("POST", "/a/r.tar.gz"), None) == json_response(200, {"route": "second", "name": "r.tar", "ext": "gz"})


def test_the_rule_regex_is_still_offered_for_code_that_reads_it():
    route = Route("GET", "/t/<a>-<b>", lambda a, b: None)
    found: Any = route.rule.match("/t/x-y-z")
    assert found.groupdict() == {"a": "x-y", "b": "z"}
