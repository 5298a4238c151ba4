"""Errors on every event source: exception handlers, HTTP errors, the not-found handler, bad bodies, malformed events."""

import base64
import json

import pytest

from kernel import (
    BadRequestError,
    ConflictError,
    ForbiddenError,
    GatewayTimeoutError,
    InternalServerError,
    InvalidJSONBodyError,
    MethodNotAllowedError,
    NotFoundError,
    RequestEntityTooLargeError,
    RequestTimeoutError,
    Response,
    ServiceError,
    ServiceUnavailableError,
    TooManyRequestsError,
    UnauthorizedError,
    UnsupportedMediaTypeError,
)
from tests.sources import supporting


class PaymentRequiredError(ServiceError):
    def __init__(self, msg: str) -> None:
        super().__init__(402, msg)


class OutOfStockError(Exception):
    pass


def error(status, message):
    return {"statusCode": status, "message": message}


# -- HTTP errors raised by a route ------------------------------------------------------


@pytest.mark.parametrize(
    ("exception", "status"),
    [
        (BadRequestError("bad input"), 400),
        (UnauthorizedError("who are you"), 401),
        (PaymentRequiredError("pay first"), 402),
        (ForbiddenError("not yours"), 403),
        (NotFoundError("no such item"), 404),
        (MethodNotAllowedError("not like this"), 405),
        (RequestTimeoutError("too slow"), 408),
        (ConflictError("already there"), 409),
        (RequestEntityTooLargeError("too big"), 413),
        (UnsupportedMediaTypeError("not that type"), 415),
        (ServiceError(418, "I'm a teapot"), 418),
        (TooManyRequestsError("slow down"), 429),
        (InternalServerError("broken"), 500),
        (ServiceUnavailableError("come back later"), 503),
        (GatewayTimeoutError("upstream too slow"), 504),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value),
)
def test_service_error_raised_by_a_route(source, exception, status):
    app = source.app()

    @app.get("/fail")
    def fail():
        raise exception

    response = source.client(app).get("/fail")
    assert (response.status_code, response.headers["Content-Type"]) == (status, "application/json")
    assert response.json() == error(status, exception.msg)


def test_not_found_error_without_a_message(source):
    app = source.app()

    @app.get("/items/<item_id>")
    def item(item_id):
        raise NotFoundError

    response = source.client(app).get("/items/1")
    assert (response.status_code, response.json()) == (404, error(404, "Not found"))


# -- exception handlers -----------------------------------------------------------------


def test_exception_handler_answers_a_custom_exception(source):
    app = source.app()

    @app.exception_handler(OutOfStockError)
    def out_of_stock(exc):
        return Response(409, "application/json", {"error": "out of stock", "item": str(exc)})

    @app.post("/orders/<item>")
    def order(item):
        raise OutOfStockError(item)

    response = source.client(app).post("/orders/pen")
    assert (response.status_code, response.headers["Content-Type"]) == (409, "application/json")
    assert response.json() == {"error": "out of stock", "item": "pen"}


def test_the_most_specific_handler_wins(source):
    app = source.app()

    @app.exception_handler(Exception)
    def anything(exc):
        return Response(500, "text/plain", "something went wrong")

    @app.exception_handler(LookupError)
    def lookup(exc):
        return {"lookup": str(exc)}, 404

    @app.get("/key")
    def key():
        raise KeyError("k")

    @app.get("/crash")
    def crash():
        raise RuntimeError("secret detail")

    client = source.client(app)
    response = client.get("/key")
    assert (response.status_code, response.json()) == (404, {"lookup": "'k'"})
    response = client.get("/crash")
    assert (response.status_code, response.text) == (500, "something went wrong")


def test_exception_handler_replaces_a_service_errors_answer(source):
    app = source.app()

    @app.exception_handler(ServiceError)
    def service_error(exc):
        return Response(exc.status_code, "text/plain", f"{exc.status_code}: {exc.msg}")

    @app.get("/forbidden")
    def forbidden():
        raise ForbiddenError("not yours")

    response = source.client(app).get("/forbidden")
    assert (response.status_code, response.headers["Content-Type"], response.text) == (403, "text/plain", "403: not yours")


def test_a_handler_may_raise_a_service_error(source):
    app = source.app()

    @app.exception_handler(OutOfStockError)
    def out_of_stock(exc):
        raise ConflictError(f"{exc} is out of stock")

    @app.get("/buy/<item>")
    def buy(item):
        raise OutOfStockError(item)

    response = source.client(app).get("/buy/pen")
    assert (response.status_code, response.json()) == (409, error(409, "pen is out of stock"))


# -- the not-found handler --------------------------------------------------------------


def test_custom_not_found(source):
    app = source.app()

    @app.not_found
    def missing(exc):
        return Response(404, "application/json", {"missing": app.current_event.path, "kind": type(exc).__name__})

    @app.get("/here")
    def here():
        return {"here": True}

    client = source.client(app)
    assert client.get("/here").json() == {"here": True}
    response = client.get("/gone")
    assert (response.status_code, response.json()) == (404, {"missing": "/gone", "kind": "NotFoundError"})
    # The wrong method is not found too.
    assert client.post("/here").json() == {"missing": "/here", "kind": "NotFoundError"}


def test_not_found_handler_answers_not_found_errors_raised_by_routes(source):
    app = source.app()

    @app.not_found()
    def missing(exc):
        return Response(404, "text/plain", f"nothing here: {exc.msg}")

    @app.get("/items/<item_id>")
    def item(item_id):
        raise NotFoundError(f"no item {item_id}")

    response = source.client(app).get("/items/3")
    assert (response.status_code, response.text) == (404, "nothing here: no item 3")


# -- unhandled exceptions ---------------------------------------------------------------


def test_unhandled_exception_propagates_without_debug(source):
    # As on Lambda: nothing answers it, so no traceback can leak into a response.
    app = source.app(debug=False)

    @app.get("/crash")
    def crash():
        raise RuntimeError("secret detail")

    with pytest.raises(RuntimeError, match="secret detail"):
        source.client(app).get("/crash")


def test_debug_answers_an_unhandled_exception_with_its_traceback(source):
    app = source.app(debug=True)

    @app.get("/crash")
    def crash():
        raise RuntimeError("secret detail")

    response = source.client(app).get("/crash")
    assert (response.status_code, response.headers["Content-Type"]) == (500, "text/plain")
    assert response.text.startswith("Traceback (most recent call last):")
    assert response.text.endswith("RuntimeError: secret detail\n")


@pytest.mark.parametrize("debug", [False, True])
def test_http_errors_never_carry_a_traceback(source, debug):
    app = source.app(debug=debug)

    @app.get("/fail")
    def fail():
        raise BadRequestError("bad input")

    response = source.client(app).get("/fail")
    assert (response.status_code, response.json()) == (400, error(400, "bad input"))


# -- bodies the request cannot read -----------------------------------------------------


def body_app(source, read):
    app = source.app()

    @app.post("/body")
    def body():
        return {"read": read(app.current_event)}

    return app


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("source", supporting("raw_request_body"), ids=str)
def test_invalid_json_body_is_400(source, debug):
    # The client's fault: the same answer in debug mode, without a traceback.
    app = source.app(debug=debug)

    @app.post("/body")
    def body():
        return {"read": app.current_event.json_body}

    response = source.client(app).post("/body", body="{not json", headers={"Content-Type": "application/json"})
    assert (response.status_code, response.headers["Content-Type"]) == (400, "application/json")
    assert response.json() == error(400, "Request body is not valid JSON")


@pytest.mark.parametrize("source", supporting("raw_request_body"), ids=str)
def test_a_route_can_catch_an_invalid_json_body_as_a_json_decode_error(source):
    app = source.app()

    @app.post("/lenient")
    def lenient():
        try:
            return {"json": app.current_event.json_body}
        except json.JSONDecodeError:
            return {"json": None, "raw": app.current_event.decoded_body}

    response = source.client(app).post("/lenient", body="oops", headers={"Content-Type": "text/plain"})
    assert (response.status_code, response.json()) == (200, {"json": None, "raw": "oops"})


@pytest.mark.parametrize("source", supporting("raw_request_body"), ids=str)
def test_invalid_json_body_is_a_bad_request_error_handlers_can_answer(source):
    app = body_app(source, lambda event: event.json_body)

    @app.exception_handler(BadRequestError)
    def bad(exc):
        return Response(400, "text/plain", f"bad input: {exc.msg} ({type(exc).__name__})")

    response = source.client(app).post("/body", body="{", headers={"Content-Type": "application/json"})
    assert (response.status_code, response.text) == (400, "bad input: Request body is not valid JSON (InvalidJSONBodyError)")
    assert issubclass(InvalidJSONBodyError, BadRequestError)


@pytest.mark.parametrize("source", supporting("base64_request_body"), ids=str)
def test_undecodable_base64_body_is_400(source):
    app = body_app(source, lambda event: event.decoded_body)
    response = source.client(app).post("/body", body=b"\xff\xfe\xfd", is_base64=True)
    assert (response.status_code, response.json()) == (400, error(400, "Request body is not valid UTF-8"))


def _replace_text(value, old, new):
    """``value`` (an event) with every string equal to ``old`` replaced by ``new``, wherever the source keeps it."""
    if isinstance(value, dict):
        return {key: _replace_text(item, old, new) for key, item in value.items()}
    if isinstance(value, list):
        return [_replace_text(item, old, new) for item in value]
    return new if value == old else value


@pytest.mark.parametrize("source", supporting("base64_request_body"), ids=str)
def test_invalid_base64_body_is_400(source):
    app = body_app(source, lambda event: event.decoded_body)
    event = source.make_event("POST", "/body", body=b"\x89PNG", is_base64=True)
    broken = _replace_text(event, base64.b64encode(b"\x89PNG").decode(), "not base64!")
    assert broken != event
    reply = source.read(app(broken, None))
    assert (reply.status, reply.json()) == (400, error(400, "Request body is not valid base64"))


# -- malformed events -------------------------------------------------------------------


def test_malformed_event_is_answered_400_in_the_source_shape(source):
    app = source.app()
    called = []

    @app.get("/items")
    def items():
        called.append(True)
        return {}

    event = source.make_event("GET", "/items")
    problem = source.break_event(event)
    # The source's own reader reads the answer: it is in the source's shape.
    reply = source.read(app(event, None))
    assert (reply.status, reply.header("Content-Type")) == (400, "application/json")
    assert reply.json() == error(400, f"Malformed event: {problem}")
    assert called == []


@pytest.mark.parametrize("event", [None, "GET /items", ["GET", "/items"], 42])
def test_what_is_not_an_event_object_is_answered_400(source, event):
    reply = source.read(source.app()(event, None))
    assert reply.status == 400
    assert reply.json() == error(400, f"Malformed event: {source.non_object_problem}")


def test_malformed_event_answer_is_the_same_in_debug_mode(source):
    # A malformed event is the client's fault: debug mode adds no traceback to it.
    answers = []
    for debug in (False, True):
        event = source.make_event("GET", "/items")
        source.break_event(event)
        answers.append(source.app(debug=debug)(event, None))
    assert answers[0] == answers[1]
    assert "Traceback" not in source.read(answers[1]).body
