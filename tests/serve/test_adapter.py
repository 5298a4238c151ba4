"""The ASGI adapter itself: choosing the source, bad input, failures, lifespan, third-party sources."""

from __future__ import annotations

import json
import logging
from importlib.metadata import EntryPoint

import pytest

from kernel import ALBResolver, APIGatewayRestResolver, App, PluginNotFoundError, Response, asgi, plugins
from kernel.asgi import (
    APP_ENV,
    OPTIONS_ENV,
    SOURCE_ENV,
    ASGIAdapter,
    LocalContext,
    LocalSourceError,
    from_environment,
    servable_sources,
)
from tests.serve import edge_source
from tests.serve.harness import call, run_messages, scope


def rest_app() -> APIGatewayRestResolver:
    return APIGatewayRestResolver(plugins=["rest"])


def third_party(monkeypatch: pytest.MonkeyPatch, **modules: str) -> None:
    """Make ``kernel.plugins.installed()`` also list the given test plugins."""
    real = dict(plugins.installed())
    for name, module in modules.items():
        real[name] = EntryPoint(name=name, value=module, group=plugins.GROUP)
    monkeypatch.setattr(plugins, "installed", lambda: real)


# -- choosing the source -------------------------------------------------------


def test_source_defaults_to_the_app_pinned_one():
    assert ASGIAdapter(rest_app()).source == "rest"
    assert ASGIAdapter(ALBResolver(plugins=["alb"])).source == "alb"


def test_source_defaults_to_rest_for_an_unpinned_app():
    assert ASGIAdapter(App(plugins=["rest", "http"])).source == "rest"
    assert ASGIAdapter(App(plugins=["rest", "http"]), "http").source == "http"


def test_source_other_than_the_pinned_one_is_refused():
    with pytest.raises(ValueError, match=r"only accepts 'rest' events, so it cannot be served as 'http'"):
        ASGIAdapter(rest_app(), "http")


def test_unknown_source_lists_the_sources_that_can_be_served():
    servable = servable_sources()
    # Every installed source that builds events from HTTP requests; not bedrock (no HTTP), nor features.
    assert {"rest", "http", "alb"} <= set(servable)
    assert not {"bedrock", "cors", "kernel.matching"} & set(servable)
    message = f"There is no event source 'nowhere'. The installed sources that can be served: {', '.join(servable)}"
    with pytest.raises(LocalSourceError) as raised:
        ASGIAdapter(App(plugins=["rest"]), "nowhere")
    assert str(raised.value) == message
    assert not isinstance(raised.value, PluginNotFoundError)


def test_unknown_source_for_a_pinned_app_is_told_as_unknown():
    with pytest.raises(LocalSourceError, match=r"^There is no event source 'bogus'\. The installed sources that can be served: "):
        ASGIAdapter(rest_app(), "bogus")


def test_one_of_our_sources_not_installed_names_the_extra(monkeypatch):
    # As if "nowhere" were one of the project's sources whose extra is not installed.
    monkeypatch.setattr(asgi, "SOURCE_OF", {**asgi.SOURCE_OF, "test": "nowhere"})
    with pytest.raises(PluginNotFoundError, match=r"The kernel plugin 'nowhere' is not installed\..*kernel\[nowhere\]"):
        ASGIAdapter(App(plugins=["rest"]), "nowhere")


def test_installed_third_party_source_is_listed_and_served(monkeypatch):
    third_party(monkeypatch, edge="tests.serve.edge_source:source")
    assert "edge" in servable_sources()
    assert ASGIAdapter(App(plugins=["rest"]), "edge").source == "edge"


def test_a_plugin_that_is_not_a_source_is_refused_by_name():
    with pytest.raises(LocalSourceError) as raised:
        ASGIAdapter(App(plugins=["rest", "cors"]), "cors")
    assert str(raised.value) == (
        f"The plugin 'cors' is not an event source. The installed sources that can be served: {', '.join(servable_sources())}"
    )


def test_source_without_a_builder_is_a_clear_error(monkeypatch):
    third_party(monkeypatch, bare="tests.serve.bare_source")
    with pytest.raises(LocalSourceError, match=r"^The plugin 'bare' is not an event source\. The installed sources"):
        ASGIAdapter(App(plugins=["rest"]), "bare")


def test_source_declaring_no_builder_is_a_clear_error(monkeypatch):
    third_party(monkeypatch, half="tests.serve.half_source:source")
    with pytest.raises(LocalSourceError, match=r"'half' cannot be served over HTTP: its plugin declares no event builder"):
        ASGIAdapter(App(plugins=["rest"]), "half")


def test_third_party_source_with_a_builder_is_served(monkeypatch):
    third_party(monkeypatch, edge="tests.serve.edge_source:source")
    app = App(plugins=[edge_source.source], source="edge")

    @app.post("/notes")
    def note():
        return Response(201, "text/plain", f"noted {app.current_event.body}")

    adapter = ASGIAdapter(app)
    assert adapter.source == "edge"
    answer = call(adapter, "POST", "/notes", body=b"milk")
    assert (answer.status, answer.headers, answer.body) == (201, [("x-edge", "1"), ("content-length", "10")], b"noted milk")


def test_request_the_source_cannot_represent_is_400(monkeypatch):
    third_party(monkeypatch, edge="tests.serve.edge_source:source")
    adapter = ASGIAdapter(App(plugins=[edge_source.source], source="edge"))
    answer = call(adapter, "TRACE", "/notes")
    assert answer.status == 400
    assert answer.json() == {"message": "edge events cannot carry TRACE requests"}


def test_source_that_fails_to_build_an_event_is_502_and_logged(monkeypatch, caplog):
    third_party(monkeypatch, edge="tests.serve.edge_source:source")
    adapter = ASGIAdapter(App(plugins=[edge_source.source], source="edge"))
    with caplog.at_level(logging.ERROR, logger="kernel.asgi"):
        answer = call(adapter, "CONNECT", "/notes")
    assert answer.status == 502
    assert answer.json() == {"message": "Internal server error"}
    assert "The 'edge' source failed to build the event of CONNECT /notes" in caplog.text
    assert "RuntimeError: a bug in the source" in caplog.text


# -- bad input -------------------------------------------------------------------


def test_body_over_the_limit_is_413_without_calling_the_app():
    app = rest_app()
    called = []

    @app.post("/upload")
    def upload():
        called.append(True)
        return {}

    adapter = ASGIAdapter(app, max_body_size=10)
    answer = call(adapter, "POST", "/upload", body=[b"123456", b"78901"])
    assert answer.status == 413
    assert answer.json() == {"message": "Request body is larger than 10 bytes"}
    assert answer.header("content-type") == "application/json"
    assert called == []
    assert call(adapter, "POST", "/upload", body=[b"12345", b"67890"]).status == 200


def test_default_body_limit_is_lambdas_payload_limit():
    assert ASGIAdapter(rest_app()).max_body_size == 6 * 1024 * 1024


@pytest.mark.parametrize(
    "raw_path",
    [
        pytest.param(b"/caf\xc3\xa9", id="raw-utf8-bytes"),
        pytest.param(b"/bad%FFbyte", id="percent-encoded-non-utf8"),
        pytest.param(b"relative", id="not-absolute"),
        pytest.param(b"/a b", id="space"),
    ],
)
def test_unusable_path_is_400(raw_path):
    answer = call(ASGIAdapter(rest_app()), "GET", "/x", raw_path=raw_path)
    assert answer.status == 400
    assert answer.json() == {"message": "Request path is not a valid URL path"}


def test_path_is_rebuilt_when_the_server_gives_no_raw_path():
    app = rest_app()

    @app.get("/files/<name>")
    def file(name):
        return {"name": name, "path": app.current_event.path}

    adapter = ASGIAdapter(app)
    request = scope("GET", "/files/a b")
    del request["raw_path"]
    sent = run_messages(adapter, request, [{"type": "http.request", "body": b""}])
    assert sent[0]["status"] == 200
    assert json.loads(sent[1]["body"]) == {"name": "a%20b", "path": "/files/a%20b"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (b"q=%FF", "Query string does not decode to UTF-8 text"),
        (b"q=caf\xc3\xa9", "Query string is not valid: it must be ASCII, percent-encoded"),
    ],
)
def test_unusable_query_string_is_400(query, message):
    answer = call(ASGIAdapter(rest_app()), "GET", "/", query_string=query)
    assert answer.status == 400
    assert answer.json() == {"message": message}


def test_client_that_disconnects_gets_nothing():
    answer = call(ASGIAdapter(rest_app()), "POST", "/", disconnect=True)
    assert answer.messages == []


# -- failures of the app -------------------------------------------------------------


def test_unhandled_exception_is_502_and_logged(caplog):
    app = rest_app()

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail")

    with caplog.at_level(logging.ERROR, logger="kernel.asgi"):
        answer = call(ASGIAdapter(app), "GET", "/boom")
    assert answer.status == 502
    assert answer.json() == {"message": "Internal server error"}
    assert b"secret" not in answer.body
    assert "The app failed to answer GET /boom" in caplog.text
    assert "RuntimeError: secret detail" in caplog.text


def test_debug_mode_traceback_is_the_apps_own_answer():
    app = APIGatewayRestResolver(plugins=["rest"], debug=True)

    @app.get("/boom")
    def boom():
        raise RuntimeError("visible in debug")

    answer = call(ASGIAdapter(app), "GET", "/boom")
    assert answer.status == 500
    assert b"RuntimeError: visible in debug" in answer.body


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"X-Evil": "a\r\nSet-Cookie: stolen=1"}, id="crlf-in-value"),
        pytest.param({"X-Evil": "a\nb"}, id="lf-in-value"),
        pytest.param({"Bad Name": "x"}, id="space-in-name"),
        pytest.param({"X-Nul": "a\x00b"}, id="nul-in-value"),
    ],
)
def test_response_header_that_would_break_the_header_block_is_502(headers):
    app = rest_app()

    @app.get("/inject")
    def inject():
        return Response(200, "text/plain", "hi", headers=headers)

    answer = call(ASGIAdapter(app), "GET", "/inject")
    assert answer.status == 502
    assert answer.all("set-cookie") == []


def test_apps_content_length_is_replaced_by_the_real_one():
    app = rest_app()

    @app.get("/lie")
    def lie():
        return Response(200, "text/plain", "four", headers={"Content-Length": "999", "Transfer-Encoding": "chunked"})

    answer = call(ASGIAdapter(app), "GET", "/lie")
    assert answer.status == 200
    assert answer.all("content-length") == ["4"]
    assert answer.all("transfer-encoding") == []


@pytest.mark.parametrize(
    ("response", "status"),
    [
        pytest.param({"statusCode": 200, "body": "hi"}, 200, id="minimal"),
        pytest.param({"statusCode": "201", "body": None}, 201, id="status-as-text"),
        pytest.param("not a dict", 502, id="not-a-dict"),
        pytest.param({"body": "no status"}, 502, id="no-status"),
        pytest.param({"statusCode": 99}, 502, id="status-out-of-range"),
        # An interim status is never a final answer: uvicorn could not send it.
        pytest.param({"statusCode": 100}, 502, id="status-100"),
        pytest.param({"statusCode": 199}, 502, id="status-199"),
        pytest.param({"statusCode": 600}, 502, id="status-600"),
        pytest.param({"statusCode": 200, "body": "!!", "isBase64Encoded": True}, 502, id="bad-base64"),
        pytest.param({"statusCode": 200, "body": 5}, 502, id="body-not-text"),
        pytest.param({"statusCode": 200, "headers": {"X": ["a"]}}, 502, id="list-in-single-headers"),
    ],
)
def test_lambda_handler_function_is_served_and_its_dict_checked(response, status):
    def handler(event, context):
        return response

    assert call(ASGIAdapter(handler), "GET", "/").status == status


def test_headers_and_multi_value_headers_merge_as_api_gateway_does():
    def handler(event, context):
        return {
            "statusCode": 200,
            "headers": {"X-One": "1", "X-Both": "single", "X-Num": 5},
            "multiValueHeaders": {"x-both": ["m1", "m2"]},
            "cookies": ["a=1"],
            "body": "aGk=",
            "isBase64Encoded": True,
        }

    answer = call(ASGIAdapter(handler), "GET", "/")
    assert answer.headers == [
        ("x-one", "1"),
        ("x-num", "5"),
        ("x-both", "m1"),
        ("x-both", "m2"),
        ("set-cookie", "a=1"),
        ("content-length", "2"),
    ]
    assert answer.body == b"hi"


# -- the Lambda context ----------------------------------------------------------------


def test_context_is_a_fresh_fake_lambda_context_matching_the_event():
    app = rest_app()

    @app.get("/context")
    def context():
        ctx = app.lambda_context
        return {
            "same_id": ctx.aws_request_id == app.current_event.request_context.request_id,
            "function_name": ctx.function_name,
            "arn": ctx.invoked_function_arn,
            "remaining_ok": 0 < ctx.get_remaining_time_in_millis() <= 30_000,
            "memory": ctx.memory_limit_in_mb,
            "version": ctx.function_version,
        }

    adapter = ASGIAdapter(app, function_name="books")
    first = call(adapter, "GET", "/context").json()
    assert first == {
        "same_id": True,
        "function_name": "books",
        "arn": "arn:aws:lambda:us-east-1:123456789012:function:books",
        "remaining_ok": True,
        "memory": 128,
        "version": "$LATEST",
    }


def test_remaining_time_counts_down_and_stops_at_zero():
    assert LocalContext("id", timeout=0).get_remaining_time_in_millis() == 0
    assert 9_000 < LocalContext("id", timeout=10).get_remaining_time_in_millis() <= 10_000


def test_each_request_gets_its_own_request_id():
    app = rest_app()

    @app.get("/id")
    def request_id():
        return {"id": app.lambda_context.aws_request_id}

    adapter = ASGIAdapter(app)
    assert call(adapter, "GET", "/id").json() != call(adapter, "GET", "/id").json()


# -- other ASGI scopes ----------------------------------------------------------------------


def test_lifespan_startup_and_shutdown_complete():
    sent = run_messages(
        ASGIAdapter(rest_app()), {"type": "lifespan"}, [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    )
    assert sent == [{"type": "lifespan.startup.complete"}, {"type": "lifespan.shutdown.complete"}]


def test_websocket_handshake_is_refused():
    sent = run_messages(ASGIAdapter(rest_app()), {"type": "websocket", "path": "/"}, [{"type": "websocket.connect"}])
    assert sent == [{"type": "websocket.close", "code": 1003}]


# -- the factory behind --reload ---------------------------------------------------------------


def test_from_environment_builds_the_adapter(monkeypatch, tmp_path):
    module = tmp_path / "envapp.py"
    module.write_text(
        "from kernel import ALBResolver\n"
        "service = ALBResolver(plugins=['alb'])\n"
        "@service.get('/ping')\n"
        "def ping():\n"
        "    return {'multi': 'multiValueHeaders' in service.current_event.raw_event}\n"
    )
    monkeypatch.setenv(APP_ENV, f"{module}:service")
    monkeypatch.setenv(SOURCE_ENV, "alb")
    monkeypatch.setenv(OPTIONS_ENV, json.dumps({"multi_value": "true"}))
    adapter = from_environment()
    assert adapter.source == "alb"
    assert call(adapter, "GET", "/ping").json() == {"multi": True}


def test_from_environment_without_an_app_is_a_clear_error(monkeypatch):
    monkeypatch.delenv(APP_ENV, raising=False)
    with pytest.raises(LocalSourceError, match="KERNEL_SERVE_APP is not set"):
        from_environment()
