"""Times routing on long hostile segments; run by tests/kernel/test_routing_linear.py in a child process.

Kept apart from the test module so the child imports only ``kernel.routing``
and starts fast. ``python -m tests.kernel.routing_timing`` prints, as JSON,
the seconds per match of each rule and input at 1 KB and 64 KB.
"""

from __future__ import annotations

import json
import time

from kernel.routing import Route, RouteTable

# The rules and inputs that made the regex backtrack: several parameters in one
# segment, and a long run of the separator with no way (or one late way) to match.
RULES = {
    "three": "/t/<a>-<b>-<c>",
    "four": "/t/<a>-<b>-<c>-<d>",
    "five": "/t/<a>-<b>-<c>-<d>-<e>",
    # A literal holding a character no parameter can: the matcher's other path.
    "covered": '/t/<a>-<b>"<c>',
}
INPUTS = {
    "dashes-then-bang": lambda n: "-" * n + "!",  # matches, after the regex tried every split
    "dashes-then-quote": lambda n: "-" * n + '"',  # cannot match: no parameter holds '"'
    "dash-quote-pairs": lambda n: '-"' * (n // 2),  # many characters only literals could cover
}
SMALL, LARGE = 1_024, 65_536


def _per_call(table: RouteTable, path: str, calls: int) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(calls):
            table.match("GET", path)
        best = min(best, (time.perf_counter() - started) / calls)
    return best


def measure() -> dict[str, list[float]]:
    """Seconds per match of each rule and input, at 1 KB and at 64 KB."""
    times = {}
    for rule_name, rule in RULES.items():
        table = RouteTable()
        table.add(Route("GET", rule, lambda **_: None))
        for input_name, make in INPUTS.items():
            small = _per_call(table, "/t/" + make(SMALL), 40)
            large = _per_call(table, "/t/" + make(LARGE), 1)
            times[f"{rule_name} {input_name}"] = [small, large]
    return times


if __name__ == "__main__":
    print(json.dumps(measure()))
