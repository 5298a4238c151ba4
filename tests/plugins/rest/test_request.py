"""The REST request object (``app.current_event``): accessors, laziness, mapping access."""

from __future__ import annotations

import json
from typing import Any

import pytest
from kernel_rest import APIGatewayProxyEvent, Authorizer, Identity, RequestContext

from kernel import APIGatewayRestResolver, InvalidBodyError, InvalidJSONBodyError
from tests.events import rest_event


def request(**kwargs: Any) -> APIGatewayProxyEvent:
    """The request object a REST app builds for ``rest_event(**kwargs)``."""
    app = APIGatewayRestResolver(plugins=["rest"])
    seen: list[APIGatewayProxyEvent] = []

    @app.route("/<path>", ["GET", "POST", "PUT"])
    def capture(path):
        seen.append(app.current_event)
        return {}

    kwargs.setdefault("path", "/thing")
    assert app(rest_event(**kwargs), None)["statusCode"] == 200
    return seen[0]


def test_current_event_is_the_rest_request():
    assert type(request()) is APIGatewayProxyEvent


def test_method_path_and_resource():
    req = request(method="POST", path="/orders", resource="/{proxy+}")
    assert req.http_method == "POST"
    assert req.path == "/orders"
    assert req.resource == "/{proxy+}"
    assert req.version is None  # payload 1.0 events carry no version field


def test_headers_single_and_multi_value():
    req = request(headers={"Content-Type": "application/json", "X-Multi": ["a", "b"]})
    # API Gateway keeps the last value of a repeated header in the single-value map.
    # Names are kept in lower case and found in any case, as in Powertools' CaseInsensitiveDict.
    assert req.headers == {"content-type": "application/json", "x-multi": "b"}
    assert req.headers["Content-Type"] == req.headers.get("CONTENT-TYPE") == "application/json"
    assert "X-MULTI" in req.headers
    assert req.multi_value_headers == {"content-type": ["application/json"], "x-multi": ["a", "b"]}
    assert req.resolved_headers_field["X-Multi"] == ["a", "b"]


def test_get_header_value_ignores_case_sensitive_as_powertools_3_does():
    req = request(headers={"X-Api-Key": "secret"})
    assert req.get_header_value("X-Api-Key", case_sensitive=True) == "secret"
    assert req.get_header_value("x-api-key", case_sensitive=True) == "secret"
    assert req.get_header_value("x-other", "fallback", case_sensitive=True) == "fallback"


def test_no_headers():
    req = request()
    assert req.headers == {}
    assert req.multi_value_headers == {}
    assert req.resolved_headers_field == {}
    assert req.get_header_value("anything") is None


def test_headers_only_in_the_single_value_map():
    event = rest_event("GET", "/thing", headers={"Accept": "text/plain"})
    event["multiValueHeaders"] = None
    req = APIGatewayProxyEvent(event)
    assert req.resolved_headers_field == {"accept": "text/plain"}
    assert req.get_header_value("accept") == "text/plain"


def test_query_strings_single_and_multi_value():
    req = request(query={"tag": ["red", "blue"], "page": "2"})
    assert req.query_string_parameters == {"tag": "blue", "page": "2"}
    assert req.multi_value_query_string_parameters == {"tag": ["red", "blue"], "page": ["2"]}
    assert req.resolved_query_string_parameters == {"tag": ["red", "blue"], "page": ["2"]}
    assert req.get_query_string_value("page") == "2"
    assert req.get_query_string_value("tag") == "blue"
    assert req.get_query_string_value("missing") is None
    assert req.get_query_string_value("missing", "1") == "1"
    assert req.get_multi_value_query_string_values("tag") == ["red", "blue"]
    assert req.get_multi_value_query_string_values("missing") == []
    assert req.get_multi_value_query_string_values("missing", ["x"]) == ["x"]


def test_query_string_only_in_the_single_value_map():
    event = rest_event("GET", "/thing", query={"q": "z"})
    event["multiValueQueryStringParameters"] = None
    req = APIGatewayProxyEvent(event)
    assert req.resolved_query_string_parameters == {"q": ["z"]}
    assert req.get_multi_value_query_string_values("q") == ["z"]


def test_no_query_string():
    req = request()
    # Empty maps, not None, as on Powertools 3.
    assert req.query_string_parameters == {}
    assert req.multi_value_query_string_parameters == {}
    assert req.resolved_query_string_parameters == {}
    assert req.get_query_string_value("a", "d") == "d"
    assert req.get_multi_value_query_string_values("a") == []


def test_path_parameters_and_stage_variables():
    event = rest_event("GET", "/users/7", path_parameters={"user_id": "7"})
    event["stageVariables"] = {"env": "prod"}
    req = APIGatewayProxyEvent(event)
    assert req.path_parameters == {"user_id": "7"}
    assert req.stage_variables == {"env": "prod"}
    empty = request()
    assert empty.path_parameters == {}
    assert empty.stage_variables == {}


def test_request_context_identity_and_authorizer():
    event = rest_event("GET", "/thing", headers={"User-Agent": "Mozilla/5.0"}, stage="beta")
    event["requestContext"]["authorizer"] = {
        "claims": {"sub": "user-1"},
        "scopes": ["read"],
        "principalId": "user-1",
        "integrationLatency": 12,
    }
    event["requestContext"]["identity"]["apiKey"] = "key-1"
    req = APIGatewayProxyEvent(event)
    context = req.request_context
    assert isinstance(context, RequestContext)
    assert context.stage == "beta"
    assert context.path == "/beta/thing"
    assert context.request_id == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    assert context.account_id == "123456789012"
    assert context.api_id == "1234567890"
    assert context.domain_name == "1234567890.execute-api.us-east-1.amazonaws.com"
    assert context.http_method == "GET"
    assert context.protocol == "HTTP/1.1"
    assert context.request_time_epoch == event["requestContext"]["requestTimeEpoch"]
    assert isinstance(context.request_time_epoch, int)
    assert context.resource_path == "/thing"
    assert isinstance(context.identity, Identity)
    assert context.identity.source_ip == "203.0.113.10"
    assert context.identity.user_agent == "Mozilla/5.0"
    assert context.identity.api_key == "key-1"
    assert context.identity.user is None
    assert isinstance(context.authorizer, Authorizer)
    assert context.authorizer.claims == {"sub": "user-1"}
    assert context.authorizer.scopes == ["read"]
    assert context.authorizer.principal_id == "user-1"
    assert context.authorizer.integration_latency == 12
    # The nested parts are read-only mappings over the event, too.
    assert context["stage"] == "beta"
    assert context.authorizer["principalId"] == "user-1"
    assert context.raw_event is event["requestContext"]


def test_request_context_parts_missing():
    event = rest_event("GET", "/thing")
    del event["requestContext"]
    req = APIGatewayProxyEvent(event)
    assert req.request_context.stage is None
    assert req.request_context.identity.source_ip is None
    assert req.request_context.authorizer.claims == {}
    assert dict(req.request_context) == {}


def test_raw_event_and_mapping_access():
    event = rest_event("GET", "/thing")
    req = APIGatewayProxyEvent(event)
    assert req.raw_event is event
    assert req["httpMethod"] == "GET"
    assert req.get("missing", "d") == "d"
    assert "path" in req
    assert len(req) == len(event)
    assert set(req) == set(event)
    assert req == APIGatewayProxyEvent(dict(event))
    with pytest.raises(KeyError):
        req["missing"]
    with pytest.raises(TypeError):
        req["path"] = "/other"  # type: ignore[index]


def test_json_body_is_parsed_only_when_read_and_only_once():
    calls: list[str] = []

    def spy(text: str) -> Any:
        calls.append(text)
        return json.loads(text)

    req = APIGatewayProxyEvent(rest_event("POST", "/x", body='{"a": 1}'), json_deserializer=spy)
    assert req.path == "/x"
    assert req.headers == {}
    assert calls == []
    assert req.json_body == {"a": 1}
    assert req.json_body == {"a": 1}
    assert calls == ['{"a": 1}']


def test_a_route_that_never_reads_a_bad_body_is_not_bothered_by_it():
    app = APIGatewayRestResolver(plugins=["rest"])

    @app.post("/ignore")
    def ignore():
        return {"path": app.current_event.path}

    event = rest_event("POST", "/ignore", body="{not json")
    # Entries of a map are checked when first read: this one never is.
    event["queryStringParameters"] = {"q": 1}
    assert app(event, None)["statusCode"] == 200


def test_bad_bodies_raise_the_documented_errors_when_read():
    bad_json = APIGatewayProxyEvent(rest_event("POST", "/x", body="{nope"))
    with pytest.raises(InvalidJSONBodyError) as info:
        _ = bad_json.json_body
    # Code written to catch json.JSONDecodeError keeps working.
    assert isinstance(info.value, json.JSONDecodeError)
    assert (info.value.status_code, info.value.msg) == (400, "Request body is not valid JSON")

    bad_base64 = APIGatewayProxyEvent({**rest_event("POST", "/x"), "body": "%%%", "isBase64Encoded": True})
    with pytest.raises(InvalidBodyError, match="not valid base64"):
        _ = bad_base64.decoded_body

    bad_utf8 = APIGatewayProxyEvent(rest_event("POST", "/x", body=b"\xff\xfe", is_base64=True))
    with pytest.raises(InvalidBodyError, match="not valid UTF-8"):
        _ = bad_utf8.json_body
