"""Routing where a literal segment or a mixed one (``<name>.<ext>``) sits beside a ``<param>``.

Rules are registered into a tree of segments; where a literal segment and a
parameter are siblings, the walk has to try both, and the rule registered
first wins where both match, exactly as a scan of the rules in order would.
"""

from __future__ import annotations

import pytest

from kernel import ApiGatewayResolver
from tests.kernel.helpers import NOT_FOUND, call, json_response


def base_app() -> ApiGatewayResolver:
    """The plain resolver (REST source), which does not forgive trailing slashes."""
    return ApiGatewayResolver(plugins=["rest"])


# -- a literal segment holding -, . or _ beside a <param> ----------------------------------


LITERALS = ["my-org", "my.org", "my_org", "v1.2-beta_3", "~team"]


def literal_then_param() -> ApiGatewayResolver:
    app = base_app()
    for literal in LITERALS:

        def by_literal(repo, literal=literal):
            return {"route": literal, "repo": repo}

        app.get(f"/repos/{literal}/<repo>")(by_literal)

    @app.get("/repos/<owner>/<repo>")
    def by_owner(owner, repo):
        return {"route": "owner", "owner": owner, "repo": repo}

    return app


@pytest.mark.parametrize("literal", LITERALS)
def test_a_literal_registered_first_wins_over_its_param_sibling(literal):
    app = literal_then_param()
    assert call(app, "GET", f"/repos/{literal}/kernel") == json_response(200, {"route": literal, "repo": "kernel"})


@pytest.mark.parametrize("owner", ["other", "my-org2", "my", "org", "my.org.uk", "_"])
def test_other_values_reach_the_param_sibling(owner):
    app = literal_then_param()
    expected = {"route": "owner", "owner": owner, "repo": "kernel"}
    assert call(app, "GET", f"/repos/{owner}/kernel") == json_response(200, expected)


@pytest.mark.parametrize("literal", LITERALS)
def test_a_param_registered_first_wins_over_a_literal_sibling(literal):
    app = base_app()

    @app.get("/repos/<owner>/<repo>")
    def by_owner(owner, repo):
        return {"route": "owner", "owner": owner, "repo": repo}

    @app.get(f"/repos/{literal}/<repo>")
    def by_literal(repo):
        return {"route": "literal", "repo": repo}

    expected = {"route": "owner", "owner": literal, "repo": "kernel"}
    assert call(app, "GET", f"/repos/{literal}/kernel") == json_response(200, expected)


def test_a_literal_holding_a_character_no_param_takes_is_reached_beside_a_param():
    # '"' is passed through by API Gateway but never matched by <param>: only the literal can take it.
    app = base_app()

    @app.get("/<owner>/<repo>")
    def by_owner(owner, repo):
        return {"route": "owner"}

    @app.get('/say"hi"/<repo>')
    def quoted(repo):
        return {"route": "quoted", "repo": repo}

    assert call(app, "GET", '/say"hi"/x') == json_response(200, {"route": "quoted", "repo": "x"})
    assert call(app, "GET", "/sayhi/x") == json_response(200, {"route": "owner"})
    assert call(app, "GET", '/say"ho"/x') == NOT_FOUND


def test_a_literal_sibling_does_not_take_deeper_paths_of_its_param_sibling():
    app = literal_then_param()

    @app.get("/repos/<owner>/<repo>/issues")
    def issues(owner, repo):
        return {"route": "issues", "owner": owner, "repo": repo}

    # my-org/<repo> has no /issues: the walk goes back to the parameter branch.
    expected = {"route": "issues", "owner": "my-org", "repo": "kernel"}
    assert call(app, "GET", "/repos/my-org/kernel/issues") == json_response(200, expected)
    assert call(app, "GET", "/repos/my-org/kernel/pulls") == NOT_FOUND


# -- one mixed segment, several methods -------------------------------------------------------


def files_app() -> ApiGatewayResolver:
    app = base_app()

    @app.get("/files/<name>.<ext>")
    def read(name, ext):
        return {"op": "read", "name": name, "ext": ext}

    @app.put("/files/<name>.<ext>")
    def write(name, ext):
        return {"op": "write", "name": name, "ext": ext}

    return app


def test_get_and_put_on_the_same_mixed_segment_reach_their_own_function():
    app = files_app()
    assert call(app, "GET", "/files/report.pdf") == json_response(200, {"op": "read", "name": "report", "ext": "pdf"})
    assert call(app, "PUT", "/files/report.pdf") == json_response(200, {"op": "write", "name": "report", "ext": "pdf"})
    # The first parameter takes as much as it can.
    expected = {"op": "write", "name": "backup.tar", "ext": "gz"}
    assert call(app, "PUT", "/files/backup.tar.gz") == json_response(200, expected)


def test_a_method_the_mixed_segment_does_not_serve_is_not_found():
    app = files_app()
    assert call(app, "DELETE", "/files/report.pdf") == NOT_FOUND
    assert call(app, "GET", "/files/report") == NOT_FOUND


def test_methods_on_one_mixed_segment_keep_their_own_parameter_names():
    # Both rules spell the same segment (".", two parameters): each route keeps its names.
    app = base_app()

    @app.get("/docs/<title>.<format>")
    def read(title, format):
        return {"op": "read", "title": title, "format": format}

    @app.delete("/docs/<name>.<ext>")
    def remove(name, ext):
        return {"op": "remove", "name": name, "ext": ext}

    assert call(app, "GET", "/docs/guide.md") == json_response(200, {"op": "read", "title": "guide", "format": "md"})
    assert call(app, "DELETE", "/docs/guide.md") == json_response(200, {"op": "remove", "name": "guide", "ext": "md"})


def test_mixed_segments_with_other_literals_are_siblings_too():
    app = files_app()

    @app.get("/files/<name>-<version>")
    def versioned(name, version):
        return {"op": "versioned", "name": name, "version": version}

    @app.get("/files/<name>")
    def plain(name):
        return {"op": "plain", "name": name}

    assert call(app, "GET", "/files/kernel-2") == json_response(200, {"op": "versioned", "name": "kernel", "version": "2"})
    # Registered first, <name>.<ext> wins where both mixed segments match.
    assert call(app, "GET", "/files/a-1.txt") == json_response(200, {"op": "read", "name": "a-1", "ext": "txt"})
    assert call(app, "GET", "/files/readme") == json_response(200, {"op": "plain", "name": "readme"})


# -- duplicates ---------------------------------------------------------------------------


def test_a_duplicate_dynamic_route_keeps_the_first_function_and_its_names():
    app = base_app()

    @app.get("/docs/<title>.<format>")
    def first(title, format):
        return {"route": "first", "title": title, "format": format}

    # Another spelling of the same rule: it matches the same paths, so it is a duplicate
    # the table refuses (no warning: the rule's text differs).
    @app.get("/docs/<name>.<ext>")
    def second(name, ext):
        return {"route": "second"}

    with pytest.warns(UserWarning, match=r"already registered\. method: 'GET' rule: '/docs/<title>\.<format>'"):

        @app.get("/docs/<title>.<format>")
        def third(title, format):
            return {"route": "third"}

    assert call(app, "GET", "/docs/guide.md") == json_response(200, {"route": "first", "title": "guide", "format": "md"})
    assert [route.func for route in app.routes] == [first]


def test_a_duplicate_plain_parameter_route_keeps_the_first_function():
    app = base_app()

    @app.get("/users/<user_id>/posts")
    def first(user_id):
        return {"route": "first", "user_id": user_id}

    @app.get("/users/<uid>/posts")
    def second(uid):
        return {"route": "second"}

    assert call(app, "GET", "/users/7/posts") == json_response(200, {"route": "first", "user_id": "7"})
    assert [route.func for route in app.routes] == [first]


# -- literals holding characters no parameter takes -----------------------------------------


def test_a_parameter_beside_a_literal_no_parameter_could_hold_is_never_empty():
    app = base_app()

    @app.get('/say/<a>"<b>')
    def quoted(a, b):
        return {"a": a, "b": b}

    @app.get('/pair/<a>-"<b>"-<c>')
    def triple(a, b, c):
        return {"a": a, "b": b, "c": c}

    assert call(app, "GET", '/say/x"y') == json_response(200, {"a": "x", "b": "y"})
    assert call(app, "GET", '/say/"-x') == NOT_FOUND  # <a> would be empty
    assert call(app, "GET", '/say/x"') == NOT_FOUND  # <b> would be empty
    assert call(app, "GET", '/pair/x-"b."-c') == json_response(200, {"a": "x", "b": "b.", "c": "c"})
    assert call(app, "GET", '/pair/--"b."-') == NOT_FOUND  # <c> would be empty
