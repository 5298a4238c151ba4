"""ALBResolver(enable_response_size_validation=True): responses measured against ALB's 1 MiB limit."""

from __future__ import annotations

import asyncio
import json

import pytest
from kernel_alb.response_size import ALB_MAX_RESPONSE_SIZE, ResponseSizeLimit, runtime_escapes_unicode

from kernel import ALBResolver, CORSConfig, NotFoundError, Response, ResponseSizeExceededError
from tests.events import alb_event

LIMIT = 1024 * 1024


def app_answering(body: str, *, validate: bool = True, **settings) -> ALBResolver:
    """An app whose /text route answers ``body`` as text/plain."""
    app = ALBResolver(plugins=settings.pop("plugins", ["alb"]), enable_response_size_validation=validate, **settings)

    @app.get("/text")
    def text():
        return Response(200, "text/plain", body)

    return app


def size_of(response: dict) -> int:
    return len(json.dumps(response).encode())


def overhead() -> int:
    """The size of the /text answer with an empty body."""
    return size_of(app_answering("", validate=False)(alb_event("GET", "/text"), None))


@pytest.fixture(autouse=True)
def _old_runtime(monkeypatch):
    # The sizes below are those of a runtime escaping non-ASCII text, unless a test says otherwise.
    monkeypatch.delenv("AWS_EXECUTION_ENV", raising=False)


def test_the_limit_is_alb_s_one_mebibyte():
    assert ALB_MAX_RESPONSE_SIZE == LIMIT


def test_a_response_at_the_limit_is_sent():
    body = "a" * (LIMIT - overhead())
    response = app_answering(body)(alb_event("GET", "/text"), None)
    assert size_of(response) == LIMIT
    assert response["body"] == body


def test_a_response_one_byte_over_the_limit_raises_with_both_sizes():
    app = app_answering("a" * (LIMIT - overhead() + 1))
    with pytest.raises(ResponseSizeExceededError) as raised:
        app(alb_event("GET", "/text"), None)
    assert raised.value.actual_size == LIMIT + 1
    assert raised.value.max_size == LIMIT
    assert str(raised.value) == (f"Serialized response size ({LIMIT + 1} bytes) exceeds the maximum allowed size ({LIMIT} bytes)")


def test_off_by_default_an_oversized_response_is_sent_and_no_plugin_is_added():
    app = app_answering("a" * (2 * LIMIT), validate=False)
    before = set(app.plugin_manager.get_plugins())
    response = app(alb_event("GET", "/text"), None)
    assert len(response["body"]) == 2 * LIMIT
    assert app.enable_response_size_validation is False
    assert set(app.plugin_manager.get_plugins()) == before
    assert not any(isinstance(plugin, ResponseSizeLimit) for plugin in before)


def test_the_setting_adds_the_measuring_plugin_to_that_app_only():
    on, off = app_answering("x"), app_answering("x", validate=False)
    assert sum(isinstance(plugin, ResponseSizeLimit) for plugin in on.plugin_manager.get_plugins()) == 1
    assert not any(isinstance(plugin, ResponseSizeLimit) for plugin in off.plugin_manager.get_plugins())
    assert on.enable_response_size_validation is True


# -- what is measured ----------------------------------------------------------------


def test_non_ascii_text_is_measured_escaped_before_python_3_12_runtimes(monkeypatch):
    # "é" is 6 bytes escaped (\u00e9) and 2 in UTF-8: 200,000 of them are over the limit only escaped.
    body = "é" * 200_000
    app = app_answering(body)
    for runtime in ("AWS_Lambda_python3.11", "AWS_Lambda_python3.9", "AWS_Lambda_nodejs20.x", "custom", "AWS_Lambda_python3.x"):
        monkeypatch.setenv("AWS_EXECUTION_ENV", runtime)
        with pytest.raises(ResponseSizeExceededError) as raised:
            app(alb_event("GET", "/text"), None)
        assert raised.value.actual_size == overhead() + 6 * 200_000
    for runtime in ("AWS_Lambda_python3.12", "AWS_Lambda_python3.13"):
        monkeypatch.setenv("AWS_EXECUTION_ENV", runtime)
        assert app(alb_event("GET", "/text"), None)["body"] == body


def test_the_runtime_is_read_from_the_environment(monkeypatch):
    assert runtime_escapes_unicode() is True
    monkeypatch.setenv("AWS_EXECUTION_ENV", "AWS_Lambda_python3.12")
    assert runtime_escapes_unicode() is False
    monkeypatch.setenv("AWS_EXECUTION_ENV", "AWS_Lambda_python3.12.1")
    assert runtime_escapes_unicode() is True


def test_the_whole_dict_is_measured_headers_included():
    app = app_answering("a" * (LIMIT - overhead() - 20))

    @app.get("/headers")
    def headers():
        return Response(200, "text/plain", "a" * (LIMIT - overhead() - 20), headers={"X-Padding": "p" * 40})

    assert app(alb_event("GET", "/text"), None)["statusCode"] == 200
    with pytest.raises(ResponseSizeExceededError):
        app(alb_event("GET", "/headers"), None)


def test_both_target_group_modes_are_measured():
    app = app_answering("a" * LIMIT)
    for multi_value in (False, True):
        with pytest.raises(ResponseSizeExceededError):
            app(alb_event("GET", "/text", multi_value=multi_value), None)


def test_the_not_found_answer_is_measured_too():
    app = app_answering("x")

    @app.not_found
    def missing(exc: NotFoundError):
        return Response(404, "text/plain", "n" * LIMIT)

    with pytest.raises(ResponseSizeExceededError):
        app(alb_event("GET", "/nowhere"), None)


# -- exception handlers --------------------------------------------------------------------


def test_a_handler_answers_with_a_smaller_response():
    app = app_answering("a" * LIMIT)
    seen = []

    @app.exception_handler(ResponseSizeExceededError)
    def too_large(exc: ResponseSizeExceededError):
        seen.append((exc.actual_size, exc.max_size))
        return Response(413, "application/json", {"message": "too large", "size": exc.actual_size})

    response = app(alb_event("GET", "/text"), None)
    assert response == {
        "statusCode": 413,
        "body": json.dumps({"message": "too large", "size": seen[0][0]}, separators=(",", ":")),
        "isBase64Encoded": False,
        "headers": {"Content-Type": "application/json"},
    }
    assert seen == [(overhead() + LIMIT, LIMIT)]


def test_a_handler_s_answer_goes_through_the_route_s_features():
    app = app_answering("a" * LIMIT, plugins=["alb", "cors"], cors=CORSConfig(allow_origin="https://example.com"))

    @app.exception_handler(ResponseSizeExceededError)
    def too_large(exc):
        return Response(413, "text/plain", "too large")

    response = app(alb_event("GET", "/text", headers={"Origin": "https://example.com"}), None)
    assert response["statusCode"] == 413
    assert response["headers"]["Access-Control-Allow-Origin"] == "https://example.com"


def test_a_handler_answering_too_large_again_raises_without_being_called_twice():
    app = app_answering("a" * LIMIT)
    calls = []

    @app.exception_handler(ResponseSizeExceededError)
    def still_too_large(exc):
        calls.append(exc.actual_size)
        return Response(200, "text/plain", "b" * (2 * LIMIT))

    with pytest.raises(ResponseSizeExceededError) as raised:
        app(alb_event("GET", "/text"), None)
    assert len(calls) == 1
    assert raised.value.actual_size == overhead() + 2 * LIMIT


def test_without_a_handler_it_propagates_even_in_debug_mode():
    app = app_answering("a" * LIMIT, debug=True)
    with pytest.raises(ResponseSizeExceededError):
        app(alb_event("GET", "/text"), None)


def test_a_handler_for_a_base_class_answers_it():
    app = app_answering("a" * LIMIT)

    @app.exception_handler(Exception)
    def anything(exc):
        return Response(500, "text/plain", type(exc).__name__)

    assert app(alb_event("GET", "/text"), None)["body"] == "ResponseSizeExceededError"


def test_a_handler_raising_a_service_error_answers_with_it():
    from kernel import ServiceError

    app = app_answering("a" * LIMIT)

    @app.exception_handler(ResponseSizeExceededError)
    def refuse(exc):
        raise ServiceError(413, "Response too large")

    response = app(alb_event("GET", "/text"), None)
    assert response["statusCode"] == 413
    assert json.loads(response["body"]) == {"statusCode": 413, "message": "Response too large"}


def test_an_async_handler_answers_in_resolve_async():
    app = app_answering("a" * LIMIT)

    @app.exception_handler(ResponseSizeExceededError)
    async def too_large(exc):
        return Response(413, "text/plain", "too large")

    response = asyncio.run(app.resolve_async(alb_event("GET", "/text"), None))
    assert (response["statusCode"], response["body"]) == (413, "too large")
