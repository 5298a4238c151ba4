"""The VPC Lattice sources: payload versions 1 and 2, one distribution, the exact response dicts."""

from __future__ import annotations

import base64
import json
import time

import kernel_lattice
import pytest

from kernel import App, Cookie, Response, VPCLatticeResolver, VPCLatticeV2Resolver
from tests.events import http_event, lattice_event, lattice_v2_event

RESOLVERS = {1: VPCLatticeResolver, 2: VPCLatticeV2Resolver}
BUILDERS = {1: lattice_event, 2: lattice_v2_event}


def make_app(version: int):
    return RESOLVERS[version](plugins=["lattice"])


def answer(app, event) -> dict:
    return json.loads(app(event, None)["body"])


def echo_app(version: int):
    app = make_app(version)

    @app.route("/echo", ["GET", "POST"])
    def echo():
        event = app.current_event
        return {
            "type": type(event).__name__,
            "method": event.http_method,
            "path": event.path,
            "query": event.query_string_parameters,
            "resolved_query": event.resolved_query_string_parameters,
            "one": event.get_query_string_value("tag"),
            "all": event.get_multi_value_query_string_values("tag"),
            "header": event.get_header_value("X-Custom"),
            "body": event.decoded_body,
            "base64": event.is_base64_encoded,
        }

    return app


# -- version 1 ------------------------------------------------------------------


def test_v1_accessors():
    event = lattice_event("POST", "/echo", headers={"X-Custom": ["a", "b"]}, query={"tag": "x"}, body="hi")
    assert answer(echo_app(1), event) == {
        "type": "VPCLatticeEvent",
        "method": "POST",
        "path": "/echo",
        "query": {"tag": "x"},
        "resolved_query": {"tag": ["x"]},
        "one": "x",
        "all": ["x"],
        "header": "a,b",
        "body": "hi",
        "base64": False,
    }


def test_v1_raw_path_keeps_the_query_string_and_path_drops_it():
    app = make_app(1)

    @app.get("/items")
    def items():
        return {"raw": app.current_event.raw_path, "path": app.current_event.path, "method": app.current_event.method}

    event = lattice_event("GET", "/items", query={"page": "2"})
    assert answer(app, event) == {"raw": "/items?page=2", "path": "/items", "method": "GET"}


@pytest.mark.parametrize("flag", ["true", "True", "TRUE"])
def test_v1_base64_flag_sent_as_text(flag):
    event = lattice_event("POST", "/echo", body='{"test": "event"}', is_base64=True)
    event["is_base64_encoded"] = flag
    seen = answer(echo_app(1), event)
    assert seen["base64"] is True
    assert seen["body"] == '{"test": "event"}'


def test_v1_false_as_text_is_not_base64():
    # Text "false" is truthy in Python: read naively, the body would be base64-decoded.
    event = lattice_event("POST", "/echo", body="plain text", base64_flag_as_text=True)
    assert event["is_base64_encoded"] == "false"
    seen = answer(echo_app(1), event)
    assert seen["base64"] is False
    assert seen["body"] == "plain text"


# -- version 2 --------------------------------------------------------------------


def test_v2_accessors():
    event = lattice_v2_event("POST", "/echo", headers={"X-Custom": ["a", "b"]}, query={"tag": ["x", "y"]}, body="hi")
    assert answer(echo_app(2), event) == {
        "type": "VPCLatticeEventV2",
        "method": "POST",
        "path": "/echo",
        "query": {"tag": "x,y"},
        "resolved_query": {"tag": ["x", "y"]},
        "one": "x,y",
        "all": ["x", "y"],
        "header": ["a", "b"],  # the event's list, as Powertools gives it
        "body": "hi",
        "base64": False,
    }


def test_v2_headers_keep_their_lists_and_header_text_joins_them():
    app = make_app(2)

    @app.get("/me")
    def me():
        event = app.current_event
        return {
            "headers": event.headers["x-custom"],
            "multi": event.multi_value_headers["x-custom"],
            "resolved": event.resolved_headers_field["x-custom"],
            "cookie": event.headers["cookie"],
            "text": event.header_text("X-Custom"),
            "cookie_text": event.header_text("cookie"),
            "missing": event.header_text("x-missing"),
            "cookies": event.resolved_cookies_field,
        }

    event = lattice_v2_event("GET", "/me", headers={"X-Custom": ["a", "b"], "Cookie": ["a=1", "b=2"]})
    assert answer(app, event) == {
        "headers": ["a", "b"],
        "multi": ["a", "b"],
        "resolved": ["a", "b"],
        "cookie": ["a=1", "b=2"],
        # What plugins read (CORS, compression, content types): one text, cookies joined with semicolons.
        "text": "a, b",
        "cookie_text": "a=1; b=2",
        "missing": None,
        "cookies": {"a": "1", "b": "2"},
    }


def test_v2_accepts_plain_string_values_too():
    # AWS documents lists; events with plain strings are seen as well.
    event = lattice_v2_event("GET", "/echo")
    event["headers"] = {"x-custom": "a"}
    event["queryStringParameters"] = {"tag": "x"}
    seen = answer(echo_app(2), event)
    assert seen["header"] == "a"
    assert seen["query"] == {"tag": "x"}
    assert seen["all"] == ["x"]


def test_v2_request_context():
    app = make_app(2)

    @app.get("/ctx")
    def ctx():
        context = app.current_event.request_context
        return {
            "version": app.current_event.version,
            "network": context.service_network_arn,
            "service": context.service_arn,
            "target_group": context.target_group_arn,
            "region": context.region,
            "time": context.time_epoch,
            "vpc": context.identity.source_vpc_arn,
            "type": context.identity.get_type,
            "principal": context.identity.principal,
            "session": context.identity.session_name,
            "san_dns": context.identity.x509_san_dns,
            "org": context.identity.principal_org_id,
        }

    before = time.time()
    seen = answer(app, lattice_v2_event("GET", "/ctx"))
    # Lattice sends the arrival time in microseconds since the epoch, as a string.
    assert before - 1 <= int(seen.pop("time")) / 1_000_000 <= time.time() + 1
    assert seen == {
        "version": "2.0",
        "network": "arn:aws:vpc-lattice:us-east-2:123456789012:servicenetwork/sn-0bf3f2882e9cc805a",
        "service": "arn:aws:vpc-lattice:us-east-2:123456789012:service/svc-0a40eebed65f8d69c",
        "target_group": "arn:aws:vpc-lattice:us-east-2:123456789012:targetgroup/tg-6d0ecf831eec9f09",
        "region": "us-east-2",
        "vpc": "arn:aws:ec2:us-east-2:123456789012:vpc/vpc-0b8276c84697e7339",
        "type": "AWS_IAM",
        "principal": "arn:aws:sts::123456789012:assumed-role/example-role/057d00f8b51257ba3c853a0f248943cf",
        "session": "057d00f8b51257ba3c853a0f248943cf",
        "san_dns": "example.com",
        "org": None,
    }


# -- both versions: routing and the response --------------------------------------


@pytest.mark.parametrize("version", [1, 2])
def test_response_dict(version):
    app = make_app(version)

    @app.get("/hello")
    def hello():
        return {"message": "hi"}

    assert app(BUILDERS[version]("GET", "/hello"), None) == {
        "statusCode": 200,
        "body": '{"message":"hi"}',
        "isBase64Encoded": False,
        "headers": {"Content-Type": "application/json"},
    }


@pytest.mark.parametrize("version", [1, 2])
def test_repeated_headers_are_joined_and_bytes_are_base64(version):
    app = make_app(version)

    @app.get("/logo")
    def logo():
        return Response(200, "image/png", b"\x89PNG", headers={"X-Tags": ["a", "b"]})

    assert app(BUILDERS[version]("GET", "/logo"), None) == {
        "statusCode": 200,
        "body": base64.b64encode(b"\x89PNG").decode(),
        "isBase64Encoded": True,
        "headers": {"Content-Type": "image/png", "X-Tags": "a, b"},
    }


@pytest.mark.parametrize("version", [1, 2])
def test_no_body_is_sent_as_null(version):
    # As Powertools sends it; VPC Lattice, unlike ALB, accepts a response without a body.
    app = make_app(version)

    @app.delete("/items/<item_id>")
    def delete(item_id):
        return Response(204)

    assert app(BUILDERS[version]("DELETE", "/items/1"), None) == {
        "statusCode": 204,
        "body": None,
        "isBase64Encoded": False,
        "headers": {},
    }


@pytest.mark.parametrize("version", [1, 2])
def test_cookies_go_in_set_cookie_and_only_the_last_fits(version):
    app = make_app(version)

    @app.get("/login")
    def login():
        return Response(200, "text/plain", "in", cookies=[Cookie("session", "abc"), Cookie("theme", "dark", secure=False)])

    with pytest.warns(UserWarning, match="2 cookies were set and only the last one is sent"):
        result = app(BUILDERS[version]("GET", "/login"), None)
    assert result["headers"] == {"Content-Type": "text/plain", "Set-Cookie": "theme=dark"}
    assert "cookies" not in result


# -- malformed events -----------------------------------------------------------------


def bad_request(message: str) -> dict:
    body = json.dumps({"statusCode": 400, "message": f"Malformed event: {message}"}, separators=(",", ":"))
    return {"statusCode": 400, "body": body, "isBase64Encoded": False, "headers": {"Content-Type": "application/json"}}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"method": None}, "'method' is missing or not a string"),
        ({"headers": ["a"]}, "'headers' is not a map of strings"),
        ({"query_string_parameters": {"a": 1}}, "'query_string_parameters' is not a map of strings"),
        ({"body": 12}, "'body' is not a string"),
        ({"is_base64_encoded": "maybe"}, "'is_base64_encoded' is not a boolean"),
        ({"is_base64_encoded": 1}, "'is_base64_encoded' is not a boolean"),
    ],
)
def test_malformed_v1_event_is_a_400(change, message):
    assert make_app(1)({**lattice_event("GET", "/hello"), **change}, None) == bad_request(message)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"method": ""}, "'method' is missing or not a string"),
        ({"path": None}, "'path' is missing or not an absolute path"),
        ({"headers": {"a": [1]}}, "'headers' is not a map of strings or string lists"),
        ({"queryStringParameters": ["a"]}, "'queryStringParameters' is not a map of strings or string lists"),
        ({"isBase64Encoded": "true"}, "'isBase64Encoded' is not a boolean"),
        ({"requestContext": "ctx"}, "'requestContext' is not an object"),
    ],
)
def test_malformed_v2_event_is_a_400(change, message):
    assert make_app(2)({**lattice_v2_event("GET", "/hello"), **change}, None) == bad_request(message)


@pytest.mark.parametrize("entry", [{"a": ["1"]}, {"a": 1}, {"a": None}, {1: "a"}])
def test_malformed_v1_header_entries_are_answered_400_when_the_map_is_read(entry):
    # Checked when first read: a route that does not read the headers answers as usual.
    from kernel import CORSConfig

    app = VPCLatticeResolver(plugins=["lattice", "cors"], cors=CORSConfig(allow_origin="https://a.example"))

    @app.get("/hello")
    def hello():
        return {"hello": True}

    @app.get("/read")
    def read():
        return {"accept": app.current_event.get_header_value("accept")}

    def event(path: str) -> dict:
        built = lattice_event("GET", path)
        built["headers"] = {"origin": "https://a.example", "accept": "*/*", **entry}
        return built

    reply, expected = app(event("/read"), None), bad_request("'headers' is not a map of strings")
    assert (reply["statusCode"], reply["body"]) == (expected["statusCode"], expected["body"])
    reply = app(event("/hello"), None)
    # CORS reads Origin alone: well formed, it is read.
    assert (reply["statusCode"], reply["headers"]["Access-Control-Allow-Origin"]) == (200, "https://a.example")


@pytest.mark.parametrize("spelled", ["origin", "Origin", "ORIGIN"])
def test_v2_header_text_looks_one_header_up_however_the_event_spells_it(spelled):
    from kernel_lattice import VPCLatticeEventV2

    for value, text in ((["https://a.example"], "https://a.example"), (["a", "b"], "a, b"), ("plain", "plain"), ([], "")):
        event = lattice_v2_event("GET", "/")
        event["headers"] = {spelled: value, "cookie": ["a=1", "b=2"]}
        request = VPCLatticeEventV2(event)
        assert request.header_text("Origin") == text
        assert request.header_text("origin") == text
        assert request.header_text("Cookie") == "a=1; b=2"
        assert request.header_text("x-missing", "none") == "none"


def test_v2_header_text_of_a_request_built_from_a_malformed_map():
    # The source's check answers such events 400; a request built by hand from
    # one reads a well-formed header, and the default for a malformed one.
    from kernel_lattice import VPCLatticeEventV2

    event = lattice_v2_event("GET", "/")
    event["headers"] = {"origin": ["https://a.example", 5], "accept": "*/*"}
    request = VPCLatticeEventV2(event)
    assert request.header_text("Origin", "none") == "none"
    assert request.header_text("Accept", "none") == "*/*"
    assert request.multi_value_headers == {}


def test_each_pinned_resolver_reads_its_own_version_only():
    assert make_app(1)(lattice_v2_event("GET", "/hello"), None) == bad_request("'raw_path' is missing or not an absolute path")
    # A v1 event has no "path": the v2 check names it ("version" is not required: some v2 events lack it).
    assert make_app(2)(lattice_event("GET", "/hello"), None) == bad_request("'path' is missing or not an absolute path")


# -- detection -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "plugins",
    [["lattice", "lattice-v2"], ["lattice-v2", "lattice"], ["http", "lattice", "lattice-v2"], ["lattice-v2", "lattice", "http"]],
)
def test_unpinned_app_tells_the_versions_and_http_apis_apart(plugins):
    app = App(plugins=plugins)

    @app.get("/who")
    def who():
        return {"source": type(app.current_event).__name__}

    assert answer(app, lattice_event("GET", "/who")) == {"source": "VPCLatticeEvent"}
    assert answer(app, lattice_v2_event("GET", "/who")) == {"source": "VPCLatticeEventV2"}
    if "http" in plugins:
        assert answer(app, http_event("GET", "/who")) == {"source": "APIGatewayProxyEventV2"}


def test_an_unpinned_app_of_every_installed_plugin_reads_both_versions():
    app = App()

    @app.get("/who")
    def who():
        return {"source": type(app.current_event).__name__}

    assert answer(app, lattice_event("GET", "/who")) == {"source": "VPCLatticeEvent"}
    assert answer(app, lattice_v2_event("GET", "/who")) == {"source": "VPCLatticeEventV2"}


@pytest.mark.parametrize(("name", "version"), [("lattice", 1), ("lattice-v2", 2)])
def test_app_pinned_by_plugin_name_reads_its_version_only(name, version):
    # Each payload version is a source of its own: pinning by name is pinning to one version.
    app = App(plugins=[name], source=name)

    @app.get("/who")
    def who():
        return {"source": type(app.current_event).__name__}

    own, other = BUILDERS[version], BUILDERS[3 - version]
    assert answer(app, own("GET", "/who")) == {"source": {1: "VPCLatticeEvent", 2: "VPCLatticeEventV2"}[version]}
    assert app(other("GET", "/who"), None)["statusCode"] == 400


def test_a_pinned_resolver_brings_its_own_source():
    # plugins=["lattice"] names the distribution's v1 source; the v2 resolver adds its own.
    app = VPCLatticeV2Resolver(plugins=["lattice"])
    assert app.source == "lattice-v2"
    assert app.plugin_manager.has_plugin("lattice-v2")


def test_shape_checks():
    assert kernel_lattice.is_v1_event(lattice_event())
    assert not kernel_lattice.is_v1_event(lattice_v2_event())
    assert kernel_lattice.is_v2_event(lattice_v2_event())
    assert not kernel_lattice.is_v2_event(lattice_event())
    assert not kernel_lattice.is_v2_event(http_event())
    assert not kernel_lattice.is_v1_event([])


def test_the_entry_points_are_the_sources():
    assert (kernel_lattice.source.name, kernel_lattice.source.request_class) == ("lattice", kernel_lattice.VPCLatticeEvent)
    assert (kernel_lattice.source_v2.name, kernel_lattice.source_v2.request_class) == (
        "lattice-v2",
        kernel_lattice.VPCLatticeEventV2,
    )


def test_response_builder_reads_v2_header_lists_as_text():
    # ResponseBuilder (Powertools' name) reads Origin and Accept-Encoding through header_text, as the plugins do.
    from kernel_lattice import VPCLatticeEventV2

    from kernel import CORSConfig, ResponseBuilder
    from kernel.routing import Route

    event = VPCLatticeEventV2(
        lattice_v2_event("GET", "/x", headers={"Origin": "https://app.example.com", "Accept-Encoding": ["br", "gzip"]})
    )
    route = Route("GET", "/x", lambda: None, cors=True, compress=True)
    built = ResponseBuilder(Response(200, "text/plain", "hi" * 100), route=route).build(
        event, CORSConfig(allow_origin="https://app.example.com")
    )
    assert built["headers"]["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert built["headers"]["Content-Encoding"] == "gzip"
    assert built["isBase64Encoded"] is True
    assert event.header_text("x-missing", "none") == "none"
