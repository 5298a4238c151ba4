"""Errors: a custom not-found answer, exception handlers, HTTP errors raised from routes."""

from __future__ import annotations

import pytest

from tests.events import alb_event, http_event, rest_event
from tests.powertools_patterns.harness import answer, answered, answers, both


def not_found_handler(lib):
    app = lib.APIGatewayRestResolver()

    @app.not_found
    def handle_not_found_errors(exc):
        return lib.Response(
            status_code=418,
            content_type=lib.content_types.TEXT_PLAIN,
            body=f"I'm a teapot! {app.current_event.path} is not here",
        )

    @app.get("/todos")
    def get_todos():
        return {"todos": []}

    return app


def test_custom_not_found():
    response = answer(not_found_handler, rest_event("GET", "/coffee"))
    assert response["statusCode"] == 418
    assert response["body"] == b"I'm a teapot! /coffee is not here"
    assert response["multiValueHeaders"]["Content-Type"] == ["text/plain"]


def test_custom_not_found_leaves_routes_alone():
    assert answer(not_found_handler, rest_event("GET", "/todos"))["body"] == {"todos": []}


def exception_handlers(lib):
    app = lib.APIGatewayHttpResolver()

    @app.exception_handler(ValueError)
    def handle_invalid_limit_qs(ex: ValueError):
        return lib.Response(
            status_code=400,
            content_type=lib.content_types.APPLICATION_JSON,
            body={"message": f"Invalid request parameters: {ex}", "path": app.current_event.path},
        )

    @app.exception_handler([KeyError, LookupError])
    def handle_lookup(ex: Exception):
        return lib.Response(status_code=422, content_type=lib.content_types.TEXT_PLAIN, body="lookup failed")

    @app.get("/todos")
    def get_todos():
        limit = int(app.current_event.get_query_string_value(name="limit", default_value="10"))
        return {"limit": limit}

    @app.get("/lookup")
    def lookup():
        return {}["missing"]

    return app


def test_exception_handler():
    good, bad = answers(
        exception_handlers,
        http_event("GET", "/todos", query={"limit": "5"}),
        http_event("GET", "/todos", query={"limit": "five"}),
    )
    assert good["body"] == {"limit": 5}
    assert bad["statusCode"] == 400
    assert bad["body"] == {
        "message": "Invalid request parameters: invalid literal for int() with base 10: 'five'",
        "path": "/todos",
    }


def test_exception_handler_for_several_types():
    response = answer(exception_handlers, http_event("GET", "/lookup"))
    assert response["statusCode"] == 422
    assert response["body"] == b"lookup failed"


def raising_http_errors(lib):
    app = lib.APIGatewayRestResolver()

    @app.get(rule="/bad-request-error")
    def bad_request_error():
        raise lib.BadRequestError("Missing required parameter")

    @app.get(rule="/unauthorized-error")
    def unauthorized_error():
        raise lib.UnauthorizedError("Unauthorized")

    @app.get(rule="/forbidden-error")
    def forbidden_error():
        raise lib.ForbiddenError("Access denied")

    @app.get(rule="/not-found-error")
    def not_found_error():
        raise lib.NotFoundError

    @app.get(rule="/internal-server-error")
    def internal_server_error():
        raise lib.InternalServerError("Internal server error")

    @app.get(rule="/service-unavailable-error")
    def service_unavailable_error():
        raise lib.ServiceUnavailableError("Service is temporarily unavailable")

    @app.get(rule="/service-error")
    def service_error():
        raise lib.ServiceError(502, "Something went wrong!")

    return app


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/bad-request-error", 400, "Missing required parameter"),
        ("/unauthorized-error", 401, "Unauthorized"),
        ("/forbidden-error", 403, "Access denied"),
        ("/not-found-error", 404, "Not found"),
        ("/internal-server-error", 500, "Internal server error"),
        ("/service-unavailable-error", 503, "Service is temporarily unavailable"),
        ("/service-error", 502, "Something went wrong!"),
    ],
)
def test_raising_http_errors(path, status, message):
    response = answer(raising_http_errors, rest_event("GET", path))
    assert response["statusCode"] == status
    assert response["body"] == {"statusCode": status, "message": message}


def test_raising_http_errors_behind_alb():
    response = answer(raising_http_errors, alb_event("GET", "/forbidden-error"))
    assert response["statusCode"] == 403


def handled_service_error(lib):
    app = lib.APIGatewayRestResolver()

    @app.exception_handler(lib.NotFoundError)
    def handle_not_found(ex):
        return lib.Response(status_code=404, content_type=lib.content_types.TEXT_PLAIN, body=f"gone: {ex.msg}")

    @app.get("/todos/<todo_id>")
    def get_todo(todo_id: str):
        raise lib.NotFoundError(f"todo {todo_id}")

    return app


def test_exception_handler_for_an_http_error():
    response = answer(handled_service_error, rest_event("GET", "/todos/9"))
    assert response["body"] == b"gone: todo 9"


def test_exception_handler_for_not_found_routes():
    # A NotFoundError handler also answers requests no route matches.
    response = answer(handled_service_error, rest_event("GET", "/nothing"))
    assert response["statusCode"] == 404


def unhandled(lib):
    app = lib.APIGatewayRestResolver()

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    return app


def test_unhandled_exception_propagates():
    powertools_app, kernel_app = both(unhandled)
    for app in (powertools_app, kernel_app):
        with pytest.raises(RuntimeError, match="boom"):
            app.resolve(rest_event("GET", "/boom"), None)


def router_exception_handler(lib):
    router = lib.Router()

    @router.exception_handler(PermissionError)
    def denied(ex: PermissionError):
        return lib.Response(status_code=403, content_type=lib.content_types.APPLICATION_JSON, body={"denied": str(ex)})

    @router.get("/admin")
    def admin():
        raise PermissionError("admins only")

    app = lib.APIGatewayRestResolver()
    app.include_router(router, prefix="/v1")
    return app


def test_exception_handler_declared_on_a_router():
    response = answer(router_exception_handler, rest_event("GET", "/v1/admin"))
    assert response["statusCode"] == 403
    assert response["body"] == {"denied": "admins only"}


def reads_json(lib):
    app = lib.APIGatewayHttpResolver()

    @app.post("/todos")
    def create():
        return {"todo": app.current_event.json_body}

    return app


def test_invalid_json_body_is_answered():
    response = answered(reads_json, http_event("POST", "/todos", body="{not json"), "invalid-json-body")
    assert response["statusCode"] == 400
    assert response["body"] == {"statusCode": 400, "message": "Request body is not valid JSON"}
