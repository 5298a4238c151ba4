"""The HTTP API (payload 2.0) source: request accessors, response shape, stages and bad events."""

from __future__ import annotations

import base64
import json

import kernel_http
import pytest
from kernel_http import APIGatewayProxyEventV2

from kernel import APIGatewayHttpResolver, App, Cookie, Response
from kernel.events import HttpRequest
from tests.events import http_event


def json_reply(status: int, body: object, headers: dict[str, str] | None = None, cookies: list[str] | None = None) -> dict:
    """The exact dict an HTTP API app returns for a JSON body."""
    return {
        "statusCode": status,
        "body": json.dumps(body, separators=(",", ":")),
        "isBase64Encoded": False,
        "headers": {"Content-Type": "application/json", **(headers or {})},
        "cookies": cookies or [],
    }


def bad_event_reply(problem: str) -> dict:
    return json_reply(400, {"statusCode": 400, "message": f"Malformed event: {problem}"})


@pytest.fixture
def app():
    return APIGatewayHttpResolver(plugins=["http"])


# -- request accessors ---------------------------------------------------------


def test_accessors_read_a_realistic_event(app):
    seen = {}

    @app.post("/orders/<order_id>")
    def order(order_id):
        event = app.current_event
        context = event.request_context
        seen.update(
            type=type(event),
            version=event.version,
            route_key=event.route_key,
            raw_path=event.raw_path,
            path=event.path,
            raw_query_string=event.raw_query_string,
            cookies=event.cookies,
            http_method=event.http_method,
            path_parameters=event.path_parameters,
            stage_variables=event.stage_variables,
            json_body=event.json_body,
            account_id=context.account_id,
            api_id=context.api_id,
            domain_name=context.domain_name,
            domain_prefix=context.domain_prefix,
            method=context.http.method,
            http_path=context.http.path,
            protocol=context.http.protocol,
            source_ip=context.http.source_ip,
            user_agent=context.http.user_agent,
            request_id=context.request_id,
            context_route_key=context.route_key,
            stage=context.stage,
            time=context.time,
            time_epoch=context.time_epoch,
            claims=context.authorizer.jwt_claim,
            scopes=context.authorizer.jwt_scopes,
            authentication=context.authentication,
            base_path=event.base_path(),
        )
        return {"order": order_id}

    request = HttpRequest.build(
        "POST",
        "/orders/7",
        headers={"User-Agent": "agent"},
        query={"expand": "lines"},
        body='{"qty": 2}',
        is_base64=False,
        cookies=["session=abc"],
        request_id="id",
        source_ip="192.168.0.1",
        now=1583348638.390,
    )
    event = kernel_http.source.build_event(
        request,
        path_parameters={"order_id": "7"},
        route_key="POST /orders/{order_id}",
        stage_variables={"stageVariable1": "value1"},
        authorizer={"jwt": {"claims": {"claim1": "value1"}, "scopes": ["scope1", "scope2"]}},
    )
    assert app(event, None) == json_reply(200, {"order": "7"})
    assert seen == {
        "type": APIGatewayProxyEventV2,
        "version": "2.0",
        "route_key": "POST /orders/{order_id}",
        "raw_path": "/orders/7",
        "path": "/orders/7",
        "raw_query_string": "expand=lines",
        "cookies": ["session=abc"],
        "http_method": "POST",
        "path_parameters": {"order_id": "7"},
        "stage_variables": {"stageVariable1": "value1"},
        "json_body": {"qty": 2},
        "account_id": "123456789012",
        "api_id": "r3pmxmplak",
        "domain_name": "r3pmxmplak.execute-api.us-east-1.amazonaws.com",
        "domain_prefix": "r3pmxmplak",
        "method": "POST",
        "http_path": "/orders/7",
        "protocol": "HTTP/1.1",
        "source_ip": "192.168.0.1",
        "user_agent": "agent",
        "request_id": "id",
        "context_route_key": "POST /orders/{order_id}",
        "stage": "$default",
        "time": "04/Mar/2020:19:03:58 +0000",
        "time_epoch": 1583348638390,
        "claims": {"claim1": "value1"},
        "scopes": ["scope1", "scope2"],
        "authentication": None,
        "base_path": "",
    }


def test_iam_lambda_authorizers_and_client_certificate():
    event = http_event()
    event["requestContext"]["authorizer"] = {
        "iam": {
            "accessKey": "AKIA",
            "accountId": "111122223333",
            "callerId": "AIDA",
            "cognitoIdentity": {"amr": ["authenticated"], "identityId": "us-east-1:id", "identityPoolId": "us-east-1:pool"},
            "principalOrgId": "o-1",
            "userArn": "arn:aws:iam::111122223333:user/u",
            "userId": "AIDAU",
        },
        "lambda": {"tenant": "t1"},
    }
    event["requestContext"]["authentication"] = {
        "clientCert": {
            "clientCertPem": "PEM",
            "issuerDN": "issuer",
            "serialNumber": "a1",
            "subjectDN": "subject",
            "validity": {"notAfter": "Aug  5 09:36:04 2021 GMT", "notBefore": "May 28 12:30:02 2019 GMT"},
        }
    }
    context = APIGatewayProxyEventV2(event).request_context
    iam = context.authorizer.iam
    assert (iam.access_key, iam.account_id, iam.caller_id, iam.principal_org_id, iam.user_arn, iam.user_id) == (
        "AKIA",
        "111122223333",
        "AIDA",
        "o-1",
        "arn:aws:iam::111122223333:user/u",
        "AIDAU",
    )
    assert (iam.cognito_amr, iam.cognito_identity_id, iam.cognito_identity_pool_id) == (
        ["authenticated"],
        "us-east-1:id",
        "us-east-1:pool",
    )
    assert context.authorizer.get_lambda == {"tenant": "t1"}
    assert context.authorizer.get_context() == {"tenant": "t1"}
    assert context.authorizer.jwt_claim == {}
    assert context.authorizer.jwt_scopes == []
    cert = context.authentication
    assert cert is not None
    assert (cert.client_cert_pem, cert.issuer_dn, cert.serial_number, cert.subject_dn) == ("PEM", "issuer", "a1", "subject")
    assert (cert.validity_not_after, cert.validity_not_before) == ("Aug  5 09:36:04 2021 GMT", "May 28 12:30:02 2019 GMT")


def test_missing_optional_fields_have_empty_defaults():
    event = http_event()
    del event["headers"]
    # A $default route with no stage variables and no authorizer sends neither.
    assert "stageVariables" not in event
    assert "authorizer" not in event["requestContext"]
    request = APIGatewayProxyEventV2(event)
    assert request.cookies == []
    assert request.resolved_cookies_field == {}
    assert request.path_parameters == {}
    assert request.stage_variables == {}
    assert request.headers == {}
    assert request.query_string_parameters == {}  # as on Powertools 3, not None
    assert request.resolved_query_string_parameters == {}
    assert request.get_query_string_value("missing", "fallback") == "fallback"
    assert request.body is None
    assert request.json_body is None
    assert request.request_context.authorizer.jwt_claim == {}
    assert request.request_context.authorizer.iam.user_arn == ""  # as on Powertools


def test_request_is_a_read_only_mapping_over_the_event():
    event = http_event("GET", "/x")
    request = APIGatewayProxyEventV2(event)
    assert request["rawPath"] == "/x"
    assert request.raw_event is event
    assert request.request_context.http["method"] == "GET"


# -- multi-value query strings and headers -------------------------------------


def test_repeated_query_parameters_arrive_comma_joined_and_resolve_to_lists(app):
    @app.get("/search")
    def search():
        event = app.current_event
        return {
            "single": event.query_string_parameters,
            "resolved": event.resolved_query_string_parameters,
            "tags": event.get_multi_value_query_string_values("tag"),
            "missing": event.get_multi_value_query_string_values("nope", ["d"]),
            "page": event.get_query_string_value("page"),
            "raw": event.raw_query_string,
        }

    event = http_event("GET", "/search", query={"tag": ["a", "b"], "page": "2"})
    assert event["queryStringParameters"] == {"tag": "a,b", "page": "2"}
    assert json.loads(app(event, None)["body"]) == {
        "single": {"tag": "a,b", "page": "2"},
        "resolved": {"tag": ["a", "b"], "page": ["2"]},
        "tags": ["a", "b"],
        "missing": ["d"],
        "page": "2",
        "raw": "tag=a&tag=b&page=2",
    }


def test_repeated_headers_arrive_comma_joined(app):
    @app.get("/h")
    def h():
        event = app.current_event
        return {
            "any_case": event.get_header_value("X-MULTI"),
            "sensitive_miss": event.get_header_value("X-MULTI", case_sensitive=True),
            "default": event.get_header_value("x-none", "d"),
            "resolved": event.resolved_headers_field["x-multi"],
        }

    reply = app(http_event("GET", "/h", headers={"X-Multi": ["a", "b"]}), None)
    # case_sensitive has no effect, and resolved_headers_field splits joined values, as on Powertools 3.
    assert json.loads(reply["body"]) == {"any_case": "a,b", "sensitive_miss": "a,b", "default": "d", "resolved": ["a", "b"]}


# -- cookies -------------------------------------------------------------------


def test_request_cookies_come_from_the_cookies_list(app):
    @app.get("/me")
    def me():
        return {"cookies": app.current_event.cookies, "jar": app.current_event.resolved_cookies_field}

    reply = app(http_event("GET", "/me", cookies=["session=abc", "theme=dark=x"]), None)
    assert json.loads(reply["body"]) == {
        "cookies": ["session=abc", "theme=dark=x"],
        "jar": {"session": "abc", "theme": "dark=x"},
    }


def test_response_cookies_go_to_the_cookies_list(app):
    @app.get("/login")
    def login():
        return Response(
            status_code=200,
            content_type="text/plain",
            body="ok",
            cookies=[Cookie("session", "abc", http_only=True), Cookie("theme", "dark", secure=False)],
        )

    assert app(http_event("GET", "/login"), None) == {
        "statusCode": 200,
        "body": "ok",
        "isBase64Encoded": False,
        "headers": {"Content-Type": "text/plain"},
        "cookies": ["session=abc; HttpOnly; Secure", "theme=dark"],
    }


def test_set_cookie_headers_join_the_cookies_list_instead_of_being_comma_joined(app):
    @app.get("/legacy")
    def legacy():
        return Response(200, "text/plain", "ok", headers={"set-cookie": ["a=1", "b=2"]}, cookies=[Cookie("c", "3")])

    reply = app(http_event("GET", "/legacy"), None)
    assert reply["headers"] == {"Content-Type": "text/plain"}
    assert reply["cookies"] == ["c=3; Secure", "a=1", "b=2"]


def test_several_header_values_are_joined_with_comma_space(app):
    @app.get("/multi")
    def multi():
        return Response(200, "text/plain", "ok", headers={"X-A": ["1", "2"], "X-B": "b", "X-None": None})  # type: ignore[dict-item]

    assert app(http_event("GET", "/multi"), None) == {
        "statusCode": 200,
        "body": "ok",
        "isBase64Encoded": False,
        "headers": {"X-A": "1, 2", "X-B": "b", "Content-Type": "text/plain"},
        "cookies": [],
    }


def test_empty_response_has_a_null_body(app):
    @app.delete("/items/<item>")
    def delete(item):
        return Response(204)

    assert app(http_event("DELETE", "/items/1"), None) == {
        "statusCode": 204,
        "body": None,
        "isBase64Encoded": False,
        "headers": {},
        "cookies": [],
    }


# -- base64 bodies -------------------------------------------------------------


def test_a_bytes_body_is_sent_base64_encoded(app):
    @app.get("/logo")
    def logo():
        return Response(200, "image/png", b"\x89PNG\x00\xff", headers={"Set-Cookie": "a=1"})

    assert app(http_event("GET", "/logo"), None) == {
        "statusCode": 200,
        "body": base64.b64encode(b"\x89PNG\x00\xff").decode(),
        "isBase64Encoded": True,
        "headers": {"Content-Type": "image/png"},
        "cookies": ["a=1"],
    }


def test_a_header_value_of_a_str_subclass_is_one_value(app):
    class Text(str):
        pass

    @app.get("/text")
    def text():
        return Response(200, "text/plain", "ok", headers={"X-Text": Text("a, b")})

    assert app(http_event("GET", "/text"), None)["headers"] == {"X-Text": "a, b", "Content-Type": "text/plain"}


# -- routing -------------------------------------------------------------------


def test_named_stage_is_stripped_from_the_raw_path(app):
    @app.get("/items")
    def items():
        return {"path": app.current_event.path, "raw": app.current_event.raw_path, "base": app.current_event.base_path()}

    reply = app(http_event("GET", "/items", stage="prod"), None)
    assert json.loads(reply["body"]) == {"path": "/items", "raw": "/prod/items", "base": "/prod"}


def test_stage_root_routes_to_slash(app):
    @app.get("/")
    def root():
        return {"path": app.current_event.path}

    assert app(http_event("GET", "/", raw_path="/prod", stage="prod"), None) == json_reply(200, {"path": "/"})
    assert app(http_event("GET", "/", raw_path="/prod/", stage="prod"), None) == json_reply(200, {"path": "/"})


def test_stage_is_kept_when_the_path_does_not_start_with_it(app):
    """A custom domain does not put the stage in the path; nor does "/production" start with stage "prod"."""

    @app.get("/items")
    def items():
        return {"base": app.current_event.base_path()}

    @app.get("/production")
    def production():
        return {"base": app.current_event.base_path()}

    assert app(http_event("GET", "/items", stage="prod", raw_path="/items"), None) == json_reply(200, {"base": ""})
    assert app(http_event("GET", "/production", stage="prod", raw_path="/production"), None) == json_reply(200, {"base": ""})


def test_default_stage_is_never_stripped(app):
    @app.get("/$default/items")
    def items():
        return {"path": app.current_event.path}

    reply = app(http_event("GET", "/$default/items", stage="$default"), None)
    assert reply == json_reply(200, {"path": "/$default/items"})


def test_strip_prefixes_apply_after_the_stage():
    app = APIGatewayHttpResolver(plugins=["http"], strip_prefixes=["/api"])

    @app.get("/items")
    def items():
        return {"ok": True}

    assert app(http_event("GET", "/api/items", stage="v1"), None) == json_reply(200, {"ok": True})


def test_app_pinned_by_plugin_name():
    app = App(plugins=["http"], source="http")

    @app.get("/ping")
    def ping():
        return {"pong": True}

    assert app(http_event("GET", "/ping"), None) == json_reply(200, {"pong": True})


# -- malformed events ----------------------------------------------------------


def _without(path: tuple[str, ...]) -> dict:
    event = http_event("GET", "/ping")
    target = event
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return event


def _with(path: tuple[str, ...], value: object) -> dict:
    event = http_event("GET", "/ping")
    target = event
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return event


@pytest.mark.parametrize(
    ("event", "problem"),
    [
        pytest.param({}, "'requestContext' is missing or not an object", id="empty"),
        pytest.param(_without(("requestContext",)), "'requestContext' is missing or not an object", id="no-context"),
        pytest.param(_with(("requestContext",), "ctx"), "'requestContext' is missing or not an object", id="context-str"),
        pytest.param(
            _without(("requestContext", "http", "method")),
            "'requestContext.http.method' is missing or not a string",
            id="no-method",
        ),
        pytest.param(
            _with(("requestContext", "http", "method"), 7),
            "'requestContext.http.method' is missing or not a string",
            id="method-int",
        ),
        pytest.param(_without(("rawPath",)), "'rawPath' is missing or not an absolute path", id="no-raw-path"),
        pytest.param(_with(("rawPath",), "ping"), "'rawPath' is missing or not an absolute path", id="relative-path"),
        pytest.param(_with(("requestContext", "stage"), 1), "'requestContext.stage' is not a string", id="stage-int"),
        pytest.param(_with(("headers",), ["a"]), "'headers' is not a map of strings", id="headers-list"),
        pytest.param(
            _with(("queryStringParameters",), ["a=1"]), "'queryStringParameters' is not a map of strings", id="query-list"
        ),
        pytest.param(_with(("pathParameters",), "x"), "'pathParameters' is not a map of strings", id="path-params-str"),
        pytest.param(_with(("cookies",), "a=1"), "'cookies' is not a list of strings", id="cookies-str"),
        pytest.param(_with(("cookies",), [1]), "'cookies' is not a list of strings", id="cookie-int"),
        pytest.param(_with(("body",), {"a": 1}), "'body' is not a string", id="body-dict"),
        pytest.param(_with(("isBase64Encoded",), "yes"), "'isBase64Encoded' is not a boolean", id="base64-str"),
    ],
)
def test_malformed_event_answers_400_in_the_http_api_shape(app, event, problem):
    called = []

    @app.get("/ping")
    def ping():
        called.append(True)
        return {}

    assert app(event, None) == bad_event_reply(problem)
    assert called == []


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"x-num": 1}, id="int"),
        pytest.param({"x-list": ["a"]}, id="list"),
        pytest.param({"x-none": None}, id="null"),
        pytest.param({1: "one"}, id="name-int"),
    ],
)
@pytest.mark.parametrize(
    "read",
    [
        pytest.param(lambda event: dict(event.headers), id="headers"),
        pytest.param(lambda event: event.get_header_value("accept"), id="get_header_value"),
        pytest.param(lambda event: event.resolved_headers_field, id="resolved_headers_field"),
        pytest.param(lambda event: event.header_text("x-missing"), id="header_text-missing"),
    ],
)
def test_malformed_header_entries_are_answered_400_when_the_map_is_read(app, headers, read):
    # Entries are checked when the map is first read, not before routing: a
    # route reading it answers 400, one that does not answers as usual.
    @app.get("/read")
    def read_it():
        return {"value": read(app.current_event)}

    @app.get("/ping")
    def ping():
        return {"pong": True}

    event = http_event("GET", "/read", headers={"accept": "*/*"})
    event["headers"].update(headers)
    assert app(event, None) == bad_event_reply("'headers' is not a map of strings")
    event = http_event("GET", "/ping", headers={"accept": "*/*"})
    event["headers"].update(headers)
    assert app(event, None) == json_reply(200, {"pong": True})


@pytest.mark.parametrize("entry", [{"a": ["1"]}, {"a": 1}, {"a": None}, {1: "a"}], ids=["list", "int", "null", "name-int"])
@pytest.mark.parametrize(
    "read",
    [
        pytest.param(lambda event: event.query_string_parameters, id="query_string_parameters"),
        pytest.param(lambda event: event.get_query_string_value("q"), id="get_query_string_value"),
        pytest.param(lambda event: event.resolved_query_string_parameters, id="resolved_query_string_parameters"),
        pytest.param(lambda event: event.get_multi_value_query_string_values("q"), id="get_multi_value_query_string_values"),
    ],
)
def test_malformed_query_entries_are_answered_400_when_the_query_is_read(app, entry, read):
    @app.get("/read")
    def read_it():
        return {"value": read(app.current_event)}

    @app.get("/ping")
    def ping():
        return {"pong": True}

    for path, expected in (("/read", bad_event_reply("'queryStringParameters' is not a map of strings")), ("/ping", None)):
        event = http_event("GET", path, query={"q": "1"})
        event["queryStringParameters"].update(entry)
        assert app(event, None) == (expected or json_reply(200, {"pong": True}))


def test_a_well_formed_query_is_read_as_sent(app):
    @app.get("/read")
    def read_it():
        event = app.current_event
        return {
            "params": event.query_string_parameters,
            "q": event.get_query_string_value("q"),
            "missing": event.get_query_string_value("missing", "none"),
            "resolved": event.resolved_query_string_parameters,
        }

    event = http_event("GET", "/read")
    event["queryStringParameters"] = {"q": "1,2", "r": ""}
    assert app(event, None) == json_reply(
        200, {"params": {"q": "1,2", "r": ""}, "q": "1,2", "missing": "none", "resolved": {"q": ["1", "2"], "r": [""]}}
    )
    del event["queryStringParameters"]
    assert app(event, None) == json_reply(200, {"params": {}, "q": None, "missing": "none", "resolved": {}})


def test_a_plugin_reading_a_well_formed_header_is_not_answered_400_for_another_entry():
    from kernel_cors import CORSConfig

    app = APIGatewayHttpResolver(plugins=["http", "cors"], cors=CORSConfig(allow_origin="https://a.example"))

    @app.get("/plain")
    def plain():
        return {"ok": True}

    @app.get("/headers")
    def headers():
        return dict(app.current_event.headers)

    event = http_event("GET", "/plain", headers={"origin": "https://a.example"})
    event["headers"]["x-num"] = 1
    answer = app(event, None)
    assert answer["statusCode"] == 200
    assert answer["headers"]["Access-Control-Allow-Origin"] == "https://a.example"
    event = http_event("GET", "/headers", headers={"origin": "https://a.example"})
    event["headers"]["x-num"] = 1
    answer = app(event, None)
    assert (answer["statusCode"], json.loads(answer["body"])) == (
        400,
        {"statusCode": 400, "message": "Malformed event: 'headers' is not a map of strings"},
    )


def test_a_malformed_header_read_by_a_plugin_is_answered_400():
    # The header the plugin asks for is itself malformed: read through the whole map, answered 400.
    from kernel_cors import CORSConfig

    app = APIGatewayHttpResolver(plugins=["http", "cors"], cors=CORSConfig(allow_origin="https://a.example"))

    @app.get("/plain")
    def plain():
        return {"ok": True}

    for value in (["https://a.example"], 7):
        event = http_event("GET", "/plain")
        event["headers"]["origin"] = value
        answer = app(event, None)
        assert (answer["statusCode"], json.loads(answer["body"])) == (
            400,
            {"statusCode": 400, "message": "Malformed event: 'headers' is not a map of strings"},
        )


@pytest.mark.parametrize("spelled", ["origin", "Origin", "ORIGIN", "oRiGiN"])
def test_header_text_finds_a_header_however_the_event_spells_it(spelled):
    # API Gateway lowercases every name of a payload 2.0 event; a hand-built one may not.
    event = http_event("GET", "/")
    event["headers"] = {spelled: "https://a.example", "Accept": "*/*"}
    request = APIGatewayProxyEventV2(event)
    assert request.header_text("Origin") == "https://a.example"
    assert request.header_text("origin") == "https://a.example"
    assert request.header_text("X-Missing") is None
    assert request.header_text("X-Missing", "fallback") == "fallback"
    assert request.headers == {"origin": "https://a.example", "accept": "*/*"}


def test_header_text_without_a_headers_map():
    event = http_event("GET", "/")
    del event["headers"]
    request = APIGatewayProxyEventV2(event)
    assert request.header_text("Origin") is None
    assert request.header_text("Origin", "x") == "x"
    assert request.headers == {}


def test_pinned_app_accepts_a_well_formed_event_without_sniffing(app):
    """A pinned app does not require the fields an unpinned app uses to recognise the source."""

    @app.get("/ping")
    def ping():
        return {"pong": True}

    event = http_event("GET", "/ping")
    del event["version"], event["routeKey"]
    assert app(event, None) == json_reply(200, {"pong": True})
