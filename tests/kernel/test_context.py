"""Request context (append_context / clear_context) and strip_prefixes."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kernel import BadRequestError
from tests.kernel.helpers import NOT_FOUND, call, json_response, rest_app

# -- context --------------------------------------------------------------------


def public(context: dict[str, Any]) -> dict[str, Any]:
    """The context without the kernel's own ``_route``/``_path``/... entries."""
    return {key: value for key, value in context.items() if not key.startswith("_")}


def test_append_context_is_visible_to_the_route_and_cleared_after():
    app = rest_app()
    seen: list[dict[str, Any]] = []

    def identify(app, next_middleware):
        app.append_context(user="alice", role="admin")
        return next_middleware(app)

    app.use([identify])

    @app.get("/me")
    def me():
        seen.append(public(app.context))
        return {"user": app.context["user"]}

    assert call(app, "GET", "/me") == json_response(200, {"user": "alice"})
    assert seen == [{"user": "alice", "role": "admin"}]
    assert app.context == {}


def test_context_set_before_resolve_is_seen_once_then_cleared():
    app = rest_app()
    seen: list[dict[str, Any]] = []

    @app.get("/x")
    def x():
        seen.append(public(app.context))
        return {}

    app.append_context(request_id="r-1")
    call(app, "GET", "/x")
    call(app, "GET", "/x")
    assert seen == [{"request_id": "r-1"}, {}]


def test_context_is_cleared_even_when_the_route_raises():
    app = rest_app()

    @app.get("/boom")
    def boom():
        app.append_context(half="done")
        raise RuntimeError("unhandled")

    @app.get("/bad")
    def bad():
        app.append_context(half="done")
        raise BadRequestError("nope")

    with pytest.raises(RuntimeError):
        call(app, "GET", "/boom")
    assert app.context == {}
    assert call(app, "GET", "/bad")["statusCode"] == 400
    assert app.context == {}


def test_kernel_entries_describe_the_matched_route():
    app = rest_app()
    seen: dict[str, Any] = {}

    @app.get("/users/<user_id>")
    def user(user_id):
        seen.update(route=app.context["_route"], path=app.context["_path"], args=app.context["_route_args"])
        return {}

    call(app, "GET", "/users/5")
    assert seen["route"] is app.routes[0]
    assert seen["path"] == "/users/5"
    assert seen["args"] == {"user_id": "5"}


def test_clear_context_empties_it():
    app = rest_app()
    app.append_context(a=1, b=2)
    app.append_context(b=3)
    assert app.context == {"a": 1, "b": 3}
    app.clear_context()
    assert app.context == {}


# -- strip_prefixes -------------------------------------------------------------


def prefixed_app(prefixes: list[Any]) -> Any:
    app = rest_app(strip_prefixes=prefixes)

    @app.get("/")
    def root():
        return {"route": "root", "path": app.context["_path"]}

    @app.get("/items/<item_id>")
    def item(item_id):
        return {"route": "item", "id": item_id}

    return app


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/items/1", {"route": "item", "id": "1"}),
        ("/api", {"route": "root", "path": "/"}),
        ("/api/", {"route": "root", "path": "/"}),
        ("/items/2", {"route": "item", "id": "2"}),  # without the prefix the path is routed as is
    ],
)
def test_string_prefix_is_stripped(path, expected):
    assert call(prefixed_app(["/api"]), "GET", path) == json_response(200, expected)


def test_string_prefix_must_end_at_a_segment_boundary():
    app = prefixed_app(["/api"])
    # "/apiitems/1" does not start with "/api/": nothing is stripped.
    assert call(app, "GET", "/apiitems/1") == NOT_FOUND


def test_first_matching_string_prefix_wins():
    app = prefixed_app(["/v1", "/v1/api"])
    # "/v1" is tried first and leaves "/api/items/1", which no route serves.
    assert call(app, "GET", "/v1/api/items/1") == NOT_FOUND
    app = prefixed_app(["/v1/api", "/v1"])
    assert call(app, "GET", "/v1/api/items/1") == json_response(200, {"route": "item", "id": "1"})
    assert call(app, "GET", "/v1/items/1") == json_response(200, {"route": "item", "id": "1"})


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/v1/items/3", {"route": "item", "id": "3"}),
        ("/v22/items/4", {"route": "item", "id": "4"}),
        ("/v1", {"route": "root", "path": "/"}),  # the regex removes everything: routed as "/"
    ],
)
def test_regex_prefix_is_stripped(path, expected):
    assert call(prefixed_app([re.compile(r"^/v\d+")]), "GET", path) == json_response(200, expected)


def test_string_and_regex_prefixes_together():
    app = prefixed_app(["/api", re.compile(r"^/tenant-\w+")])
    assert call(app, "GET", "/api/items/1") == json_response(200, {"route": "item", "id": "1"})
    assert call(app, "GET", "/tenant-acme/items/2") == json_response(200, {"route": "item", "id": "2"})


@pytest.mark.parametrize("junk", [None, 1, False, b"/api"])
def test_prefixes_that_are_neither_text_nor_patterns_are_skipped(junk):
    # As on Powertools: such an entry strips nothing, and the others still apply.
    app = prefixed_app([junk, "/api"])
    assert call(app, "GET", "/api/items/1") == json_response(200, {"route": "item", "id": "1"})
    assert call(app, "GET", "/items/2") == json_response(200, {"route": "item", "id": "2"})


def test_request_path_keeps_the_prefix():
    app = rest_app(strip_prefixes=["/api"])

    @app.get("/x")
    def x():
        return {"path": app.current_event.path}

    assert call(app, "GET", "/api/x") == json_response(200, {"path": "/api/x"})
