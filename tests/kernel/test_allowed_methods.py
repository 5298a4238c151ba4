"""RouteTable.allowed_methods: which methods the routes whose rules match a path serve (for 405 answers)."""

from __future__ import annotations

from kernel.routing import Route, RouteTable


def table(*rules: tuple[str, str]) -> RouteTable:
    routes = RouteTable()
    for method, rule in rules:
        routes.add(Route(method, rule, lambda **_: None))
    return routes


def test_static_dynamic_and_mixed_segment_rules_all_count():
    routes = table(
        ("GET", "/files/<name>.<ext>"),
        ("PUT", "/files/<name>"),
        ("DELETE", "/files/readme.md"),
        ("POST", "/files/<name>/parts"),
    )
    assert routes.allowed_methods("/files/report.tar.gz") == ["GET", "PUT"]
    assert routes.allowed_methods("/files/readme.md") == ["DELETE", "GET", "PUT"]
    assert routes.allowed_methods("/files/readme") == ["PUT"]
    assert routes.allowed_methods("/files/a/parts") == ["POST"]


def test_a_path_no_rule_matches_has_no_methods():
    routes = table(("GET", "/files/<name>"), ("GET", "/"))
    assert routes.allowed_methods("/files") == []
    assert routes.allowed_methods("/files/") == []
    assert routes.allowed_methods("/files/a/b") == []
    assert routes.allowed_methods("/files/a%2Fb/") == []
    assert routes.allowed_methods("/") == ["GET"]
    assert routes.allowed_methods("") == []


def test_a_long_hostile_path_is_answered_quickly():
    routes = table(*[("GET", "/<a>" * depth) for depth in range(1, 30)], ("GET", "/x/<b>"), ("POST", "/<a>/x"))
    assert routes.allowed_methods("/x" * 20) == ["GET"]
    assert routes.allowed_methods("/x" * 100_000) == []
    assert routes.allowed_methods("/x/x") == ["GET", "POST"]
