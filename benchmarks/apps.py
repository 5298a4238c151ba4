"""The benchmark apps, written once against the reference API.

Each factory takes a :class:`libs.Library` and uses only its names, so
``small_app(Library("powertools"))`` and ``small_app(Library("kernel"))``
run the same route code on the two libraries.

No ``from __future__ import annotations`` here: the validated apps' route
signatures are read at registration, and string annotations naming a class
local to a factory could not be resolved.
"""

from typing import Annotated, Any

# Served by the compressed route: a few KB of JSON, as a list endpoint returns.
REPORT = [
    {
        "id": index,
        "name": f"item-{index}",
        "description": "A product that sells well in every season of the year",
        "price": round(9.99 + index * 1.5, 2),
        "tags": ["new", "popular", f"group-{index % 5}"],
        "in_stock": index % 3 != 0,
    }
    for index in range(30)
]


def small_app(lib: Any, resolver: str = "APIGatewayRestResolver") -> Any:
    """A handful of routes, as a typical small service has."""
    app = getattr(lib, resolver)()

    @app.get("/")
    def index() -> dict:
        return {"service": "bench"}

    @app.get("/hello")
    def hello() -> dict:
        return {"message": "hello"}

    @app.post("/hello")
    def create_hello() -> tuple:
        return {"created": True}, 201

    @app.get("/hello/<name>")
    def hello_name(name: str) -> dict:
        return {"message": f"hello {name}"}

    @app.get("/users/<user_id>/orders/<order_id>")
    def user_order(user_id: str, order_id: str) -> dict:
        return {"user": user_id, "order": order_id}

    @app.delete("/users/<user_id>")
    def delete_user(user_id: str) -> tuple:
        return {"deleted": user_id}, 200

    return app


def async_app(lib: Any) -> Any:
    """The small app's routes with the dynamic one written ``async def``, for ``await app.resolve_async()``.

    The async route awaits nothing itself, so what is timed is each
    library's own cost of resolving a request on an event loop.
    """
    app = lib.APIGatewayRestResolver()

    @app.get("/hello")
    def hello() -> dict:
        return {"message": "hello"}

    @app.get("/hello/<name>")
    def hello_name(name: str) -> dict:
        return {"message": f"hello {name}"}

    @app.get("/users/<user_id>/orders/<order_id>")
    async def user_order(user_id: str, order_id: str) -> dict:
        return {"user": user_id, "order": order_id}

    return app


def chalice_small_app() -> Any:
    """:func:`small_app` written for Chalice, the second peer (REST API events only).

    Chalice routes by the API Gateway resource template (``/hello/{name}``)
    the event carries, so its events need ``resource`` set (see
    :func:`events.rest_event`).
    """
    from chalice import Chalice

    app = Chalice(app_name="bench")

    @app.route("/")
    def index() -> dict:
        return {"service": "bench"}

    @app.route("/hello")
    def hello() -> dict:
        return {"message": "hello"}

    @app.route("/hello", methods=["POST"])
    def create_hello() -> Any:
        from chalice import Response

        return Response(body={"created": True}, status_code=201)

    @app.route("/hello/{name}")
    def hello_name(name: str) -> dict:
        return {"message": f"hello {name}"}

    @app.route("/users/{user_id}/orders/{order_id}")
    def user_order(user_id: str, order_id: str) -> dict:
        return {"user": user_id, "order": order_id}

    @app.route("/users/{user_id}", methods=["DELETE"])
    def delete_user(user_id: str) -> dict:
        return {"deleted": user_id}

    return app


def many_routes_app(lib: Any, count: int, dynamic: bool) -> Any:
    """``count`` GET routes; each answers with its own number, so a test sees which one ran."""
    app = lib.APIGatewayRestResolver()
    for number in range(count):
        if dynamic:
            app.get(f"/api/v1/resource{number}/<item_id>")(_dynamic_route(number))
        else:
            app.get(f"/api/v1/resource{number}")(_static_route(number))
    return app


def _static_route(number: int) -> Any:
    def route() -> dict:
        return {"route": number}

    route.__name__ = f"resource{number}"
    return route


def _dynamic_route(number: int) -> Any:
    def route(item_id: str) -> dict:
        return {"route": number, "item": item_id}

    route.__name__ = f"resource{number}_item"
    return route


def tools_app(lib: Any) -> Any:
    """A Bedrock agent's action group defined with function details: a few tools called by name."""
    app = lib.BedrockAgentFunctionResolver()

    @app.tool(name="get_weather", description="The forecast for a city")
    def get_weather(city: str, days: int = 1) -> dict:
        return {"city": city, "forecast": ["sunny"] * days}

    @app.tool(name="find_hotels", description="Hotels with rooms free in a city")
    def find_hotels(city: str, max_price: float = 150.0) -> dict:
        return {"city": city, "hotels": [], "max_price": max_price}

    @app.tool(name="book_hotel", description="Books a room")
    def book_hotel(hotel: str, nights: int, breakfast: bool = False) -> Any:
        return lib.BedrockFunctionResponse(body={"booked": hotel, "nights": nights}, session_attributes={"hotel": hotel})

    @app.tool(name="cancel_booking", description="Cancels a booking")
    def cancel_booking(booking_id: str) -> dict:
        return {"cancelled": booking_id}

    return app


def cors_app(lib: Any, middleware: bool) -> Any:
    """An app whose routes all allow one origin; with ``middleware``, a global middleware too."""
    cors = lib.CORSConfig(
        allow_origin="https://app.example.com",
        extra_origins=["https://admin.example.com"],
        allow_headers=["X-Request-Id"],
        expose_headers=["X-Trace"],
        max_age=300,
        allow_credentials=True,
    )
    app = lib.APIGatewayRestResolver(cors=cors)

    if middleware:

        def add_trace(app: Any, next_middleware: Any) -> Any:
            response = next_middleware(app)
            response.headers["X-Trace"] = "bench"
            return response

        app.use([add_trace])

    @app.get("/hello")
    def hello() -> dict:
        return {"message": "hello"}

    @app.put("/hello")
    def put_hello() -> dict:
        return {"message": "updated"}

    @app.get("/hello/<name>")
    def hello_name(name: str) -> dict:
        return {"message": f"hello {name}"}

    return app


def compress_app(lib: Any) -> Any:
    """One route whose JSON answer is compressed when the client accepts it."""
    app = lib.APIGatewayRestResolver()

    @app.get("/report", compress=True)
    def report() -> list:
        return REPORT

    return app


def item_model() -> Any:
    """The validated app's own model: the code of the app itself, whatever library serves it."""
    from pydantic import BaseModel, Field

    class Item(BaseModel):
        name: str = Field(min_length=1, max_length=100)
        price: float = Field(gt=0)
        tags: list[str] = []
        in_stock: bool = True

    return Item


def validated_app(lib: Any) -> Any:
    """Routes validated from their type hints: path and query parameters, a model body."""
    Path, Query, Body = lib.Path, lib.Query, lib.Body
    Item = item_model()

    app = lib.APIGatewayRestResolver(enable_validation=True)

    @app.get("/items/<item_id>")
    def get_item(
        item_id: Annotated[int, Path(gt=0)],
        q: Annotated[str | None, Query(max_length=50)] = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 10,
    ) -> dict:
        return {"item_id": item_id, "q": q, "limit": limit}

    @app.put("/items/<item_id>")
    def put_item(item_id: Annotated[int, Path(gt=0)], item: Annotated[Item, Body()]) -> Item:
        return item

    return app


def dependencies_app(lib: Any) -> Any:
    """A route taking a dependency that takes another (both reading the request), without validation."""
    Depends, Request = lib.Depends, lib.Request

    def tenant(request: Request) -> str:
        return request.headers.get("X-Tenant", "main")

    def repository(tenant: Annotated[str, Depends(tenant)]) -> dict:
        return {"tenant": tenant, "table": f"orders-{tenant}"}

    app = lib.APIGatewayRestResolver()

    @app.get("/orders/<order_id>")
    def get_order(order_id: str, repo: Annotated[dict, Depends(repository)]) -> dict:
        return {"order": order_id, **repo}

    return app


def forms_app(lib: Any) -> Any:
    """A validated form post and a validated multipart upload."""
    Form, File, UploadFile = lib.Form, lib.File, lib.UploadFile
    app = lib.APIGatewayRestResolver(enable_validation=True)

    @app.post("/signup")
    def signup(email: Annotated[str, Form()], age: Annotated[int, Form(ge=0)], topics: Annotated[list[str], Form()]) -> dict:
        return {"email": email, "age": age, "topics": topics}

    @app.post("/upload")
    def upload(document: Annotated[UploadFile, File()], title: Annotated[str, Form()]) -> dict:
        return {"title": title, "filename": document.filename, "size": len(document.content)}

    return app


def openapi_app(lib: Any, count: int = 100) -> Any:
    """``count`` routes with typed parameters and bodies, to generate an OpenAPI document from.

    Half read a resource, half write one. Like the routes of a real API, they
    vary: five kinds of parameter lists and three body models, in turn.
    """
    from pydantic import BaseModel, Field

    class Address(BaseModel):
        street: str
        city: str
        country: str = "NL"

    class Customer(BaseModel):
        name: str = Field(min_length=1)
        email: str
        address: Address
        tags: list[str] = []

    class OrderLine(BaseModel):
        sku: str
        quantity: int = Field(gt=0)

    class Order(BaseModel):
        customer_id: int
        lines: list[OrderLine]
        note: str | None = None

    class Product(BaseModel):
        name: str
        price: float = Field(gt=0)
        in_stock: bool = True

    app = lib.APIGatewayRestResolver(enable_validation=True)
    models = (Customer, Order, Product)
    for number in range(count // 2):
        _add_read_route(app, lib, number)
        _add_write_route(app, lib, number, models[number % len(models)])
    return app


def openapi_warmup_app(lib: Any) -> Any:
    """One route whose types the 100-route app does not use: generating its document pays the imports."""
    from pydantic import BaseModel

    class Note(BaseModel):
        text: str

    app = lib.APIGatewayRestResolver(enable_validation=True)

    @app.post("/notes/<notebook>")
    def add_note(
        notebook: Annotated[str, lib.Path()], note: Annotated[Note, lib.Body()], pin: Annotated[float, lib.Query()] = 0.5
    ) -> Note:
        return note

    return app


def _add_read_route(app: Any, lib: Any, number: int) -> None:
    Path, Query = lib.Path, lib.Query
    kind = number % 5
    rule = f"/resource{number}/<slug>" if kind == 2 else f"/resource{number}/<item_id>"
    if kind == 0:

        def read(item_id: Annotated[int, Path(description="The item")], verbose: Annotated[bool, Query()] = False) -> dict:
            return {"item": item_id}

    elif kind == 1:

        def read(  # type: ignore[misc]
            item_id: Annotated[int, Path()],
            limit: Annotated[int, Query(ge=1, le=100)] = 10,
            cursor: Annotated[str | None, Query()] = None,
        ) -> dict:
            return {"item": item_id}

    elif kind == 2:

        def read(  # type: ignore[misc]
            slug: Annotated[str, Path(min_length=3)], lang: Annotated[str, Query(pattern="^[a-z]{2}$")] = "en"
        ) -> dict:
            return {"slug": slug}

    elif kind == 3:

        def read(  # type: ignore[misc]
            item_id: Annotated[int, Path()], fields: Annotated[list[str] | None, Query()] = None
        ) -> dict:
            return {"item": item_id}

    else:

        def read(  # type: ignore[misc]
            item_id: Annotated[int, Path(gt=0)], min_price: Annotated[float, Query(ge=0)] = 0.0
        ) -> list:
            return [item_id]

    read.__name__ = f"read_resource{number}"
    app.get(rule, summary=f"Read resource {number}", tags=[f"group{number % 5}"])(read)


def _add_write_route(app: Any, lib: Any, number: int, model: Any) -> None:
    def write(item_id: Annotated[int, lib.Path()], payload: Annotated[model, lib.Body()]) -> model:
        return payload

    write.__name__ = f"write_resource{number}"
    app.put(f"/resource{number}/<item_id>", summary=f"Write resource {number}", tags=[f"group{number % 5}"])(write)
