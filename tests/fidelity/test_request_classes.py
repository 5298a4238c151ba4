"""Request classes side by side with Powertools' data classes: each accessor gives the same answer.

The differences a migrating user may meet are named in docs/migrating.md
("Request objects are the sources' own") and asserted here too.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent as PowertoolsProxyEvent
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2 as PowertoolsProxyEventV2
from aws_lambda_powertools.utilities.data_classes import BedrockAgentEvent as PowertoolsBedrockAgentEvent
from aws_lambda_powertools.utilities.data_classes.common import DictWrapper
from kernel_bedrock import BedrockAgentEvent
from kernel_http import APIGatewayProxyEventV2
from kernel_rest import APIGatewayProxyEvent

from tests.events import bedrock_event, http_event, rest_event


def _read(request: Any, name: str) -> Any:
    try:
        return getattr(request, name)
    except Exception as error:  # the exception is the answer being compared
        return ("raised", type(error).__name__)


BEDROCK_ACCESSORS = [
    "query_string_parameters",
    "multi_value_query_string_parameters",
    "resolved_query_string_parameters",
    "headers",
    "resolved_headers_field",
    "resolved_cookies_field",
    "is_base64_encoded",
    "json_body",
    "session_attributes",
    "prompt_session_attributes",
    "path",
    "api_path",
    "http_method",
    "input_text",
    "session_id",
    "action_group",
    "message_version",
]

BEDROCK_EVENTS = {
    "bare": bedrock_event("GET", "/claims"),
    "parameters": {
        **bedrock_event("GET", "/claims"),
        "parameters": [
            {"name": "id", "type": "string", "value": "1"},
            {"name": "id", "type": "string", "value": "2"},
            {"name": "q", "type": "string", "value": "a, b"},
        ],
    },
    "empty parameters": {**bedrock_event("GET", "/claims"), "parameters": []},
}


@pytest.mark.parametrize("event", BEDROCK_EVENTS.values(), ids=BEDROCK_EVENTS.keys())
@pytest.mark.parametrize("name", BEDROCK_ACCESSORS)
def test_bedrock_accessors_answer_as_powertools(event, name):
    assert _read(BedrockAgentEvent(event), name) == _read(PowertoolsBedrockAgentEvent(event), name)


def test_bedrock_query_string_value_as_powertools():
    event = BEDROCK_EVENTS["parameters"]
    ours, theirs = BedrockAgentEvent(event), PowertoolsBedrockAgentEvent(event)
    for name in ("id", "q", "missing"):
        assert ours.get_query_string_value(name, "d") == theirs.get_query_string_value(name, "d")
    assert ours.query_string_parameters == {"id": "2", "q": "a, b"}


def test_bedrock_body_and_parameter_lists_differ_as_documented():
    # migrating.md, "Request objects are the sources' own": kernel rebuilds the body from the
    # application/json properties (Powertools has none) and lists a parameter's value where
    # Powertools' multi-value map of an agent event is always empty.
    event = {
        **BEDROCK_EVENTS["parameters"],
        "requestBody": {"content": {"application/json": {"properties": [{"name": "b", "type": "string", "value": "x"}]}}},
    }
    ours, theirs = BedrockAgentEvent(event), PowertoolsBedrockAgentEvent(event)
    assert theirs.body is None
    assert theirs.decoded_body is None
    assert ours.body == ours.decoded_body == '{"b": "x"}'
    assert ours.json_body == theirs.json_body == {"b": "x"}
    assert theirs.get_multi_value_query_string_values("id") == []
    assert ours.get_multi_value_query_string_values("id") == ["2"]


# -- API Gateway request contexts --------------------------------------------------------------

CERT = {
    "clientCertPem": "-----BEGIN CERTIFICATE-----",
    "subjectDN": "CN=client",
    "issuerDN": "CN=ca",
    "serialNumber": "a1:b2",
    "validity": {"notBefore": "May 28 12:30:02 2019 GMT", "notAfter": "Aug  5 09:36:04 2021 GMT"},
}


def _properties(cls: type) -> list[str]:
    return sorted(
        name for name in dir(cls) if not name.startswith("_") and isinstance(inspect.getattr_static(cls, name), property)
    )


def _differences(theirs: Any, ours: Any, prefix: str = "") -> dict[str, tuple[Any, Any]]:
    """Every property of Powertools' object whose answer differs on kernel's, nested objects walked."""
    found: dict[str, tuple[Any, Any]] = {}
    for name in _properties(type(theirs)):
        their_value, our_value = _read(theirs, name), _read(ours, name)
        if isinstance(their_value, DictWrapper) and not isinstance(our_value, tuple) and our_value is not None:
            found.update(_differences(their_value, our_value, f"{prefix}{name}."))
        elif isinstance(their_value, DictWrapper) or their_value != our_value:
            found[prefix + name] = (their_value, our_value)
    return found


def _rest_events() -> dict[str, dict[str, Any]]:
    bare = rest_event("GET", "/orders")
    signed = rest_event("GET", "/orders", query={"a": "1"}, headers={"X-A": "b"})
    signed["requestContext"]["identity"]["clientCert"] = CERT
    signed["requestContext"]["authorizer"] = {"principalId": "user|1", "integrationLatency": 4, "tenant": "t"}
    cognito = rest_event("GET", "/orders")
    cognito["requestContext"]["authorizer"] = {"claims": {"sub": "1"}, "scopes": ["orders/read"]}
    nulls = rest_event("GET", "/orders")
    nulls["requestContext"]["authorizer"] = {"claims": None, "scopes": None, "principalId": None}
    return {"bare": bare, "mutual TLS and Lambda authorizer": signed, "cognito": cognito, "null authorizer values": nulls}


@pytest.mark.parametrize("event", _rest_events().values(), ids=_rest_events().keys())
def test_rest_request_and_its_context_answer_as_powertools(event):
    # `version`: a REST event has none; Powertools raises KeyError, kernel answers None (migrating.md,
    # "Request objects are the sources' own").
    assert _differences(PowertoolsProxyEvent(event), APIGatewayProxyEvent(event)) == {"version": (("raised", "KeyError"), None)}


def test_rest_client_certificate_is_an_object_with_powertools_accessors():
    event = _rest_events()["mutual TLS and Lambda authorizer"]
    cert = APIGatewayProxyEvent(event).request_context.identity.client_cert
    assert cert is not None
    assert cert.subject_dn == "CN=client"
    assert cert.validity_not_after == "Aug  5 09:36:04 2021 GMT"
    assert APIGatewayProxyEvent(rest_event("GET", "/")).request_context.identity.client_cert is None
    assert PowertoolsProxyEvent(rest_event("GET", "/")).request_context.identity.client_cert is None


def test_rest_context_names_of_other_api_kinds():
    event = rest_event("GET", "/orders")
    event["requestContext"].update(operationName="ListOrders", routeKey="$default")
    context = APIGatewayProxyEvent(event).request_context
    theirs = PowertoolsProxyEvent(event).request_context
    assert (context.operation_name, context.route_key) == (theirs.operation_name, theirs.route_key) == ("ListOrders", "$default")


def _http_events() -> dict[str, dict[str, Any]]:
    bare = http_event("GET", "/orders")
    iam = http_event("GET", "/orders", query={"a": "1"}, cookies=["k=v"])
    iam["requestContext"]["authorizer"] = {
        "iam": {"accessKey": "AKIA", "userArn": "arn:aws:iam::1:user/u", "cognitoIdentity": {"amr": ["x"], "identityId": "i"}}
    }
    iam["requestContext"]["authentication"] = {"clientCert": CERT}
    jwt = http_event("GET", "/orders")
    jwt["requestContext"]["authorizer"] = {"jwt": {"claims": {"sub": "1"}, "scopes": ["a"]}}
    return {"bare": bare, "iam and mutual TLS": iam, "jwt": jwt}


@pytest.mark.parametrize("event", _http_events().values(), ids=_http_events().keys())
def test_http_request_and_its_context_answer_as_powertools(event):
    assert _differences(PowertoolsProxyEventV2(event), APIGatewayProxyEventV2(event)) == {}
