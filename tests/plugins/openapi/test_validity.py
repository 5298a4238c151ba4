"""The document of a large app is a valid OpenAPI 3.1 document, by a standard validator."""

from __future__ import annotations

import datetime
import decimal
import enum
import json
import uuid
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from kernel_openapi import APIKey, Contact, HTTPBearer, License, Server, Tag
from openapi_spec_validator import validate
from pydantic import BaseModel, Field

from kernel import APIGatewayRestResolver, Body, Header, Path, Query, Response, Router


class Currency(str, enum.Enum):
    EUR = "EUR"
    USD = "USD"


class Money(BaseModel):
    amount: decimal.Decimal = Field(max_digits=12, decimal_places=2)
    currency: Currency = Currency.EUR


class Address(BaseModel):
    street: str
    city: str
    postcode: str = Field(pattern=r"^[0-9A-Z ]{3,10}$")
    country: str = Field(default="NL", min_length=2, max_length=2)


class Customer(BaseModel):
    id: uuid.UUID
    name: str = Field(min_length=1, max_length=100, description="Full name")
    email: str | None = None
    addresses: list[Address] = []
    tags: set[str] = set()
    attributes: dict[str, int | str | bool] = {}


class Line(BaseModel):
    sku: str
    quantity: int = Field(gt=0, le=1000)
    price: Money


class Order(BaseModel):
    id: int
    customer: Customer
    lines: list[Line]
    placed_at: datetime.datetime
    status: Literal["new", "paid", "shipped"] = "new"
    parent: Order | None = None  # a recursive model


@dataclass
class Page:
    items: list[Order]
    next_token: str | None = None


class Problem(BaseModel):
    statusCode: int
    message: str


def large_app() -> APIGatewayRestResolver:
    app = APIGatewayRestResolver(enable_validation=True, plugins=["rest", "validation", "openapi"])
    customers = Router()
    orders = Router()

    @customers.get("/", tags=["customers"], summary="List customers")
    def list_customers(
        limit: Annotated[int, Query(ge=1, le=100, description="Page size")] = 20,
        cursor: Annotated[str | None, Query(max_length=200)] = None,
        tag: Annotated[list[str], Query()] = [],  # noqa: B006
    ) -> list[Customer]:
        return []

    @customers.post(
        "/", tags=["customers"], responses={201: {"description": "Created", "content": {"application/json": {"model": Customer}}}}
    )
    def create_customer(customer: Customer, x_idempotency_key: Annotated[uuid.UUID, Header()]) -> Customer:
        return customer

    @customers.get(
        "/<customer_id>",
        tags=["customers"],
        responses={404: {"description": "Unknown", "content": {"application/json": {"model": Problem}}}},
    )
    def get_customer(customer_id: Annotated[uuid.UUID, Path(description="The customer")]) -> Customer:
        raise NotImplementedError

    @customers.put("/<customer_id>/addresses/<index>", tags=["customers"])
    def put_address(customer_id: uuid.UUID, index: Annotated[int, Path(ge=0)], address: Address) -> Address:
        return address

    @customers.delete("/<customer_id>", tags=["customers"], security=[{"admin": []}])
    def delete_customer(customer_id: uuid.UUID) -> Response[None]:
        return Response(status_code=204)

    @orders.get("/", tags=["orders"])
    def list_orders(
        status: Annotated[Literal["new", "paid", "shipped"] | None, Query()] = None,
        since: Annotated[datetime.date | None, Query()] = None,
        currency: Currency = Currency.EUR,
        x_tenant: Annotated[str, Header(alias="X-Tenant-Id", pattern=r"^[a-z]+$")] = "main",
    ) -> Page:
        return Page(items=[])

    @orders.post("/", tags=["orders"], security=[{"bearer": ["orders:write"]}])
    def create_order(order: Order) -> tuple[Order, int]:
        return order, 201

    @orders.patch("/<order_id>", tags=["orders"], operation_id="patchOrder", description="Changes the status only")
    def patch_order(
        order_id: int,
        status: Annotated[Literal["paid", "shipped"], Body(embed=True)],
        note: Annotated[str | None, Body(max_length=500)] = None,
    ) -> Order:
        raise NotImplementedError

    @orders.post("/<order_id>/lines", tags=["orders"])
    def add_lines(order_id: int, lines: Annotated[list[Line], Body(min_length=1)]) -> dict[str, int]:
        return {"added": len(lines)}

    @orders.get("/<order_id>/total", tags=["orders"], include_in_schema=True)
    def total(order_id: int, as_of: datetime.datetime | None = None) -> Money:
        raise NotImplementedError

    app.include_router(customers, prefix="/customers")
    app.include_router(orders, prefix="/orders")

    # Many generated routes of every parameter kind, as real apps grow.
    for number in range(60):

        def read(
            item_id: Annotated[int, Path(description="The item")],
            verbose: Annotated[bool, Query()] = False,
            x_request_id: Annotated[str | None, Header()] = None,
        ) -> dict[str, Any]:
            return {}

        def write(item_id: Annotated[int, Path()], customer: Annotated[Customer, Body()]) -> Customer:
            return customer

        read.__name__ = f"read_item{number}"
        write.__name__ = f"write_item{number}"
        app.get(f"/items{number}/<item_id>", tags=[f"group{number % 4}"])(read)
        app.put(f"/items{number}/<item_id>", tags=[f"group{number % 4}"])(write)

    @app.get("/health", include_in_schema=False)
    def health():
        return {"ok": True}

    @app.get("/version")
    def version():
        return {"version": "1"}

    return app


def generate(app: Any) -> dict[str, Any]:
    return json.loads(
        app.get_openapi_json_schema(
            title="Shop",
            version="3.2.1",
            summary="Customers and orders",
            description="The whole shop",
            tags=[Tag(name="customers", description="People who buy"), "orders"],
            servers=[Server(url="https://shop.example.com/api"), Server(url="/")],
            terms_of_service="https://shop.example.com/terms",
            contact=Contact(name="Shop", email="shop@example.com"),
            license_info=License(name="Apache-2.0", identifier="Apache-2.0"),
            security_schemes={"bearer": HTTPBearer(bearerFormat="JWT"), "admin": APIKey(in_="header", name="X-Admin-Key")},
            security=[{"bearer": []}],
        )
    )


def test_the_document_of_a_large_app_is_valid_openapi_3_1():
    doc = generate(large_app())

    validate(doc)  # raises on any violation of the OpenAPI 3.1 schema or its rules

    assert doc["openapi"] == "3.1.0"
    assert len(doc["paths"]) == 3 + 4 + 60 + 1  # customer paths, order paths, generated items, /version
    assert "/health" not in doc["paths"]
    operations = [op for item in doc["paths"].values() for op in item.values()]
    assert len(operations) == 10 + 120 + 1
    assert len({op["operationId"] for op in operations}) == len(operations)
    schemas = doc["components"]["schemas"]
    # Decimals are read from numbers or text but written as text: such models get an
    # input and an output schema.
    assert sorted(schemas) == [
        "Address",
        "Body_patchOrder",
        "Currency",
        "Customer",
        "HTTPValidationError",
        "Line-Input",
        "Line-Output",
        "Money-Input",
        "Money-Output",
        "Order-Input",
        "Order-Output",
        "Page",
        "Problem",
        "ResponseValidationError",
        "ValidationError",
    ]
    # Without "default": null, as Powertools writes optional fields.
    assert schemas["Order-Input"]["properties"]["parent"] == {
        "anyOf": [{"$ref": "#/components/schemas/Order-Input"}, {"type": "null"}],
    }


def test_every_reference_in_the_document_resolves():
    doc = generate(large_app())
    refs: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "$ref":
                    refs.append(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(doc)

    assert refs
    names = set(doc["components"]["schemas"])
    assert {ref.removeprefix("#/components/schemas/") for ref in refs} <= names
    # Nothing is left over either: every component is used, but the schema of
    # ResponseValidationError, which Powertools' documents list too.
    assert names - {"ResponseValidationError"} <= {ref.removeprefix("#/components/schemas/") for ref in refs}
