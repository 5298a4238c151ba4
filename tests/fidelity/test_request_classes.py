"""Request classes side by side with Powertools' data classes: each accessor gives the same answer.

The differences a migrating user may meet are named in docs/migrating.md
("Request objects are the sources' own") and asserted here too.
"""

from __future__ import annotations

import base64
import copy
import inspect
from functools import cached_property
from typing import Any

import kernel_alb
import kernel_function_url
import kernel_lattice
import pytest
from aws_lambda_powertools.utilities.data_classes import ALBEvent as PowertoolsALBEvent
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent as PowertoolsProxyEvent
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2 as PowertoolsProxyEventV2
from aws_lambda_powertools.utilities.data_classes import BedrockAgentEvent as PowertoolsBedrockAgentEvent
from aws_lambda_powertools.utilities.data_classes import LambdaFunctionUrlEvent as PowertoolsFunctionUrlEvent
from aws_lambda_powertools.utilities.data_classes import VPCLatticeEvent as PowertoolsLatticeEvent
from aws_lambda_powertools.utilities.data_classes import VPCLatticeEventV2 as PowertoolsLatticeEventV2
from aws_lambda_powertools.utilities.data_classes.common import DictWrapper
from kernel_alb import ALBEvent
from kernel_bedrock import BedrockAgentEvent
from kernel_function_url import LambdaFunctionUrlEvent
from kernel_http import APIGatewayProxyEventV2
from kernel_lattice import VPCLatticeEvent, VPCLatticeEventV2
from kernel_rest import APIGatewayProxyEvent

from tests.events import bedrock_event, http_event, rest_event
from tests.known_differences import KNOWN

# Powertools deprecates its get_header_value (the tests call it to compare answers).
pytestmark = pytest.mark.filterwarnings("ignore:The `get_header_value` function is deprecated")


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


# -- ALB, Function URL and VPC Lattice: every accessor on the events each source accepts -------------

#: source -> (Powertools' class, kernel's class, the source plugin, event options)
OTHER_SOURCES: dict[str, tuple[type, type, Any, dict[str, Any]]] = {
    "alb": (PowertoolsALBEvent, ALBEvent, kernel_alb.source, {}),
    "alb-multi": (PowertoolsALBEvent, ALBEvent, kernel_alb.source, {"multi_value": True}),
    "function-url": (PowertoolsFunctionUrlEvent, LambdaFunctionUrlEvent, kernel_function_url.source, {}),
    "lattice": (PowertoolsLatticeEvent, VPCLatticeEvent, kernel_lattice.source, {}),
    "lattice-v2": (PowertoolsLatticeEventV2, VPCLatticeEventV2, kernel_lattice.source_v2, {}),
}

#: The optional parts of each source's events, left out or null in turn.
OPTIONAL_KEYS = (
    "headers",
    "multiValueHeaders",
    "queryStringParameters",
    "multiValueQueryStringParameters",
    "query_string_parameters",
    "body",
    "cookies",
    "isBase64Encoded",
    "is_base64_encoded",
)

#: The methods walked, with the arguments they are called with (present and absent names).
METHOD_CALLS: tuple[tuple[str, tuple[Any, ...]], ...] = (
    ("get_header_value", ("x-tag",)),
    ("get_header_value", ("X-Tag", "none", True)),
    ("get_header_value", ("x-missing", "none")),
    ("get_query_string_value", ("tag",)),
    ("get_query_string_value", ("missing", "none")),
    ("get_multi_value_query_string_values", ("tag",)),
    ("get_multi_value_query_string_values", ("missing", ["none"])),
)


def _other_events(source: str) -> dict[str, dict[str, Any]]:
    """Realistic events of ``source``, each with a part missing or null, as far as the source accepts them."""
    _, _, plugin, options = OTHER_SOURCES[source]
    full = plugin.event(
        "POST",
        "/orders",
        headers={"X-Tag": ["red", "blue"], "Content-Type": "application/json", "Cookie": "session=abc; theme=dark"},
        query={"tag": ["x", "y"], "q": "a b"},
        body='{"id": 1}',
        **options,
    )
    events = {
        "full": full,
        "bare": plugin.event("GET", "/orders", **options),
        "base64 body": plugin.event("POST", "/orders", body=base64.b64encode(b"\x00\x01").decode(), is_base64=True, **options),
        "base64 json": plugin.event("POST", "/orders", body=base64.b64encode(b'{"a": 1}').decode(), is_base64=True, **options),
        "cookies": plugin.event("GET", "/orders", cookies={"session": "abc", "theme": "dark"}, **options),
    }
    for key in OPTIONAL_KEYS:
        if key in full:
            events[f"{key} null"] = {**copy.deepcopy(full), key: None}
            events[f"no {key}"] = {name: value for name, value in copy.deepcopy(full).items() if name != key}
    return {name: event for name, event in events.items() if plugin.check(event) is None}


def _walk(theirs: Any, ours: Any, prefix: str = "") -> dict[str, tuple[Any, Any]]:
    """Every public property (plain or cached) and walked method whose answer differs, nested objects walked."""
    found: dict[str, tuple[Any, Any]] = {}
    names = sorted(
        name
        for name in dir(type(theirs))
        if not name.startswith("_") and isinstance(inspect.getattr_static(type(theirs), name), (property, cached_property))
    )
    for name in names:
        their_value, our_value = _get(theirs, name), _get(ours, name)
        if isinstance(their_value, DictWrapper) and not isinstance(our_value, tuple) and our_value is not None:
            found.update(_walk(their_value, our_value, f"{prefix}{name}."))
        elif isinstance(their_value, DictWrapper) or not _same(their_value, our_value):
            found[prefix + name] = (their_value, our_value)
    if not prefix:
        for method, arguments in METHOD_CALLS:
            their_value, our_value = _call(theirs, method, arguments), _call(ours, method, arguments)
            if not _same(their_value, our_value):
                found[method] = (their_value, our_value)
    return found


def _get(request: Any, name: str) -> Any:
    try:
        return getattr(request, name)
    except Exception as error:  # the exception's class is the answer being compared
        return ("raised", type(error))


def _call(request: Any, method: str, arguments: tuple[Any, ...]) -> Any:
    try:
        return getattr(request, method)(*arguments)
    except Exception as error:  # the exception's class is the answer being compared
        return ("raised", type(error))


def _same(theirs: Any, ours: Any) -> bool:
    if _raised(theirs) and _raised(ours):
        # kernel's errors are Powertools' kinds (InvalidJSONBodyError is a JSONDecodeError).
        return issubclass(ours[1], theirs[1])
    return bool(theirs == ours)


def _raised(answer: Any) -> bool:
    return isinstance(answer, tuple) and len(answer) == 2 and answer[0] == "raised"


def _allowed(source: str) -> dict[str, str]:
    """The accessors of ``source`` a known difference names, with the difference's name."""
    return {
        accessor.partition(":")[2]: difference.name
        for difference in KNOWN
        for accessor in difference.accessors
        if accessor.partition(":")[0] == source
    }


def _unexplained(source: str, found: dict[str, tuple[Any, Any]]) -> dict[str, tuple[Any, Any]]:
    allowed = _allowed(source)
    return {
        name: answers
        for name, answers in found.items()
        # Where Powertools raises on a part the event lacks, kernel answers (BY_NAME["lacking-parts-read-empty"]).
        if name not in allowed and not (_raised(answers[0]) and not _raised(answers[1]))
    }


OTHER_CASES = [(source, name) for source in OTHER_SOURCES for name in _other_events(source)]


@pytest.mark.parametrize(("source", "variant"), OTHER_CASES, ids=[f"{source}-{name}" for source, name in OTHER_CASES])
def test_request_classes_answer_as_powertools_but_for_known_differences(source, variant):
    theirs_class, ours_class, _, _ = OTHER_SOURCES[source]
    event = _other_events(source)[variant]
    found = _walk(theirs_class(copy.deepcopy(event)), ours_class(copy.deepcopy(event)))
    assert _unexplained(source, found) == {}


@pytest.mark.parametrize("source", OTHER_SOURCES)
def test_each_known_accessor_difference_shows(source):
    # The allowances above are not vacuous: each one is met on some event the source accepts.
    theirs_class, ours_class, _, _ = OTHER_SOURCES[source]
    seen: set[str] = set()
    for event in _other_events(source).values():
        seen.update(_walk(theirs_class(copy.deepcopy(event)), ours_class(copy.deepcopy(event))))
    assert set(_allowed(source)) <= seen


def test_the_walk_covers_every_public_accessor_of_powertools_classes():
    # Each class of Powertools has no public property kernel's lacks.
    for theirs_class, ours_class, _, _ in OTHER_SOURCES.values():
        missing = [
            name
            for name in dir(theirs_class)
            if not name.startswith("_")
            and isinstance(inspect.getattr_static(theirs_class, name), (property, cached_property))
            and not hasattr(ours_class, name)
        ]
        assert missing == []
