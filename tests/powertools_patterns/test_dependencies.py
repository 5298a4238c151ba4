"""Dependency injection: Depends() trees resolved per request, and overridden in tests."""

# No `from __future__ import annotations`: the annotations name `lib`, a local of each app.
from typing import Annotated

from tests.events import http_event, rest_event
from tests.powertools_patterns.harness import answer, answers


def get_tenant():
    return "acme"


def with_dependencies(lib):
    def tenant_from_header():
        return app.current_event.headers.get("X-Tenant") or get_tenant()

    def order_repository(tenant: Annotated[str, lib.Depends(tenant_from_header)]):
        return {"tenant": tenant, "orders": [1, 2]}

    app = lib.APIGatewayRestResolver(enable_validation=True)

    @app.get("/orders")
    def list_orders(repository: Annotated[dict, lib.Depends(order_repository)], limit: int = 10):
        return {"tenant": repository["tenant"], "orders": repository["orders"][:limit]}

    return app


def test_dependency_tree():
    default, other = answers(
        with_dependencies,
        rest_event("GET", "/orders", query={"limit": "1"}),
        rest_event("GET", "/orders", headers={"X-Tenant": "globex"}),
    )
    assert default["body"] == {"tenant": "acme", "orders": [1]}
    assert other["body"] == {"tenant": "globex", "orders": [1, 2]}


def overridden(lib):
    def current_user():
        raise lib.UnauthorizedError("no token")

    app = lib.APIGatewayHttpResolver(enable_validation=True)

    @app.get("/me")
    def me(user: Annotated[str, lib.Depends(current_user)]):
        return {"user": user}

    app.dependency_overrides[current_user] = lambda: "test-user"
    return app


def test_dependency_overrides():
    response = answer(overridden, http_event("GET", "/me"))
    assert response["body"] == {"user": "test-user"}
