"""The event sources the adapter is tested with: every installed source that builds events."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kernel import plugins


@dataclass(frozen=True)
class ServeCase:
    """One way to serve an app, and what a client then sees of source-specific behaviour."""

    id: str
    source: str
    options: dict[str, Any] = field(default_factory=dict)
    # What the app reads back for `?tag=a&tag=b` with get_multi_value_query_string_values("tag").
    repeated_query: tuple[str, ...] = ("a", "b")
    # What get_query_string_value("q") gives for `?q=caf%C3%A9` (ALB passes it on encoded).
    query_value: str = "café"
    # What get_header_value("x-many") gives for two `x-many` request headers (1 then 2).
    repeated_header: str | list[str] = "1,2"
    # Whether get_header_value gives the list of values the event holds (VPC Lattice v2, as on Powertools).
    header_lists: bool = False
    # Whether the source passes request cookies in the event's `cookies` list (payload 2.0).
    cookies_field: bool = False
    # How a response header with the values 1 and 2 reaches the client (header lines).
    response_header_lines: tuple[str, ...] = ("1, 2",)
    # Whether every Set-Cookie reaches the client, or only the last one.
    all_cookies: bool = True

    def __str__(self) -> str:
        return self.id


ALL_CASES = [
    # REST keeps every value in the multi-value maps and sends multiValueHeaders back.
    ServeCase("rest", "rest", repeated_header="2", response_header_lines=("1", "2")),
    # Payload 2.0 joins repeats with commas and moves cookies to their own list.
    ServeCase("http", "http", cookies_field=True),
    ServeCase("function-url", "function-url", cookies_field=True),
    # A target group without multi-value headers keeps the last value, and one cookie.
    ServeCase("alb", "alb", repeated_query=("b",), query_value="caf%C3%A9", repeated_header="2", all_cookies=False),
    ServeCase(
        "alb-multi-value",
        "alb",
        {"multi_value": "true"},
        query_value="caf%C3%A9",
        repeated_header="2",
        response_header_lines=("1", "2"),
    ),
    # Lattice has no cookies field: a response carries one Set-Cookie header.
    ServeCase("lattice-v2", "lattice-v2", repeated_header=["1", "2"], header_lists=True, all_cookies=False),
    ServeCase("lattice", "lattice", repeated_query=("b",), all_cookies=False),
]


def _servable(source: str) -> bool:
    if source not in plugins.installed():
        return False
    ((_, plugin),) = plugins.load([source])
    return bool(getattr(plugin, "can_build_events", False))


CASES = [case for case in ALL_CASES if _servable(case.source)]
