"""A third-party event source (tests/thirdparty/kernel-edge) works like a built-in one.

The in-process tests pass the plugin's source to ``App(plugins=[...])``, as a
plugin author would while writing it. The installed test builds the plugin's
wheel and the kernel's, installs both into a fresh virtual environment and
checks that the entry point alone makes ``App(source="edge")``, an unpinned
``App()``, ``kernel plugins`` and the ASGI adapter of ``kernel serve`` see the
plugin, with no change to the kernel.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from kernel import App, Cookie, Response, UnknownEventError
from tests.events import rest_event

ROOT = Path(__file__).resolve().parents[3]
PLUGIN_DIR = ROOT / "tests" / "thirdparty" / "kernel-edge"
PLUGIN_FILE = PLUGIN_DIR / "kernel_edge" / "__init__.py"


def edge_event(
    method: str = "GET",
    uri: str = "/",
    querystring: str = "",
    headers: dict[str, str | list[str]] | None = None,
    body: bytes | None = None,
) -> dict[str, Any]:
    """A CloudFront origin-request event as Lambda@Edge receives it (body included as base64).

    Written out by hand from CloudFront's documentation, independently of the
    plugin's own builder, which is checked against it.
    """
    cf_headers = {
        "host": [{"key": "Host", "value": "example.org"}],
        "user-agent": [{"key": "User-Agent", "value": "Amazon CloudFront"}],
        "x-forwarded-for": [{"key": "X-Forwarded-For", "value": "203.0.113.178"}],
    }
    for name, value in (headers or {}).items():
        values = value if isinstance(value, list) else [value]
        cf_headers[name.lower()] = [{"key": name, "value": item} for item in values]
    request: dict[str, Any] = {
        "clientIp": "203.0.113.178",
        "headers": cf_headers,
        "method": method,
        "origin": {
            "custom": {
                "customHeaders": {},
                "domainName": "example.org",
                "keepaliveTimeout": 5,
                "path": "",
                "port": 443,
                "protocol": "https",
                "readTimeout": 30,
                "sslProtocols": ["TLSv1.2"],
            }
        },
        "querystring": querystring,
        "uri": uri,
    }
    if body is not None:
        request["body"] = {
            "inputTruncated": False,
            "action": "read-only",
            "encoding": "base64",
            "data": base64.b64encode(body).decode(),
        }
    return {
        "Records": [
            {
                "cf": {
                    "config": {
                        "distributionDomainName": "d111111abcdef8.cloudfront.net",
                        "distributionId": "EDFDVBD6EXAMPLE",
                        "eventType": "origin-request",
                        "requestId": "4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==",
                    },
                    "request": request,
                }
            }
        ]
    }


@pytest.fixture(scope="module")
def kernel_edge() -> ModuleType:
    """The plugin module, imported from its source file (it is not installed in the dev environment)."""
    spec = importlib.util.spec_from_file_location("kernel_edge", PLUGIN_FILE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- in process ----------------------------------------------------------------


def test_routes_an_origin_request_and_answers_in_the_edge_shape(kernel_edge):
    app = App(plugins=[kernel_edge.source])

    @app.post("/items/<item>")
    def item(item):
        event = app.current_event
        return Response(
            201,
            "application/json",
            {
                "item": item,
                "json": event.json_body,
                "q": event.get_multi_value_query_string_values("q"),
                "accept": event.get_header_value("Accept"),
                "ip": event.client_ip,
            },
            headers={"X-Multi": ["a", "b"]},
            cookies=[Cookie("s", "1")],
        )

    event = edge_event("POST", "/items/7", "q=1&q=2", {"Accept": ["text/html", "application/json"]}, b'{"n": 1}')
    assert app(event, None) == {
        "status": "201",
        "statusDescription": "Created",
        "headers": {
            "x-multi": [{"key": "X-Multi", "value": "a"}, {"key": "X-Multi", "value": "b"}],
            "content-type": [{"key": "Content-Type", "value": "application/json"}],
            "set-cookie": [{"key": "Set-Cookie", "value": "s=1; Secure"}],
        },
        "body": '{"item":"7","json":{"n":1},"q":["1","2"],"accept":"text/html, application/json","ip":"203.0.113.178"}',
        "bodyEncoding": "text",
    }


def test_bytes_are_sent_base64_and_empty_bodies_are_left_out(kernel_edge):
    app = App(plugins=[kernel_edge.source])

    @app.get("/logo")
    def logo():
        return Response(200, "image/png", b"\x89PNG")

    @app.get("/nothing")
    def nothing():
        return Response(204)

    assert app(edge_event("GET", "/logo"), None) == {
        "status": "200",
        "statusDescription": "OK",
        "headers": {"content-type": [{"key": "Content-Type", "value": "image/png"}]},
        "body": base64.b64encode(b"\x89PNG").decode(),
        "bodyEncoding": "base64",
    }
    assert app(edge_event("GET", "/nothing"), None) == {"status": "204", "statusDescription": "No Content", "headers": {}}


@pytest.mark.parametrize(
    ("event", "problem"),
    [
        pytest.param({"Records": [{"cf": {"request": {"uri": "/"}}}]}, "'method' is missing or not a string", id="no-method"),
        pytest.param(
            {"Records": [{"cf": {"request": {"method": "GET"}}}]}, "'uri' is missing or not an absolute path", id="no-uri"
        ),
        pytest.param(
            {"Records": [{"cf": {"request": {"method": "GET", "uri": "/", "headers": {"host": "x"}}}}]},
            "'headers' is not a map of [{key, value}] lists",
            id="flat-headers",
        ),
        pytest.param(
            {"Records": [{"cf": {"request": {"method": "GET", "uri": "/", "querystring": ["a"]}}}]},
            "'querystring' is not a string",
            id="querystring-list",
        ),
        pytest.param(
            {"Records": [{"cf": {"request": {"method": "GET", "uri": "/", "body": "x"}}}]},
            "'body' is not an object with a 'data' string",
            id="body-str",
        ),
    ],
)
def test_malformed_origin_request_answers_400(kernel_edge, event, problem):
    # Recognised by its Records[0].cf.request object, so even an unpinned app
    # answers in the edge shape. (Events without that object are rejected only
    # by a pinned app: see the next test and the installed one.)
    app = App(plugins=[kernel_edge.source])
    assert app(event, None) == {
        "status": "400",
        "statusDescription": "Bad Request",
        "headers": {"content-type": [{"key": "Content-Type", "value": "application/json"}]},
        "body": json.dumps({"statusCode": 400, "message": f"Malformed event: {problem}"}, separators=(",", ":")),
        "bodyEncoding": "text",
    }


def test_unpinned_app_leaves_other_shapes_to_other_sources(kernel_edge):
    app = App(plugins=[kernel_edge.source, "rest"])

    @app.get("/who")
    def who():
        return {"source": type(app.current_event).__name__}

    assert json.loads(app(rest_event("GET", "/who"), None)["body"]) == {"source": "APIGatewayProxyEvent"}
    assert json.loads(app(edge_event("GET", "/who"), None)["body"]) == {"source": "EdgeRequest"}
    with pytest.raises(UnknownEventError):
        app({"Records": [{"eventSource": "aws:sqs"}]}, None)


def test_pinned_app_rejects_what_is_not_an_edge_event(kernel_edge):
    # A source passed as an object can be pinned to by its name, installed or not.
    app = App(plugins=[kernel_edge.source, "rest"], source="edge")
    rejected = {
        "status": "400",
        "statusDescription": "Bad Request",
        "headers": {"content-type": [{"key": "Content-Type", "value": "application/json"}]},
        "body": '{"statusCode":400,"message":"Malformed event: \'Records[0].cf.request\' is missing"}',
        "bodyEncoding": "text",
    }
    assert app({"Records": []}, None) == rejected
    assert app(rest_event("GET", "/who"), None) == rejected


# -- the event builder and the response reader --------------------------------------


def test_builder_makes_the_event_cloudfront_sends(kernel_edge):
    event = kernel_edge.source.event(
        "POST",
        "/items/7",
        headers={"Host": "example.org", "User-Agent": "Amazon CloudFront", "Accept": ["text/html", "application/json"]},
        query="q=1&q=2",
        body=b'{"n": 1}',
        source_ip="203.0.113.178",
        request_id="4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==",
    )
    assert event == edge_event("POST", "/items/7", "q=1&q=2", {"Accept": ["text/html", "application/json"]}, b'{"n": 1}')


def test_builder_makes_viewer_requests_and_defaults_the_host(kernel_edge):
    event = kernel_edge.source.event("GET", "/", event_type="viewer-request")
    record = event["Records"][0]["cf"]
    assert record["config"]["eventType"] == "viewer-request"
    # A viewer request is the viewer's request as sent: no origin, nothing added but the Host it names.
    assert record["request"] == {
        "clientIp": "203.0.113.10",
        "headers": {"host": [{"key": "Host", "value": "d111111abcdef8.cloudfront.net"}]},
        "method": "GET",
        "querystring": "",
        "uri": "/",
    }
    with pytest.raises(ValueError, match="origin-request or viewer-request"):
        kernel_edge.source.event("GET", "/", event_type="origin-response")


@pytest.mark.parametrize(("event_type", "limit"), [("origin-request", 1024 * 1024), ("viewer-request", 40 * 1024)])
def test_builder_cuts_the_body_at_cloudfronts_limit(kernel_edge, event_type, limit):
    body = b"x" * (limit + 1)
    cut = kernel_edge.source.event("POST", "/", body=body, event_type=event_type)["Records"][0]["cf"]["request"]["body"]
    assert (base64.b64decode(cut["data"]), cut["inputTruncated"]) == (body[:limit], True)
    whole = kernel_edge.source.event("POST", "/", body=body[:limit], event_type=event_type)["Records"][0]["cf"]["request"]["body"]
    assert whole["inputTruncated"] is False


def test_read_response_reads_what_the_source_renders(kernel_edge):
    app = App(plugins=[kernel_edge.source])

    @app.get("/logo")
    def logo():
        return Response(200, "image/png", b"\x89PNG", headers={"X-Multi": ["a", "b"]}, cookies=[Cookie("s", "1")])

    @app.get("/nothing")
    def nothing():
        return Response(204)

    reply = kernel_edge.source.read_response(app(kernel_edge.source.event("GET", "/logo"), None))
    assert reply == (
        200,
        [("X-Multi", "a"), ("X-Multi", "b"), ("Content-Type", "image/png"), ("Set-Cookie", "s=1; Secure")],
        b"\x89PNG",
    )
    assert kernel_edge.source.read_response(app(kernel_edge.source.event("GET", "/nothing"), None)) == (204, [], b"")


@pytest.mark.parametrize(
    "response",
    [
        pytest.param({"statusCode": 200}, id="proxy-shape"),
        pytest.param([], id="not-a-dict"),
        pytest.param({"status": "200", "headers": {"a": [{"key": "A"}]}}, id="header-without-value"),
        pytest.param({"status": "200", "body": {}}, id="body-not-text"),
        pytest.param({"status": "200", "body": "not base64!", "bodyEncoding": "base64"}, id="bad-base64"),
    ],
)
def test_read_response_refuses_what_cloudfront_would_refuse(kernel_edge, response):
    with pytest.raises(ValueError, match="The response"):
        kernel_edge.source.read_response(response)


def test_the_guide_shows_exactly_this_plugin():
    guide = (ROOT / "docs" / "writing-a-plugin.md").read_text(encoding="utf-8")
    assert f"```python\n{PLUGIN_FILE.read_text(encoding='utf-8')}```" in guide
    pyproject = (PLUGIN_DIR / "pyproject.toml").read_text(encoding="utf-8")
    assert f"```toml\n{pyproject}```" in guide


# -- installed from wheels into a fresh environment --------------------------------

APP_SCRIPT = """
import json, sys
from kernel import App, UnknownEventError

events = json.load(open(sys.argv[1]))
results = {}

pinned = App(source="edge")

@pinned.get("/hello/<name>")
def hello(name):
    return {"hello": name, "source": type(pinned.current_event).__name__}

results["pinned"] = pinned(events["edge"], None)
results["pinned_malformed"] = pinned({"Records": []}, None)
results["pinned_garbage"] = pinned("not an event", None)

unpinned = App()

@unpinned.get("/hello/<name>")
def hello_again(name):
    return {"hello": name}

results["unpinned"] = unpinned(events["edge"], None)
try:
    unpinned(events["rest"], None)
except UnknownEventError as exc:
    results["unknown"] = str(exc)

# What `kernel serve` runs: its ASGI adapter finds the source by its entry
# point, builds each request's event with the plugin's builder and reads the
# answer back with the plugin's reader.
import asyncio
from kernel import Response
from kernel.asgi import ASGIAdapter

served = App(source="edge")

@served.post("/notes")
def note():
    event = served.current_event
    return Response(201, "text/plain", f"{event.http_method} {event.path} with {event.decoded_body!r}")

async def call(adapter, method, path, body):
    incoming = [{"type": "http.request", "body": body, "more_body": False}]
    sent = []

    async def receive():
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http", "method": method, "path": path, "raw_path": path.encode(), "query_string": b"",
        "headers": [(b"host", b"127.0.0.1:8000")], "client": ("127.0.0.1", 50123),
    }
    await adapter(scope, receive, send)
    start, *bodies = sent
    return {
        "status": start["status"],
        "headers": [[name.decode(), value.decode()] for name, value in start["headers"]],
        "body": b"".join(message.get("body", b"") for message in bodies).decode(),
    }

results["served"] = asyncio.run(call(ASGIAdapter(served), "POST", "/notes", b"milk"))

import kernel
results["kernel_file"] = kernel.__file__
print(json.dumps(results))
"""


def _run(*args: str | os.PathLike[str], cwd: Path | None = None) -> str:
    # The subprocesses must not inherit the dev environment's venv.
    env = {key: value for key, value in os.environ.items() if key not in {"VIRTUAL_ENV", "PYTHONPATH", "UV_PROJECT_ENVIRONMENT"}}
    done = subprocess.run([str(arg) for arg in args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_installed_wheel_is_discovered_through_its_entry_point(tmp_path):
    uv = shutil.which("uv")
    assert uv is not None, "the installed-plugin test needs uv on PATH"
    wheels = tmp_path / "wheels"
    _run(uv, "build", "--wheel", "--quiet", "--out-dir", wheels, ROOT)
    _run(uv, "build", "--wheel", "--quiet", "--out-dir", wheels, PLUGIN_DIR)
    kernel_wheel = next(wheels.glob("kernel-*.whl"))
    edge_wheel = next(wheels.glob("kernel_edge-*.whl"))
    venv = tmp_path / "venv"
    _run(uv, "venv", "--quiet", "--python", sys.executable, venv)
    python = venv / "bin" / "python"
    # Both as local wheel files: the kernel must never come from the package
    # index, where an unrelated distribution is also called "kernel".
    _run(uv, "pip", "install", "--quiet", "--python", python, kernel_wheel, edge_wheel)

    installed = _run(uv, "pip", "list", "--python", python, "--format", "json")
    names = {item["name"] for item in json.loads(installed)}
    assert {"kernel", "kernel-edge"} <= names
    assert not any(name.startswith("kernel-") and name != "kernel-edge" for name in names)

    events_file = tmp_path / "events.json"
    events_file.write_text(json.dumps({"edge": edge_event("GET", "/hello/ann"), "rest": rest_event("GET", "/hello/ann")}))
    script = tmp_path / "app.py"
    script.write_text(APP_SCRIPT)
    results = json.loads(_run(python, script, events_file, cwd=tmp_path))

    json_headers = {"content-type": [{"key": "Content-Type", "value": "application/json"}]}
    assert results["pinned"] == {
        "status": "200",
        "statusDescription": "OK",
        "headers": json_headers,
        "body": '{"hello":"ann","source":"EdgeRequest"}',
        "bodyEncoding": "text",
    }
    assert results["pinned_malformed"] == {
        "status": "400",
        "statusDescription": "Bad Request",
        "headers": json_headers,
        "body": '{"statusCode":400,"message":"Malformed event: \'Records[0].cf.request\' is missing"}',
        "bodyEncoding": "text",
    }
    assert results["pinned_garbage"] == results["pinned_malformed"]
    assert results["unpinned"] == {
        "status": "200",
        "statusDescription": "OK",
        "headers": json_headers,
        "body": '{"hello":"ann"}',
        "bodyEncoding": "text",
    }
    assert results["unknown"] == "No event source plugin of this app recognises the event (its sources: edge)"
    assert Path(results["kernel_file"]).is_relative_to(venv)

    listing = _run(venv / "bin" / "kernel", "plugins", cwd=tmp_path)
    rows = {line.split()[0]: line.split(None, 2)[1:] for line in listing.splitlines() if line.strip()}
    assert rows["edge"] == ["kernel_edge:source", "build_response, parse_event"]
    assert results["served"] == {
        "status": 201,
        "headers": [["content-type", "text/plain"], ["content-length", "23"]],
        "body": "POST /notes with 'milk'",
    }
