"""Exception handlers, not-found handlers, ServiceError answers, and debug mode."""

from __future__ import annotations

import pytest

import kernel
from kernel import (
    BadRequestError,
    ForbiddenError,
    InternalServerError,
    NotFoundError,
    Response,
    ServiceError,
    UnauthorizedError,
)
from tests.kernel.helpers import NOT_FOUND, call, json_response, rest_app


def text_response(status: int, body: str) -> dict:
    return {
        "statusCode": status,
        "body": body,
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["text/plain"]},
    }


class AppError(Exception):
    pass


class PaymentError(AppError):
    pass


class CardDeclined(PaymentError):
    pass


# -- exception_handler ------------------------------------------------------


def test_handler_for_one_class_answers_what_it_returns():
    app = rest_app()

    @app.exception_handler(ValueError)
    def on_value_error(exc):
        return Response(status_code=422, content_type="text/plain", body=f"bad value: {exc}")

    @app.get("/x")
    def x():
        raise ValueError("seven")

    assert call(app, "GET", "/x") == text_response(422, "bad value: seven")


def test_handler_may_return_a_dict_or_a_tuple():
    app = rest_app()

    @app.exception_handler(KeyError)
    def on_key_error(exc):
        return {"missing": exc.args[0]}, 409

    @app.exception_handler(LookupError)
    def on_lookup(exc):
        return {"lookup": True}

    @app.get("/key")
    def key():
        raise KeyError("id")

    @app.get("/index")
    def index():
        raise IndexError(0)

    assert call(app, "GET", "/key") == json_response(409, {"missing": "id"})
    assert call(app, "GET", "/index") == json_response(200, {"lookup": True})


def test_handler_for_a_list_of_classes():
    app = rest_app()

    @app.exception_handler([KeyError, ZeroDivisionError])
    def on_either(exc):
        return Response(status_code=400, content_type="text/plain", body=type(exc).__name__)

    @app.get("/key")
    def key():
        raise KeyError("k")

    @app.get("/zero")
    def zero():
        return 1 / 0

    assert call(app, "GET", "/key") == text_response(400, "KeyError")
    assert call(app, "GET", "/zero") == text_response(400, "ZeroDivisionError")


def test_base_class_handler_answers_subclasses_and_most_specific_wins():
    app = rest_app()

    @app.exception_handler(AppError)
    def on_app_error(exc):
        return Response(status_code=500, content_type="text/plain", body="app")

    @app.exception_handler(PaymentError)
    def on_payment(exc):
        return Response(status_code=402, content_type="text/plain", body="payment")

    @app.get("/app")
    def app_error():
        raise AppError()

    @app.get("/payment")
    def payment():
        raise PaymentError()

    @app.get("/declined")
    def declined():
        raise CardDeclined()

    assert call(app, "GET", "/app") == text_response(500, "app")
    assert call(app, "GET", "/payment") == text_response(402, "payment")
    assert call(app, "GET", "/declined") == text_response(402, "payment")


def test_registering_a_more_specific_handler_later_takes_effect():
    app = rest_app()

    @app.exception_handler(AppError)
    def on_app_error(exc):
        return Response(status_code=500, content_type="text/plain", body="app")

    @app.get("/declined")
    def declined():
        raise CardDeclined()

    assert call(app, "GET", "/declined")["body"] == "app"

    @app.exception_handler(CardDeclined)
    def on_declined(exc):
        return Response(status_code=402, content_type="text/plain", body="declined")

    assert call(app, "GET", "/declined") == text_response(402, "declined")


def test_handler_raising_a_service_error_answers_with_it():
    app = rest_app()

    @app.exception_handler(ValueError)
    def on_value_error(exc):
        raise BadRequestError(f"invalid: {exc}")

    @app.get("/x")
    def x():
        raise ValueError("abc")

    assert call(app, "GET", "/x") == json_response(400, {"statusCode": 400, "message": "invalid: abc"})


def test_handler_can_handle_service_errors_too():
    app = rest_app()

    @app.exception_handler(ServiceError)
    def on_service_error(exc):
        return Response(status_code=exc.status_code, content_type="text/plain", body=f"custom {exc.msg}")

    @app.get("/x")
    def x():
        raise ForbiddenError("go away")

    assert call(app, "GET", "/x") == text_response(403, "custom go away")


def test_handler_raising_something_else_propagates():
    app = rest_app()

    @app.exception_handler(ValueError)
    def on_value_error(exc):
        raise RuntimeError("handler broke")

    @app.get("/x")
    def x():
        raise ValueError()

    with pytest.raises(RuntimeError, match="handler broke"):
        call(app, "GET", "/x")


# -- ServiceError answers -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("BadRequestError", 400),
        ("UnauthorizedError", 401),
        ("ForbiddenError", 403),
        ("NotFoundError", 404),
        ("MethodNotAllowedError", 405),
        ("RequestTimeoutError", 408),
        ("ConflictError", 409),
        ("RequestEntityTooLargeError", 413),
        ("UnsupportedMediaTypeError", 415),
        ("TooManyRequestsError", 429),
        ("InternalServerError", 500),
        ("ServiceUnavailableError", 503),
        ("GatewayTimeoutError", 504),
    ],
)
def test_service_error_subclass_answers_its_status(name, status):
    app = rest_app()
    error_class = getattr(kernel, name)

    @app.get("/x")
    def x():
        raise error_class("it went wrong")

    assert call(app, "GET", "/x") == json_response(status, {"statusCode": status, "message": "it went wrong"})


def test_service_error_with_any_status():
    app = rest_app()

    @app.get("/x")
    def x():
        raise ServiceError(451, "unavailable for legal reasons")

    assert call(app, "GET", "/x") == json_response(451, {"statusCode": 451, "message": "unavailable for legal reasons"})


def test_service_error_fields():
    error = UnauthorizedError("who are you")
    assert (error.status_code, error.msg, str(error)) == (401, "who are you", "who are you")
    assert InternalServerError("boom").status_code == 500
    assert NotFoundError().msg == "Not found"


# -- not_found ------------------------------------------------------------------


def test_not_found_decorator_without_parentheses():
    app = rest_app()

    @app.not_found
    def missing(exc):
        assert isinstance(exc, NotFoundError)
        return Response(status_code=404, content_type="text/plain", body=f"no {app.current_event.path}")

    assert call(app, "GET", "/ghost") == text_response(404, "no /ghost")


def test_not_found_decorator_with_parentheses():
    app = rest_app()

    @app.not_found()
    def missing(exc):
        return {"custom": True}, 404

    assert call(app, "GET", "/ghost") == json_response(404, {"custom": True})


def test_a_not_found_handler_returning_a_plain_body_answers_200_as_on_powertools():
    app = rest_app()

    @app.not_found
    def missing(exc):
        return {"message": "gone"}

    assert call(app, "GET", "/ghost") == json_response(200, {"message": "gone"})


def test_the_not_found_answer_is_never_compressed_as_on_powertools():
    app = rest_app(plugins=["rest", "compression"])

    @app.get("/big", compress=True)
    def big():
        return {"data": "x" * 2000}

    assert call(app, "GET", "/big", headers={"Accept-Encoding": "gzip"})["isBase64Encoded"] is True
    assert call(app, "GET", "/ghost", headers={"Accept-Encoding": "gzip"}) == NOT_FOUND


def test_not_found_handler_also_answers_raised_not_found_errors():
    app = rest_app()

    @app.not_found
    def missing(exc):
        return Response(status_code=404, content_type="text/plain", body=f"missing: {exc.msg}")

    @app.get("/users/<user_id>")
    def user(user_id):
        raise NotFoundError(f"user {user_id}")

    assert call(app, "GET", "/users/3") == text_response(404, "missing: user 3")


def test_raised_not_found_without_handler_uses_its_message():
    app = rest_app()

    @app.get("/users/<user_id>")
    def user(user_id):
        raise NotFoundError(f"no user {user_id}")

    assert call(app, "GET", "/users/3") == json_response(404, {"statusCode": 404, "message": "no user 3"})


# -- unhandled exceptions and debug mode ----------------------------------------


def test_unhandled_exception_is_re_raised_without_debug(monkeypatch):
    monkeypatch.delenv("POWERTOOLS_DEV", raising=False)
    app = rest_app()

    @app.get("/x")
    def x():
        raise ValueError("internal detail")

    with pytest.raises(ValueError, match="internal detail"):
        call(app, "GET", "/x")
    # The context of the failed event does not leak into the next one.
    assert app.context == {}


def assert_debug_answer(response: dict, message: str) -> None:
    assert response["statusCode"] == 500
    assert response["isBase64Encoded"] is False
    assert response["multiValueHeaders"] == {"Content-Type": ["text/plain"]}
    body = response["body"]
    assert body.startswith("Traceback (most recent call last):\n")
    assert body.rstrip().endswith(message)
    assert __file__ in body  # the route's own frame is in the traceback


def test_debug_true_answers_500_with_the_traceback(monkeypatch):
    monkeypatch.delenv("POWERTOOLS_DEV", raising=False)
    app = rest_app(debug=True)

    @app.get("/x")
    def x():
        raise ValueError("internal detail")

    assert_debug_answer(call(app, "GET", "/x"), "ValueError: internal detail")


@pytest.mark.parametrize("value", ["true", "1", "TRUE", "yes", "on", "y", "t"])
def test_powertools_dev_enables_debug(monkeypatch, value):
    monkeypatch.setenv("POWERTOOLS_DEV", value)
    with pytest.warns(UserWarning, match="POWERTOOLS_DEV is set: debug mode is on"):
        app = rest_app()
    assert app.debug is True

    @app.get("/x")
    def x():
        raise KeyError("k")

    assert_debug_answer(call(app, "GET", "/x"), "KeyError: 'k'")


@pytest.mark.parametrize("value", ["false", "0", "", "no", "off"])
def test_powertools_dev_false_values_do_not_enable_debug(monkeypatch, value):
    monkeypatch.setenv("POWERTOOLS_DEV", value)
    app = rest_app()
    assert app.debug is False

    @app.get("/x")
    def x():
        raise KeyError("k")

    with pytest.raises(KeyError):
        call(app, "GET", "/x")


def test_explicit_debug_false_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("POWERTOOLS_DEV", "true")
    app = rest_app(debug=False)
    assert app.debug is False

    @app.get("/x")
    def x():
        raise KeyError("k")

    with pytest.raises(KeyError):
        call(app, "GET", "/x")


def test_debug_still_lets_handlers_and_service_errors_answer():
    app = rest_app(debug=True)

    @app.exception_handler(KeyError)
    def on_key(exc):
        return Response(status_code=409, content_type="text/plain", body="conflict")

    @app.get("/key")
    def key():
        raise KeyError("k")

    @app.get("/svc")
    def svc():
        raise BadRequestError("bad")

    assert call(app, "GET", "/key") == text_response(409, "conflict")
    assert call(app, "GET", "/svc") == json_response(400, {"statusCode": 400, "message": "bad"})


def test_nothing_internal_leaks_without_debug(monkeypatch):
    """Error answers carry only their message: no traceback, file name or exception text."""
    monkeypatch.delenv("POWERTOOLS_DEV", raising=False)
    app = rest_app()

    @app.post("/parse")
    def parse():
        return {"got": app.current_event.json_body}

    @app.get("/svc")
    def svc():
        try:
            {}["secret-key"]
        except KeyError:
            raise InternalServerError("Something failed") from None

    for response in (
        call(app, "POST", "/parse", body="{not json"),
        call(app, "GET", "/svc"),
        call(app, "GET", "/missing"),
    ):
        body = response["body"]
        for leak in ("Traceback", ".py", "secret-key", "Expecting", "line 1"):
            assert leak not in body
    assert call(app, "POST", "/parse", body="{not json") == json_response(
        400, {"statusCode": 400, "message": "Request body is not valid JSON"}
    )
    assert call(app, "GET", "/svc") == json_response(500, {"statusCode": 500, "message": "Something failed"})
