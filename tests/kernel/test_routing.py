"""Routing: decorators, methods, path parameters, precedence, trailing slashes, 404."""

from __future__ import annotations

import functools
import warnings

import pytest

from kernel import ApiGatewayResolver, Route, Router
from kernel.routing import check_rule
from tests.events import rest_event
from tests.kernel.helpers import NOT_FOUND, call, json_response, rest_app


def base_app() -> ApiGatewayResolver:
    """The plain resolver (REST source), which does not forgive trailing slashes."""
    return ApiGatewayResolver(plugins=["rest"])


# -- decorators and methods ---------------------------------------------------


@pytest.mark.parametrize("verb", ["get", "post", "put", "delete", "patch", "head"])
def test_each_method_decorator_serves_only_its_method(verb):
    app = rest_app()

    @getattr(app, verb)("/thing")
    def thing():
        return {"verb": verb}

    method = verb.upper()
    assert call(app, method, "/thing") == json_response(200, {"verb": verb})
    other = "GET" if method != "GET" else "POST"
    assert call(app, other, "/thing") == NOT_FOUND
    assert [(route.method, route.path) for route in app.routes] == [(method, "/thing")]


def test_route_with_several_methods_registers_each():
    app = rest_app()

    @app.route("/items", ["get", "POST"])
    def items():
        return {"method": app.current_event.http_method}

    @app.route("/tuple", ("PUT", "patch"))
    def tupled():
        return {"ok": True}

    assert call(app, "GET", "/items") == json_response(200, {"method": "GET"})
    assert call(app, "POST", "/items") == json_response(200, {"method": "POST"})
    assert call(app, "DELETE", "/items") == NOT_FOUND
    assert call(app, "PATCH", "/tuple")["statusCode"] == 200
    assert [(route.method, route.path) for route in app.routes] == [
        ("GET", "/items"),
        ("POST", "/items"),
        ("PUT", "/tuple"),
        ("PATCH", "/tuple"),
    ]


def test_route_with_a_single_method_string():
    app = rest_app()

    @app.route("/one", "delete")
    def one():
        return {"deleted": True}

    assert call(app, "DELETE", "/one") == json_response(200, {"deleted": True})


def test_request_method_is_matched_without_case():
    app = rest_app()

    @app.get("/hello")
    def hello():
        return {"hi": True}

    assert call(app, "get", "/hello") == json_response(200, {"hi": True})


def test_decorator_returns_the_function_unchanged():
    app = rest_app()

    def hello():
        return {"hi": True}

    assert app.get("/hello")(hello) is hello
    assert app.routes[0].func is hello


def test_every_route_keyword_is_stored_on_the_route():
    # cors=True and compress=True need their plugins in the app.
    app = rest_app(plugins=["rest", "cors", "compression"])

    def middleware(app, next_middleware):
        return next_middleware(app)

    responses = {404: {"description": "No such thing"}}
    security = [{"apiKey": []}]

    @app.get(
        "/things/<thing_id>",
        cors=True,
        compress=True,
        cache_control="max-age=60",
        summary="Read a thing",
        description="Reads one thing by its id.",
        responses=responses,
        response_description="The thing",
        tags=["things"],
        operation_id="readThing",
        include_in_schema=False,
        security=security,
        middlewares=[middleware],
        openapi_extensions={"x-owner": "things-team"},
        deprecated=True,
        status_code=203,
        enable_validation=False,
    )
    def read_thing(thing_id):
        return {"id": thing_id}

    (route,) = app.routes
    assert isinstance(route, Route)
    assert route.method == "GET"
    assert route.path == "/things/<thing_id>"
    assert route.openapi_path == "/things/{thing_id}"
    assert route.func is read_thing
    assert route.cors is True
    assert route.compress is True
    assert route.cache_control == "max-age=60"
    assert route.summary == "Read a thing"
    assert route.description == "Reads one thing by its id."
    assert route.responses == responses
    assert route.response_description == "The thing"
    assert route.tags == ["things"]
    assert route.operation_id == "readThing"
    assert route.include_in_schema is False
    assert route.security == security
    assert route.middlewares == [middleware]
    assert route.openapi_extensions == {"x-owner": "things-team"}
    assert route.deprecated is True
    assert route.status_code == 203
    assert route.enable_validation is False


def test_a_route_keeps_its_response_validation_status_for_the_validation_plugin():
    app = rest_app(plugins=["rest", "validation"], enable_validation=True)

    @app.get("/count", custom_response_validation_http_code=502)
    def count() -> int:
        return "many"

    (route,) = app.routes
    assert route.custom_response_validation_http_code == 502
    assert call(app, "GET", "/count")["statusCode"] == 502


def test_a_route_function_without_a_name_gets_a_generated_operation_id_all_the_same():
    def read(source, thing_id):
        return {"source": source, "id": thing_id}

    app = rest_app()
    app.get("/things/<thing_id>")(functools.partial(read, "db"))
    assert app.routes[0].operation_id == "route_things__thing_id__get"
    assert call(app, "GET", "/things/7") == json_response(200, {"source": "db", "id": "7"})


def test_route_keyword_defaults():
    app = rest_app()

    @app.post("/things")
    def create_thing():
        return {}

    (route,) = app.routes
    assert route.cors is False  # no app-wide CORS configuration
    assert route.compress is False
    assert route.cache_control is None
    assert route.summary is None
    assert route.description is None
    assert route.responses is None
    assert route.response_description == "Successful Response"
    assert route.tags == []
    assert route.operation_id == "create_thing_things_post"
    assert route.include_in_schema is True
    assert route.security is None
    assert route.middlewares == []
    assert route.openapi_extensions is None
    assert route.deprecated is False
    assert route.status_code == 200
    assert route.custom_response_validation_http_code is None
    assert route.enable_validation is None
    assert route.router is None
    assert route.body_encoder is None


def test_app_call_is_resolve_and_exposes_the_lambda_context():
    app = rest_app()
    seen = []

    @app.get("/hello")
    def hello():
        seen.append(app.lambda_context)
        return {"hi": True}

    context = object()
    event = rest_event("GET", "/hello")
    assert app(event, context) == app.resolve(event, context) == json_response(200, {"hi": True})
    assert seen == [context, context]


# -- path parameters ----------------------------------------------------------


def test_path_parameters_are_passed_by_name():
    app = rest_app()

    @app.get("/users/<user_id>/posts/<post_id>")
    def post(post_id, user_id):
        return {"user": user_id, "post": post_id}

    assert call(app, "GET", "/users/42/posts/abc-1") == json_response(200, {"user": "42", "post": "abc-1"})


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        "a-b_c.d~e",  # RFC 3986 unreserved
        "(x)!*'",  # sub-delimiters
        ":@,;=+&$",
        "a%20b",  # percent-escapes stay as sent
        "a b",  # characters API Gateway passes through unencoded
        "<>[]{}|^",
        "\u00e9t\u00e9",  # word characters beyond ASCII
    ],
)
def test_path_parameter_accepts_the_allowed_characters(value):
    app = rest_app()

    @app.get("/p/<value>")
    def param(value):
        return {"value": value}

    assert call(app, "GET", f"/p/{value}") == json_response(200, {"value": value})


@pytest.mark.parametrize("value", ["a/b", "a#b", "a?b", 'a"b', "a\\b", "a`b", ""])
def test_path_parameter_rejects_other_characters(value):
    app = base_app()

    @app.get("/p/<value>")
    def param(value):
        return {"value": value}

    assert call(app, "GET", f"/p/{value}") == NOT_FOUND


def test_a_slash_never_matches_inside_a_parameter():
    app = base_app()

    @app.get("/files/<name>")
    def one(name):
        return {"route": "one", "name": name}

    @app.get("/files/<name>/meta")
    def meta(name):
        return {"route": "meta", "name": name}

    assert call(app, "GET", "/files/a/b") == NOT_FOUND
    assert call(app, "GET", "/files/a/b/meta") == NOT_FOUND
    assert call(app, "GET", "/files/a/meta") == json_response(200, {"route": "meta", "name": "a"})


def test_mixed_segment_parameters():
    app = base_app()

    @app.get("/files/<name>.json")
    def json_file(name):
        return {"name": name}

    @app.get("/v<major>.<minor>/status")
    def version(major, minor):
        return {"major": major, "minor": minor}

    assert call(app, "GET", "/files/report.json") == json_response(200, {"name": "report"})
    assert call(app, "GET", "/files/a.b.json") == json_response(200, {"name": "a.b"})
    assert call(app, "GET", "/files/report.txt") == NOT_FOUND
    assert call(app, "GET", "/files/.json") == NOT_FOUND  # a parameter is never empty
    assert call(app, "GET", "/v1.2/status") == json_response(200, {"major": "1", "minor": "2"})
    # As with a regex scan, the earlier parameter takes as much as it can.
    assert call(app, "GET", "/v1.2.3/status") == json_response(200, {"major": "1.2", "minor": "3"})


# -- precedence ---------------------------------------------------------------


def test_static_route_wins_over_dynamic_registered_before_it():
    app = rest_app()

    @app.get("/users/<user_id>")
    def user(user_id):
        return {"route": "dynamic", "user": user_id}

    @app.get("/users/me")
    def me():
        return {"route": "static"}

    assert call(app, "GET", "/users/me") == json_response(200, {"route": "static"})
    assert call(app, "GET", "/users/42") == json_response(200, {"route": "dynamic", "user": "42"})


def test_static_route_wins_even_when_dynamic_matches_deeper():
    app = base_app()

    @app.get("/<a>/<b>")
    def dynamic(a, b):
        return {"route": "dynamic"}

    @app.get("/x/y")
    def static():
        return {"route": "static"}

    assert call(app, "GET", "/x/y") == json_response(200, {"route": "static"})


@pytest.mark.parametrize("order", ["a-first", "b-first"])
def test_first_registered_wins_among_overlapping_dynamic_rules(order):
    app = base_app()

    def by_prefix(x):
        return {"route": "/a/<x>", "x": x}

    def by_suffix(y):
        return {"route": "/<y>/b", "y": y}

    rules = [("/a/<x>", by_prefix), ("/<y>/b", by_suffix)]
    if order == "b-first":
        rules.reverse()
    for rule, func in rules:
        app.get(rule)(func)

    expected = {"route": "/a/<x>", "x": "b"} if order == "a-first" else {"route": "/<y>/b", "y": "a"}
    assert call(app, "GET", "/a/b") == json_response(200, expected)
    # Paths only one rule matches still reach it.
    assert call(app, "GET", "/a/z") == json_response(200, {"route": "/a/<x>", "x": "z"})
    assert call(app, "GET", "/z/b") == json_response(200, {"route": "/<y>/b", "y": "z"})


@pytest.mark.parametrize("order", ["static-first", "parameter-first"])
def test_first_registered_wins_where_rules_part_deep_in_the_path(order):
    app = base_app()

    def member(org, user_id):
        return {"route": "member", "org": org, "user_id": user_id}

    def own(org, kind):
        return {"route": "own", "org": org, "kind": kind}

    rules = [("/orgs/<org>/users/<user_id>", member), ("/orgs/<org>/<kind>/me", own)]
    if order == "parameter-first":
        rules.reverse()
    for rule, func in rules:
        app.get(rule)(func)

    expected = (
        {"route": "member", "org": "acme", "user_id": "me"}
        if order == "static-first"
        else {"route": "own", "org": "acme", "kind": "users"}
    )
    assert call(app, "GET", "/orgs/acme/users/me") == json_response(200, expected)
    # Paths only one rule matches still reach it, with its own arguments.
    assert call(app, "GET", "/orgs/acme/users/42") == json_response(200, {"route": "member", "org": "acme", "user_id": "42"})
    assert call(app, "GET", "/orgs/acme/teams/me") == json_response(200, {"route": "own", "org": "acme", "kind": "teams"})
    assert call(app, "GET", "/orgs/acme/teams/42")["statusCode"] == 404


def test_first_registered_wins_between_plain_and_mixed_segment():
    app = base_app()

    @app.get("/files/<name>")
    def plain(name):
        return {"route": "plain", "name": name}

    @app.get("/files/<name>.json")
    def json_file(name):
        return {"route": "json", "name": name}

    assert call(app, "GET", "/files/x.json") == json_response(200, {"route": "plain", "name": "x.json"})


def test_duplicate_route_warns_and_the_first_one_wins():
    app = rest_app()

    @app.get("/dup")
    def first():
        return {"n": 1}

    with pytest.warns(UserWarning, match=r"A route like this was already registered\. method: 'GET' rule: '/dup'"):

        @app.get("/dup")
        def second():
            return {"n": 2}

    assert call(app, "GET", "/dup") == json_response(200, {"n": 1})


def test_same_rule_with_another_method_does_not_warn():
    app = rest_app()

    with warnings.catch_warnings():
        warnings.simplefilter("error")

        @app.get("/same")
        def read():
            return {"m": "get"}

        @app.post("/same")
        def write():
            return {"m": "post"}

    assert call(app, "POST", "/same") == json_response(200, {"m": "post"})


def test_duplicate_dynamic_route_warns_and_the_first_one_wins():
    app = base_app()

    @app.get("/u/<a>")
    def first(a):
        return {"n": 1, "a": a}

    with pytest.warns(UserWarning, match="already registered"):

        @app.get("/u/<a>")
        def second(a):
            return {"n": 2}

    assert call(app, "GET", "/u/7") == json_response(200, {"n": 1, "a": "7"})


# -- trailing slashes ---------------------------------------------------------


@pytest.mark.parametrize("path", ["/foo", "/foo/", "/foo//"])
def test_rest_resolver_ignores_trailing_slashes_in_the_request(path):
    app = rest_app()

    @app.get("/foo")
    def foo():
        return {"foo": True}

    assert call(app, "GET", path) == json_response(200, {"foo": True})


@pytest.mark.parametrize("path", ["/bar", "/bar/"])
def test_rest_resolver_ignores_trailing_slashes_in_the_rule(path):
    app = rest_app()

    @app.get("/bar/")
    def bar():
        return {"bar": True}

    @app.get("/items/<item_id>/")
    def item(item_id):
        return {"item": item_id}

    assert call(app, "GET", path) == json_response(200, {"bar": True})
    assert call(app, "GET", "/items/3/") == json_response(200, {"item": "3"})
    assert call(app, "GET", "/items/3") == json_response(200, {"item": "3"})
    # As in the reference, the rule is registered without its trailing slash.
    assert [(route.path, route.openapi_path) for route in app.routes] == [
        ("/bar", "/bar"),
        ("/items/<item_id>", "/items/{item_id}"),
    ]


def test_rest_resolver_rules_differing_by_a_trailing_slash_are_duplicates():
    app = rest_app()

    @app.get("/bar/")
    def first():
        return {"n": 1}

    with pytest.warns(UserWarning, match=r"method: 'GET' rule: '/bar'$"):

        @app.get("/bar")
        def second():
            return {"n": 2}

    assert call(app, "GET", "/bar") == json_response(200, {"n": 1})
    assert [route.func for route in app.routes] == [first]


def test_rest_resolver_still_serves_the_root():
    app = rest_app()

    @app.get("/")
    def root():
        return {"root": True}

    assert call(app, "GET", "/") == json_response(200, {"root": True})


def test_plain_resolver_is_strict_about_trailing_slashes():
    app = base_app()

    @app.get("/foo")
    def foo():
        return {"foo": True}

    @app.get("/slash/")
    def slash():
        return {"slash": True}

    assert call(app, "GET", "/foo") == json_response(200, {"foo": True})
    assert call(app, "GET", "/foo/") == NOT_FOUND
    assert call(app, "GET", "/slash/") == json_response(200, {"slash": True})
    assert call(app, "GET", "/slash") == NOT_FOUND
    assert [route.path for route in app.routes] == ["/foo", "/slash/"]


# -- not found ----------------------------------------------------------------


def test_unmatched_request_gets_the_default_404():
    app = rest_app()
    assert call(app, "GET", "/missing") == {
        "statusCode": 404,
        "body": '{"statusCode":404,"message":"Not found"}',
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["application/json"]},
    }


def test_empty_app_answers_404_for_the_root():
    assert call(rest_app(), "GET", "/") == NOT_FOUND


# -- rules ----------------------------------------------------------------------------


@pytest.mark.parametrize("rule", ["items", "items/<item_id>", "<path>"])
def test_a_rule_not_starting_with_a_slash_is_refused_when_registered(rule):
    # Neither a path nor a regular expression (those route: tests/kernel/test_routing_patterns.py).
    app = rest_app()

    with pytest.raises(ValueError, match=r"must start with '/'") as info:

        @app.get(rule)
        def never():
            return {}

    assert str(info.value) == (
        f"Route rule {rule!r} must start with '/' (a path such as '/items/<item_id>', or a regular expression such as '.+')"
    )
    assert app.routes == []
    assert call(app, "GET", "/items") == NOT_FOUND


def test_a_router_rule_not_starting_with_a_slash_is_refused_when_declared():
    # Refused on the router itself: with a prefix it would otherwise become "/apiitems" unnoticed.
    router = Router()

    with pytest.raises(ValueError, match=r"Route rule 'items' must start with '/'"):

        @router.get("items")
        def never():
            return {}

    app = rest_app()
    app.include_router(router, prefix="/api")
    assert app.routes == []


def test_a_prefix_not_starting_with_a_slash_is_refused():
    router = Router()

    @router.get("/items")
    def items():
        return {}

    app = rest_app()
    with pytest.raises(ValueError, match=r"Route rule 'api/items' must start with '/'"):
        app.include_router(router, prefix="api")


@pytest.mark.parametrize("rule", ["", " "])
def test_an_empty_rule_is_the_root_as_in_powertools(rule):
    app = base_app()

    @app.get(rule)
    def root():
        return {"root": True}

    assert [route.path for route in app.routes] == ["/"]
    assert call(app, "GET", "/") == json_response(200, {"root": True})


def test_rules_with_regular_expression_syntax_are_matched_as_written():
    app = base_app()

    @app.get("/files/.+")
    def pattern():
        return {"route": "pattern"}

    assert call(app, "GET", "/files/.+") == json_response(200, {"route": "pattern"})
    assert call(app, "GET", "/files/anything/below") == json_response(200, {"route": "pattern"})
    assert call(app, "GET", "/files/") == NOT_FOUND


def test_check_rule_refuses_what_is_not_text():
    with pytest.raises(TypeError, match="A route rule is a string, not int"):
        check_rule(5)  # type: ignore[arg-type]


def test_the_generated_operation_id_is_the_function_path_and_method_and_can_be_replaced():
    app = rest_app()

    @app.get("/users/<user_id>/orders")
    def list_orders(user_id):
        return {}

    (route,) = app.routes
    assert route.operation_id == "list_orders_users__user_id__orders_get"
    route.operation_id = "listOrders"
    assert route.operation_id == "listOrders"
