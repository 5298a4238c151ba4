"""Dependencies under validation: their own parameters are read, checked and documented.

No ``from __future__ import annotations``: dependencies defined inside tests
must have annotations Python can evaluate where they are written.
"""

from typing import Annotated, Any

from pydantic import BaseModel

from kernel import Depends, Header, Query, Request
from tests.plugins.validation.helpers import answer, invalid, validated_app


def paging(limit: Annotated[int, Query(ge=1, le=50)] = 10, offset: Annotated[int, Query(ge=0)] = 0) -> dict[str, int]:
    return {"limit": limit, "offset": offset}


def tenant(x_tenant: Annotated[str, Header(min_length=2)]) -> str:
    return x_tenant


def scope(tenant: Annotated[str, Depends(tenant)], page: Annotated[dict[str, int], Depends(paging)]) -> dict[str, Any]:
    return {"tenant": tenant, **page}


def scoped_app() -> Any:
    app = validated_app(plugins=["rest", "validation", "openapi"])

    @app.get("/orders/<order_id>")
    def orders(order_id: int, scope: Annotated[dict[str, Any], Depends(scope)], request: Request, verbose: bool = False):
        return {"order": order_id, "scope": scope, "verbose": verbose, "route": request.route}

    return app


def test_the_parameters_dependencies_declare_are_validated_and_passed_to_them():
    app = scoped_app()

    status, body = answer(app, "GET", "/orders/5", headers={"X-Tenant": "acme"}, query={"limit": "20", "verbose": "true"})

    assert status == 200
    assert body == {
        "order": 5,
        "scope": {"tenant": "acme", "limit": 20, "offset": 0},
        "verbose": True,
        "route": "/orders/{order_id}",
    }


def test_bad_dependency_parameters_are_reported_with_the_route_s_in_one_422():
    app = scoped_app()

    status, body = answer(app, "GET", "/orders/x", headers={"X-Tenant": "a"}, query={"limit": "500", "offset": "-1"})

    assert status == 422
    assert body == invalid(
        (["path", "order_id"], "int_parsing"),
        (["header", "x-tenant"], "string_too_short"),
        (["query", "limit"], "less_than_equal"),
        (["query", "offset"], "greater_than_equal"),
    )


def test_a_missing_required_dependency_parameter_is_a_422_and_nothing_runs():
    ran: list[str] = []

    def audited(x_tenant: Annotated[str, Header()]) -> str:
        ran.append("dependency")
        return x_tenant

    app = validated_app()

    @app.get("/")
    def index(who: Annotated[str, Depends(audited)]):
        ran.append("route")
        return {"who": who}

    assert answer(app, "GET", "/") == (422, invalid((["header", "x-tenant"], "missing")))
    assert ran == []
    assert answer(app, "GET", "/", headers={"x-tenant": "t1"}) == (200, {"who": "t1"})


class Filters(BaseModel):
    name: str
    tags: list[str] = []


def test_a_dependency_may_read_the_body():
    def normalised(filters: Filters) -> Filters:
        return Filters(name=filters.name.lower(), tags=sorted(filters.tags))

    app = validated_app()

    @app.post("/search")
    def search(filters: Annotated[Filters, Depends(normalised)]):
        return filters

    assert answer(app, "POST", "/search", body='{"name": "ADA", "tags": ["b", "a"]}') == (
        200,
        {"name": "ada", "tags": ["a", "b"]},
    )
    assert answer(app, "POST", "/search", body='{"tags": []}') == (422, invalid((["body", "name"], "missing")))


def test_an_override_is_read_its_own_parameters_and_not_those_it_replaces():
    def fake_paging(limit: int = 1) -> dict[str, int]:
        return {"limit": limit, "offset": 99}

    app = scoped_app()
    app.dependency_overrides[paging] = fake_paging
    app.dependency_overrides[tenant] = lambda: "test-tenant"

    # No X-Tenant header: the override of tenant() does not need it, and limit has no upper bound.
    status, body = answer(app, "GET", "/orders/1", query={"limit": "300"})

    assert status == 200
    assert body["scope"] == {"tenant": "test-tenant", "limit": 300, "offset": 99}
    app.dependency_overrides.clear()
    assert answer(app, "GET", "/orders/1", query={"limit": "300"})[0] == 422


def test_the_request_holds_only_the_path_parameters_converted():
    seen: list[Request] = []
    app = validated_app()

    @app.get("/items/<item_id>")
    def item(item_id: int, request: Request, q: int = 0):
        seen.append(request)
        return {}

    assert answer(app, "GET", "/items/4", query={"q": "2"}) == (200, {})
    assert seen[0].path_parameters == {"item_id": 4}


def test_dependencies_parameters_appear_in_the_openapi_document_and_injected_ones_do_not():
    app = scoped_app()

    operation = app.get_openapi_schema().model_dump(mode="json", by_alias=True, exclude_none=True)["paths"]["/orders/{order_id}"][
        "get"
    ]

    assert [(p["name"], p["in"], p["required"]) for p in operation["parameters"]] == [
        ("order_id", "path", True),
        ("verbose", "query", False),
        ("x-tenant", "header", True),
        ("limit", "query", False),
        ("offset", "query", False),
    ]
    limit = operation["parameters"][3]["schema"]
    assert (limit["maximum"], limit["minimum"], limit["default"]) == (50, 1, 10)
    assert "requestBody" not in operation


def test_where_powertools_ignores_a_dependency_s_query_parameter_kernel_reads_it():
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver as PowertoolsResolver
    from aws_lambda_powertools.event_handler import Depends as PowertoolsDepends
    from aws_lambda_powertools.event_handler.openapi.params import Query as PowertoolsQuery

    from tests.events import rest_event

    def their_paging(limit: Annotated[int, PowertoolsQuery()] = 10) -> int:
        return limit

    def our_paging(limit: Annotated[int, Query()] = 10) -> int:
        return limit

    theirs = PowertoolsResolver(enable_validation=True)
    ours = validated_app()

    @theirs.get("/items")
    def their_items(limit: Annotated[int, PowertoolsDepends(their_paging)]):
        return {"limit": limit}

    @ours.get("/items")
    def our_items(limit: Annotated[int, Depends(our_paging)]):
        return {"limit": limit}

    event = rest_event("GET", "/items", query={"limit": "3"})
    assert theirs(event, None)["body"] == '{"limit":10}'
    assert ours(event, None)["body"] == '{"limit":3}'


def test_an_async_dependency_reads_its_validated_parameters_in_both_resolves():
    import asyncio

    from tests.events import rest_event

    async def paged(limit: Annotated[int, Query(le=10)] = 3) -> int:
        await asyncio.sleep(0)
        return limit

    app = validated_app()

    @app.get("/items")
    async def items(limit: Annotated[int, Depends(paged)]):
        return {"limit": limit}

    event = rest_event("GET", "/items", query={"limit": "9"})
    assert asyncio.run(app.resolve_async(event, None))["body"] == '{"limit":9}'
    assert app.resolve(event, None)["body"] == '{"limit":9}'
    assert answer(app, "GET", "/items", query={"limit": "11"}) == (422, invalid((["query", "limit"], "less_than_equal")))
