"""The Bedrock Agent source: operations called by an agent, answered in the action-group envelope."""

from __future__ import annotations

import base64
import json

import pytest
from kernel_bedrock import BedrockResponse, is_bedrock_event
from pydantic import BaseModel

from kernel import App, BedrockAgentResolver, Cookie, Response, hookimpl
from tests.events import bedrock_event, rest_event

GROUP = "ClaimManagementActionGroup"


def make_app(**kwargs) -> BedrockAgentResolver:
    return BedrockAgentResolver(plugins=["bedrock"], **kwargs)


def envelope(path: str, method: str, status: int, body: str, media_type: str = "application/json") -> dict:
    return {
        "messageVersion": "1.0",
        "response": {
            "actionGroup": GROUP,
            "apiPath": path,
            "httpMethod": method,
            "httpStatusCode": status,
            "responseBody": {media_type: {"body": body}},
        },
    }


def body_of(result: dict) -> str:
    ((_, content),) = result["response"]["responseBody"].items()
    return content["body"]


# -- the request ---------------------------------------------------------------------


def test_accessors():
    app = make_app()

    @app.get("/claims")
    def claims():
        event = app.current_event
        return {
            "message_version": event.message_version,
            "input": event.input_text,
            "session": event.session_id,
            "group": event.action_group,
            "api_path": event.api_path,
            "path": event.path,
            "method": event.http_method,
            "agent": [event.agent.name, event.agent.id, event.agent.alias, event.agent.version],
            "session_attributes": event.session_attributes,
            "prompt_attributes": event.prompt_session_attributes,
            "parameters": [[item.name, item.type, item.value] for item in event.parameters],
            "query": event.query_string_parameters,
            "one": event.get_query_string_value("status"),
            "all": event.get_multi_value_query_string_values("note"),
            "headers": event.headers,
            "header": event.get_header_value("Content-Type"),
            "body": event.body,
            "json": event.json_body,
            "request_body": event.request_body,
        }

    event = bedrock_event(
        "GET",
        "/claims",
        query={"status": "open", "note": "a, b and c"},
        parameters={"limit": 3},
        session_attributes={"user": "42"},
        prompt_session_attributes={"turn": "1"},
    )
    assert json.loads(body_of(app(event, None))) == {
        "message_version": "1.0",
        "input": "I want to claim my insurance",
        "session": "12345678912345",
        "group": GROUP,
        "api_path": "/claims",
        "path": "/claims",
        "method": "GET",
        "agent": ["claims-agent", "8ZXY0W8P1H", "TSTALIASID", "DRAFT"],
        "session_attributes": {"user": "42"},
        "prompt_attributes": {"turn": "1"},
        "parameters": [["status", "string", "open"], ["note", "string", "a, b and c"], ["limit", "integer", "3"]],
        "query": {"status": "open", "note": "a, b and c", "limit": "3"},
        "one": "open",
        # A value is never split on its commas.
        "all": ["a, b and c"],
        "headers": {},
        "header": None,
        "body": None,
        "json": None,
        "request_body": None,
    }


def test_json_body_is_built_from_the_properties():
    app = make_app()

    @app.post("/send-reminders")
    def remind():
        event = app.current_event
        media = event.request_body.content["application/json"]
        return {"json": event.json_body, "body": event.body, "types": [prop.type for prop in media.properties]}

    event = bedrock_event("POST", "/send-reminders", body='{"claimId": "20", "count": 2, "urgent": true}')
    # Values stay the strings the agent sent, as in Powertools; validation converts them.
    assert json.loads(body_of(app(event, None))) == {
        "json": {"claimId": "20", "count": "2", "urgent": "true"},
        "body": '{"claimId": "20", "count": "2", "urgent": "true"}',
        "types": ["string", "integer", "boolean"],
    }


def test_a_body_in_another_media_type_is_no_json_body():
    app = make_app()

    @app.post("/notes")
    def notes():
        return {"json": app.current_event.json_body}

    event = bedrock_event("POST", "/notes")
    event["requestBody"] = {"content": {"text/plain": {"properties": [{"name": "text", "type": "string", "value": "hi"}]}}}
    assert json.loads(body_of(app(event, None))) == {"json": None}


# -- path parameters -------------------------------------------------------------------


def claim_app() -> BedrockAgentResolver:
    app = make_app()

    @app.get("/claims/<claimId>")
    def claim(claimId):
        return {"claim": claimId}

    @app.get("/users/<user_id>/claims")
    def user_claims(user_id):
        return {"user": user_id}

    return app


def test_path_template_gets_the_parameter_value():
    event = bedrock_event("GET", "/claims/{claimId}", parameters={"claimId": "AB-12"})
    assert claim_app()(event, None) == envelope("/claims/{claimId}", "GET", 200, '{"claim":"AB-12"}')


def test_template_name_and_route_name_may_differ():
    # The schema says {userId}, the route <user_id>: the template's name finds the value.
    event = bedrock_event("GET", "/users/{userId}/claims", parameters={"userId": "u-1"})
    assert json.loads(body_of(claim_app()(event, None))) == {"user": "u-1"}


def test_concrete_path_segment_is_used_when_no_parameter_names_it():
    event = bedrock_event("GET", "/claims/AB-12")
    assert json.loads(body_of(claim_app()(event, None))) == {"claim": "AB-12"}


def test_placeholder_without_a_parameter_is_a_400():
    event = bedrock_event("GET", "/claims/{claimId}")
    assert claim_app()(event, None) == envelope(
        "/claims/{claimId}", "GET", 400, '{"statusCode":400,"message":"Missing parameter \'claimId\'"}'
    )


def test_path_parameters_are_substituted_before_other_before_handle_hooks():
    seen = []

    class Spy:
        @staticmethod
        @hookimpl
        def before_handle(arguments):
            seen.append(dict(arguments))

    app = BedrockAgentResolver(plugins=["bedrock", Spy])

    @app.get("/claims/<claimId>")
    def claim(claimId):
        return {"claim": claimId}

    app(bedrock_event("GET", "/claims/{claimId}", parameters={"claimId": "7"}), None)
    assert seen == [{"claimId": "7"}]


# -- the response -------------------------------------------------------------------------


def test_response_envelope():
    app = make_app()

    @app.get("/claims")
    def claims():
        return {"open": 3}

    assert app(bedrock_event("GET", "/claims"), None) == envelope("/claims", "GET", 200, '{"open":3}')


def test_status_and_media_type_of_a_response_object():
    app = make_app()

    @app.post("/claims")
    def create():
        return Response(201, "text/plain", "Claim created", headers={"X-Trace": "abc"}, cookies=[Cookie("a", "1")])

    # Headers and cookies have no place in the envelope.
    expected = envelope("/claims", "POST", 201, "Claim created", "text/plain")
    assert app(bedrock_event("POST", "/claims", body="{}"), None) == expected


def test_no_body_is_an_empty_text_under_json():
    # Powertools reports such a body as null under the media type "null".
    app = make_app()

    @app.delete("/claims/<claimId>")
    def delete(claimId):
        return Response(204)

    event = bedrock_event("DELETE", "/claims/{claimId}", parameters={"claimId": "1"})
    assert app(event, None) == envelope("/claims/{claimId}", "DELETE", 204, "")


def test_bytes_body_is_sent_as_text():
    app = make_app()

    @app.get("/report")
    def report():
        return Response(200, "text/csv", b"id,total\n1,3")

    @app.get("/image")
    def image():
        return Response(200, "image/png", b"\x89PNG")

    assert app(bedrock_event("GET", "/report"), None) == envelope("/report", "GET", 200, "id,total\n1,3", "text/csv")
    # Not UTF-8: base64 is the only text form left.
    assert body_of(app(bedrock_event("GET", "/image"), None)) == base64.b64encode(b"\x89PNG").decode()


def test_structured_body_under_another_media_type_is_still_json():
    app = make_app()

    @app.get("/claims")
    def claims():
        return Response(200, "text/plain", {"open": 3})

    assert app(bedrock_event("GET", "/claims"), None) == envelope("/claims", "GET", 200, '{"open":3}', "text/plain")


def test_bedrock_response_sets_session_attributes():
    app = make_app()

    @app.get("/claims")
    def claims():
        return BedrockResponse(
            body={"open": 3},
            session_attributes={"user": "42"},
            prompt_session_attributes={"step": "2"},
            knowledge_bases_configuration=[{"knowledgeBaseId": "KB1"}],
        )

    assert app(bedrock_event("GET", "/claims"), None) == {
        **envelope("/claims", "GET", 200, '{"open":3}'),
        "sessionAttributes": {"user": "42"},
        "promptSessionAttributes": {"step": "2"},
        "knowledgeBasesConfiguration": [{"knowledgeBaseId": "KB1"}],
    }


def test_bedrock_response_leaves_out_empty_attributes_and_serialises_any_body():
    app = make_app()

    @app.get("/claims")
    def claims():
        return BedrockResponse(body=["a", "b"], status_code=202, content_type="text/plain", session_attributes={})

    assert app(bedrock_event("GET", "/claims"), None) == envelope("/claims", "GET", 202, '["a","b"]', "text/plain")


def test_bedrock_response_is_exported_by_kernel():
    import kernel

    assert kernel.BedrockResponse is BedrockResponse


def test_request_session_attributes_are_not_echoed():
    # As in Powertools: only a BedrockResponse sets them.
    app = make_app()

    @app.get("/claims")
    def claims():
        return {}

    result = app(bedrock_event("GET", "/claims", session_attributes={"user": "42"}), None)
    assert "sessionAttributes" not in result


# -- malformed events -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"httpMethod": 3}, "'httpMethod' is missing or not a string"),
        ({"actionGroup": None}, "'actionGroup' is missing or not a string"),
        ({"parameters": {"a": "1"}}, "'parameters' is not a list"),
        ({"parameters": [{"name": "a", "value": 1}]}, "'parameters' holds an item without a string 'name' and 'value'"),
        ({"parameters": ["a"]}, "'parameters' holds an item without a string 'name' and 'value'"),
        ({"requestBody": {"content": []}}, "'requestBody.content' is not an object"),
        ({"requestBody": "text"}, "'requestBody.content' is not an object"),
        ({"requestBody": {"content": {"application/json": []}}}, "'requestBody.content.application/json' is not an object"),
        (
            {"requestBody": {"content": {"application/json": {"properties": [{"name": "a"}]}}}},
            "'requestBody.content.application/json.properties' holds an item without a string 'name' and 'value'",
        ),
        ({"sessionAttributes": []}, "'sessionAttributes' is not an object"),
        ({"agent": "me"}, "'agent' is not an object"),
    ],
)
def test_malformed_event_is_a_400(change, message):
    event = {**bedrock_event("GET", "/claims"), **change}
    body = json.dumps({"statusCode": 400, "message": f"Malformed event: {message}"}, separators=(",", ":"))
    result = make_app()(event, None)
    assert result["response"]["httpStatusCode"] == 400
    assert result["response"]["responseBody"] == {"application/json": {"body": body}}
    assert result["messageVersion"] == "1.0"


def test_malformed_event_keeps_what_it_can_of_the_operation():
    event = {**bedrock_event("GET", "/claims"), "parameters": "x"}
    assert make_app()(event, None) == envelope(
        "/claims", "GET", 400, '{"statusCode":400,"message":"Malformed event: \'parameters\' is not a list"}'
    )


def test_function_details_event_is_not_an_api_event():
    # Action groups defined by function details send "function", not "apiPath".
    event = bedrock_event("GET", "/claims")
    del event["apiPath"]
    event["function"] = "get_claims"
    result = make_app()(event, None)
    assert result["response"]["httpStatusCode"] == 400
    assert result["response"]["apiPath"] is None


# -- detection --------------------------------------------------------------------------------


def test_unpinned_app_tells_bedrock_from_rest():
    app = App(plugins=["rest", "bedrock"])

    @app.get("/claims")
    def claims():
        return {"source": type(app.current_event).__name__}

    assert app(bedrock_event("GET", "/claims"), None) == envelope("/claims", "GET", 200, '{"source":"BedrockAgentEvent"}')
    assert json.loads(app(rest_event("GET", "/claims"), None)["body"]) == {"source": "APIGatewayProxyEvent"}


def test_before_handle_leaves_other_sources_alone():
    app = App(plugins=["rest", "bedrock"])

    @app.get("/claims/<claimId>")
    def claim(claimId):
        return {"claim": claimId}

    # "{claimId}" in a REST path is just text, not a placeholder to fill.
    assert json.loads(app(rest_event("GET", "/claims/{claimId}"), None)["body"]) == {"claim": "{claimId}"}


def test_is_bedrock_event():
    assert is_bedrock_event(bedrock_event())
    assert not is_bedrock_event(rest_event())
    assert not is_bedrock_event({"actionGroup": "g", "function": "f", "messageVersion": "1.0"})
    assert not is_bedrock_event("event")


class Claim(BaseModel):
    claimId: int
    note: str


def test_validation_reads_parameters_and_body():
    app = BedrockAgentResolver(plugins=["bedrock", "validation"], enable_validation=True)

    @app.get("/claims/<claimId>")
    def claim(claimId: int):
        return {"id": claimId}

    @app.post("/claims")
    def create(claim: Claim):
        return claim.model_dump()

    ok = app(bedrock_event("GET", "/claims/{claimId}", parameters={"claimId": "5"}), None)
    assert body_of(ok) == '{"id":5}'
    bad = app(bedrock_event("GET", "/claims/{claimId}", parameters={"claimId": "x"}), None)
    assert bad["response"]["httpStatusCode"] == 422
    created = app(bedrock_event("POST", "/claims", body='{"claimId": 4, "note": "n"}'), None)
    assert body_of(created) == '{"claimId":4,"note":"n"}'


# -- the event builder and the envelope reader ------------------------------------------------


def test_builder_makes_the_event_an_agent_sends():
    from kernel_bedrock import source

    event = source.event(
        "post",
        "/claims/{claimId}/notes",
        query={"tag": ["a", "b"]},
        body='{"text": "late", "pages": 2, "scores": [1.5]}',
        parameters={"claimId": "AB-12", "urgent": True},
    )
    assert event == {
        "messageVersion": "1.0",
        "agent": {"name": "claims-agent", "id": "8ZXY0W8P1H", "alias": "TSTALIASID", "version": "DRAFT"},
        "inputText": "I want to claim my insurance",
        "sessionId": "12345678912345",
        "actionGroup": GROUP,
        "apiPath": "/claims/{claimId}/notes",
        "httpMethod": "POST",
        "parameters": [
            # A repeated query parameter is one parameter, its values joined.
            {"name": "tag", "type": "string", "value": "a,b"},
            {"name": "claimId", "type": "string", "value": "AB-12"},
            {"name": "urgent", "type": "boolean", "value": "true"},
        ],
        "requestBody": {
            "content": {
                "application/json": {
                    "properties": [
                        {"name": "text", "type": "string", "value": "late"},
                        {"name": "pages", "type": "integer", "value": "2"},
                        {"name": "scores", "type": "array", "value": "[1.5]"},
                    ]
                }
            }
        },
        "sessionAttributes": {},
        "promptSessionAttributes": {},
    }
    assert is_bedrock_event(event)


@pytest.mark.parametrize(
    "parts",
    [
        pytest.param({"headers": {"Origin": "x"}}, id="headers"),
        pytest.param({"cookies": ["a=1"]}, id="cookies"),
        pytest.param({"body": b"\x89PNG", "is_base64": True}, id="base64-body"),
    ],
)
def test_builder_refuses_headers_cookies_and_binary_bodies(parts):
    with pytest.raises(TypeError, match="no headers, cookies or base64 body") as raised:
        bedrock_event("POST", "/claims", **parts)
    # Also a ValueError, which kernel serve answers 400 as a request the service could not send.
    assert isinstance(raised.value, ValueError)


def test_builder_takes_the_json_content_type_of_a_json_body():
    # It only repeats the request body's media type; any other content type is refused.
    sent = bedrock_event("POST", "/claims", headers={"Content-Type": "application/json; charset=utf-8"}, body='{"a": "1"}')
    assert sent == bedrock_event("POST", "/claims", body='{"a": "1"}')
    with pytest.raises(TypeError):
        bedrock_event("POST", "/claims", headers={"Content-Type": "text/plain"}, body='{"a": "1"}')


def test_test_client_drives_an_agent_app():
    from kernel.testing import Client

    app = make_app()

    @app.post("/claims/<claimId>/notes")
    def note(claimId):
        return {"claim": claimId, "note": app.current_event.json_body["text"]}, 201

    client = Client(app)
    response = client.post("/claims/{claimId}/notes", json={"text": "late"}, parameters={"claimId": "AB-12"})
    assert (response.status_code, response.headers["Content-Type"], response.json()) == (
        201,
        "application/json",
        {"claim": "AB-12", "note": "late"},
    )
    assert client.raw_event["requestBody"] == {
        "content": {"application/json": {"properties": [{"name": "text", "type": "string", "value": "late"}]}}
    }


@pytest.mark.parametrize("body", ["[1, 2]", "not json", b"\xff\xfe"])
def test_builder_refuses_a_body_that_is_not_a_json_object(body):
    with pytest.raises(ValueError, match="JSON object of properties"):
        bedrock_event("POST", "/claims", body=body)


def test_builder_of_an_empty_body_sends_no_request_body():
    assert "requestBody" not in bedrock_event("POST", "/claims", body="")


def test_read_response_reads_the_envelope_back():
    from kernel_bedrock import source

    app = make_app()

    @app.post("/claims")
    def create():
        return BedrockResponse("Created", 201, "text/plain", session_attributes={"a": "1"})

    @app.get("/claims")
    def claims():
        return {"open": 3}

    assert source.read_response(app(bedrock_event("GET", "/claims"), None)) == (
        200,
        [("Content-Type", "application/json")],
        b'{"open":3}',
    )
    assert source.read_response(app(bedrock_event("POST", "/claims", body="{}"), None)) == (
        201,
        [("Content-Type", "text/plain")],
        b"Created",
    )


@pytest.mark.parametrize(
    "response",
    [
        pytest.param({"statusCode": 200, "body": "{}"}, id="proxy-shape"),
        pytest.param("text", id="not-a-dict"),
        pytest.param({"response": {"httpStatusCode": "200", "responseBody": {"a/b": {"body": ""}}}}, id="text-status"),
        pytest.param({"response": {"httpStatusCode": 200, "responseBody": {}}}, id="no-media-type"),
        pytest.param(
            {"response": {"httpStatusCode": 200, "responseBody": {"a/b": {"body": ""}, "c/d": {"body": ""}}}},
            id="two-media-types",
        ),
        pytest.param({"response": {"httpStatusCode": 200, "responseBody": {"a/b": {"body": {}}}}}, id="body-not-text"),
    ],
)
def test_read_response_refuses_what_an_agent_would_refuse(response):
    from kernel_bedrock import source

    with pytest.raises(ValueError, match="response"):
        source.read_response(response)


def test_the_entry_point_is_the_source():
    from importlib.metadata import entry_points

    import kernel_bedrock

    (entry_point,) = [ep for ep in entry_points(group="kernel.plugins") if ep.name == "bedrock"]
    assert entry_point.load() is kernel_bedrock.source
    assert kernel_bedrock.source.can_build_events
