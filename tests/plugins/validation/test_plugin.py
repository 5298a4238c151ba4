"""The plugin as a whole: switched on per app, light when off, the same on every event source."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Annotated, Any

import kernel_validation
import pytest
from kernel_validation import Body, Path, Query, RequestUnsupportedContentType, RequestValidationError, ResponseValidationError
from pydantic import BaseModel

import kernel
from kernel import Header, ServiceError
from tests.events import rest_event
from tests.plugins.validation.helpers import validated_app
from tests.sources import CASES


def _python(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_importing_kernel_and_the_plugin_does_not_import_pydantic():
    assert _python("import sys, kernel, kernel_validation; print('pydantic' in sys.modules)") == "False"


def test_an_app_without_validation_never_imports_pydantic():
    code = """
import sys
from kernel import APIGatewayRestResolver
from tests.events import rest_event
app = APIGatewayRestResolver(plugins=["rest", "validation"])

@app.get("/users/<user_id>")
def user(user_id: int, limit: int = 1):
    return {"user_id": user_id, "limit": limit}

print(app(rest_event("GET", "/users/7", query={"limit": "2"}), None)["body"], "pydantic" in sys.modules)
"""
    # Without validation the path parameter stays text and the query is not read.
    assert _python(code) == '{"user_id":"7","limit":1} False'


def test_enabling_validation_loads_the_plugin_even_when_not_listed():
    app = kernel.APIGatewayRestResolver(plugins=["rest"], enable_validation=True)

    @app.get("/n/<n>")
    def number(n: int):
        return {"n": n}

    assert app.plugin_manager.has_plugin("validation")
    assert json.loads(app(rest_event("GET", "/n/4"), None)["body"]) == {"n": 4}


def test_the_markers_and_the_error_are_importable_from_kernel():
    assert kernel.Query is Query
    assert kernel.Path is Path
    assert kernel.Header is Header is kernel_validation.Header
    assert kernel.Body is Body
    assert kernel.RequestValidationError is RequestValidationError


def test_the_errors_are_service_errors_with_their_status():
    assert issubclass(RequestValidationError, ServiceError)
    assert issubclass(ResponseValidationError, ServiceError)
    assert issubclass(RequestUnsupportedContentType, ServiceError)
    error = RequestValidationError([{"loc": ("query", "q"), "type": "missing", "msg": "Field required"}], body=None)
    assert error.status_code == 422
    assert error.to_body() == {"statusCode": 422, "detail": [{"loc": ["query", "q"], "type": "missing"}]}
    assert error.errors() == [{"loc": ("query", "q"), "type": "missing", "msg": "Field required"}]
    assert RequestUnsupportedContentType("text/plain").status_code == 415


def test_a_route_analysed_once_serves_many_requests():
    from kernel_validation.analysis import route_plan

    app = validated_app()

    @app.get("/n/<n>")
    def number(n: int):
        return {"n": n}

    for value in range(3):
        assert json.loads(app(rest_event("GET", f"/n/{value}"), None)["body"]) == {"n": value}
    (route,) = app.routes
    assert route_plan(route) is route_plan(route)


class Item(BaseModel):
    name: str
    qty: int


@pytest.mark.parametrize("source", CASES, ids=str)
def test_validation_behaves_the_same_on_every_event_source(source):
    # Headers are left out: a Bedrock Agent event has none (header parameters are tested on REST).
    app = source.app(enable_validation=True, plugins=source.plugin_list("validation"))
    seen: list[Any] = []

    @app.post("/carts/<cart_id>/items")
    def add(cart_id: int, item: Item, dry_run: bool = False) -> Item:
        seen.append((cart_id, item, dry_run))
        return item

    good = source.read(
        app(
            source.make_event(
                "POST",
                "/carts/3/items",
                query={"dry_run": "true"},
                body='{"name": "pen", "qty": 2}',
            ),
            None,
        )
    )
    bad = source.read(
        app(
            source.make_event("POST", "/carts/x/items", body='{"name": "pen"}'),
            None,
        )
    )

    assert (good.status, good.json()) == (200, {"name": "pen", "qty": 2})
    assert seen == [(3, Item(name="pen", qty=2), True)]
    assert (bad.status, bad.json()) == (
        422,
        {
            "statusCode": 422,
            "detail": [{"loc": ["path", "cart_id"], "type": "int_parsing"}, {"loc": ["body", "qty"], "type": "missing"}],
        },
    )


def test_routes_with_the_same_parameters_share_their_validator():
    from kernel_validation.analysis import route_plan

    app = validated_app()

    @app.get("/a/<item_id>")
    def first(item_id: int, verbose: bool = False):
        return {}

    @app.get("/b/<item_id>")
    def second(item_id: int, verbose: bool = False):
        return {}

    @app.get("/c/<item_id>")
    def third(item_id: int, verbose: bool = True):
        return {}

    a, b, c = (route_plan(route) for route in app.routes)
    assert a.parameter_adapter is b.parameter_adapter
    assert a.parameter_adapter is not c.parameter_adapter
    assert json.loads(app(rest_event("GET", "/c/1"), None)["body"]) == {}


def test_routes_with_the_same_constraints_share_their_validator():
    from kernel_validation.analysis import route_plan

    app = validated_app()

    # pydantic keeps pattern and strict in metadata objects compared by identity: a new one per marker.
    @app.get("/a/<slug>")
    def first(slug: Annotated[str, Path(pattern="^[a-z]+$")], lang: Annotated[str, Query(strict=True)] = "en"):
        return {"slug": slug}

    @app.get("/b/<slug>")
    def second(slug: Annotated[str, Path(pattern="^[a-z]+$")], lang: Annotated[str, Query(strict=True)] = "en"):
        return {"slug": slug}

    @app.get("/c/<slug>")
    def third(slug: Annotated[str, Path(pattern="^[a-z]+$")], lang: Annotated[str, Query(strict=True)] = "nl"):
        return {"slug": slug}

    a, b, c = (route_plan(route) for route in app.routes)
    assert a.parameter_adapter is b.parameter_adapter
    assert a.parameter_adapter is not c.parameter_adapter
    assert app(rest_event("GET", "/b/Bad"), None)["statusCode"] == 422
    assert json.loads(app(rest_event("GET", "/b/good"), None)["body"]) == {"slug": "good"}


def test_defaults_that_are_equal_but_of_other_types_are_not_shared():
    app = validated_app()

    @app.get("/number")
    def number(value: int | bool = 0):
        return {"value": value}

    @app.get("/flag")
    def flag(value: int | bool = False):
        return {"value": value}

    assert json.loads(app(rest_event("GET", "/number"), None)["body"]) == {"value": 0}
    assert json.loads(app(rest_event("GET", "/flag"), None)["body"]) == {"value": False}


def test_type_hints_that_cannot_be_resolved_are_a_clear_error():
    app = validated_app(debug=False)

    def local_scope():
        class Local:
            pass

        def route(thing: Local):  # with postponed annotations, "Local" is looked up in the module
            return {}

        return route

    app.post("/things")(local_scope())

    with pytest.raises(TypeError, match=r"type hints of the route function .*route' cannot be resolved .*module level"):
        app(rest_event("POST", "/things", body="{}"), None)
