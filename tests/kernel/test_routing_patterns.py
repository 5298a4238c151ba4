"""Rules holding regular expressions route as on Powertools, where they are matched as written.

Each expected answer below is the one Powertools 3.37 gives for the same app
and request (the differential test in tests/fidelity runs such rules on both).
"""

from __future__ import annotations

import pytest

from kernel.routing import RouteTable, is_pattern_rule
from tests.kernel.helpers import NOT_FOUND, call, json_response, rest_app


def test_a_catch_all_rule_serves_every_path():
    app = rest_app()

    @app.get(".+")
    def catch_all():
        return {"route": "catch-all", "path": app.current_event.path}

    assert call(app, "GET", "/anything/deep") == json_response(200, {"route": "catch-all", "path": "/anything/deep"})
    assert call(app, "GET", "/") == json_response(200, {"route": "catch-all", "path": "/"})
    assert call(app, "POST", "/anything") == NOT_FOUND


def test_rules_without_groups_go_in_registration_order_before_rules_with_parameters():
    app = rest_app()

    @app.get("/hello")
    def hello():
        return {"route": "hello"}

    @app.get(".+")
    def catch_all():
        return {"route": "catch-all"}

    @app.get("/late")
    def late():
        return {"route": "late"}

    @app.get("/items/<item_id>")
    def item(item_id):
        return {"route": "item"}

    assert call(app, "GET", "/hello") == json_response(200, {"route": "hello"})
    # Registered after the catch-all: Powertools tries them in order, and so does kernel.
    assert call(app, "GET", "/late") == json_response(200, {"route": "catch-all"})
    assert call(app, "GET", "/items/1") == json_response(200, {"route": "catch-all"})


def test_patterns_with_groups_and_parameters_take_their_turn_among_dynamic_rules():
    app = rest_app()

    @app.get("/items/<item_id>")
    def item(item_id):
        return {"route": "item", "id": item_id}

    @app.get("/items/(new|old)")
    def group():
        return {"route": "group"}

    @app.get("/archive/[0-9]{4}/<slug>")
    def archive(slug):
        return {"route": "archive", "slug": slug}

    # The <param> rule was registered first.
    assert call(app, "GET", "/items/new") == json_response(200, {"route": "item", "id": "new"})
    assert call(app, "GET", "/archive/2024/news") == json_response(200, {"route": "archive", "slug": "news"})
    assert call(app, "GET", "/archive/24/news") == NOT_FOUND
    assert call(app, "GET", "/archive/2024/a/b") == NOT_FOUND  # <slug> is one segment


def test_a_pattern_registered_first_wins_over_a_later_parameter_rule():
    app = rest_app()

    @app.get("/items/(new|old)")
    def group():
        return {"route": "group"}

    @app.get("/items/<item_id>")
    def item(item_id):
        return {"route": "item", "id": item_id}

    assert call(app, "GET", "/items/new") == json_response(200, {"route": "group"})
    assert call(app, "GET", "/items/7") == json_response(200, {"route": "item", "id": "7"})


def test_an_invalid_regular_expression_is_refused_when_declared():
    app = rest_app()
    with pytest.raises(ValueError, match=r"Route rule '\*' is not a valid regular expression: nothing to repeat"):

        @app.get("*")
        def never():
            return {}

    assert app.routes == []


def test_a_dot_is_a_dot_in_an_ordinary_rule():
    # A deliberate difference (docs/migrating.md, "A dot in a rule is a dot"): Powertools reads
    # it as any character and also routes /v1x0/items here.
    app = rest_app()

    @app.get("/v1.0/items")
    def items():
        return {"route": "items"}

    assert call(app, "GET", "/v1.0/items") == json_response(200, {"route": "items"})
    assert call(app, "GET", "/v1x0/items") == NOT_FOUND


def test_a_route_rule_is_the_anchored_regex_of_the_paths_it_serves():
    app = rest_app()
    for rule in ("/v1.0/items", "/v[0-9]/<name>", "/files/<name>.<ext>"):
        app.get(rule)(lambda **parameters: parameters)
    dotted, pattern, mixed = (route.rule for route in app.routes)
    assert dotted.match("/v1.0/items")
    assert dotted.match("/v1x0/items") is None
    assert dotted.match("/v1.0/items/more") is None
    assert pattern.match("/v2/ada").groupdict() == {"name": "ada"}
    assert pattern.match("/vx/ada") is None
    assert mixed.match("/files/report.pdf").groupdict() == {"name": "report", "ext": "pdf"}


@pytest.mark.parametrize(
    ("rule", "pattern"),
    [
        ("/items/<item_id>", False),
        ("/files/<name>.<ext>", False),
        ("/v1.0/items", False),
        ("/a-b_c~d", False),
        (".+", True),
        ("/files/.*", True),
        ("/items/(new|old)", True),
        ("/v[0-9]/<name>", True),
        ("/x?", True),
        ("/$default/items", False),  # "$" and "^" are text: API Gateway paths hold them
    ],
)
def test_which_rules_are_patterns(rule, pattern):
    assert is_pattern_rule(rule) is pattern


def test_ordinary_rules_never_reach_the_pattern_matcher():
    # Without pattern rules, matching is the dict and tree walk alone: flat in the number of routes.
    table = RouteTable()
    table._match_with_patterns = None  # type: ignore[assignment,method-assign]
    from kernel.routing import Route

    for index in range(200):
        table.add(Route("GET", f"/r{index}/<item_id>", lambda item_id: None))
    found = table.match("GET", "/r199/7")
    assert found is not None
    assert found[1] == {"item_id": "7"}


def test_a_405_lists_the_methods_of_pattern_rules_too():
    app = rest_app(method_not_allowed=True)

    @app.get("/files/.+")
    def files():
        return {}

    response = call(app, "POST", "/files/a/b")
    assert response["statusCode"] == 405
    assert response["multiValueHeaders"]["Allow"] == ["GET"]
