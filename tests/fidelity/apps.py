"""The apps both libraries run, one per feature area, written once against the name table.

Each function takes the names of one library (``library("powertools")`` or
``library("kernel")`` of :mod:`tests.powertools_patterns.names`) and the name
of the resolver class of a source, and returns the app. :data:`PROBES` lists,
for each area, the paths the generated requests aim at (they also try
others, which no route serves).
"""

# No "from __future__ import annotations": the markers in the hints name `lib`, a local.

import re
from types import SimpleNamespace
from typing import Annotated, Any

from pydantic import BaseModel, Field


class Item(BaseModel):
    id_: int = Field(alias="id")
    name: str
    price: float = Field(ge=0)
    tags: list[str] = []


def routing_app(lib: SimpleNamespace, resolver: str) -> Any:
    app = getattr(lib, resolver)(strip_prefixes=["/api", re.compile(r"^/v\d+")])
    router = lib.Router()

    @app.get("/")
    def root():
        return {"route": "root"}

    @app.get("/items")
    def items():
        return {"route": "items", "q": app.current_event.get_query_string_value("q")}

    @app.route("/items", method=["POST", "PUT"])
    def write_items():
        return lib.Response(status_code=201, content_type="application/json", body={"route": "write"})

    @app.get("/items/<item_id>")
    def item(item_id):
        return {"route": "item", "id": item_id}

    @app.get("/items/special")
    def special():
        return {"route": "special"}

    @app.get("/files/<name>.<ext>")
    def file(name, ext):
        return {"route": "file", "name": name, "ext": ext}

    @app.delete("/items/<item_id>")
    def delete(item_id):
        return None, 204

    @app.get("/text")
    def text():
        return lib.Response(status_code=200, content_type="text/plain", body="plain text", headers={"X-Tag": ["a", "b"]})

    @app.get("/bytes")
    def raw_bytes():
        return lib.Response(status_code=200, content_type="application/octet-stream", body=b"\x00\x01binary")

    @app.get("/none")
    def nothing():
        return None

    @app.get("/empty")
    def empty():
        return lib.Response(status_code=200, content_type="application/json", body=None)

    @app.get("/tuple")
    def pair():
        return {"created": True}, 202

    @app.get("/context")
    def context():
        app.append_context(seen=True)
        return {"path": app.context.get("_path"), "seen": app.context.get("seen")}

    @app.get("/legacy/.+")
    def legacy():
        return {"route": "legacy"}

    @app.get("/archive/[0-9]{4}/<slug>")
    def archive(slug):
        return {"route": "archive", "slug": slug}

    @router.get("/users/<user_id>")
    def user(user_id):
        return {"route": "user", "id": user_id, "header": router.current_event.get_header_value("x-tag")}

    app.include_router(router, prefix="/r")
    return app


def middleware_app(lib: SimpleNamespace, resolver: str) -> Any:
    app = getattr(lib, resolver)()
    calls: list[str] = []

    def outer(app, next_middleware):
        response = next_middleware(app)
        response.headers["X-Outer"] = "1"
        return response

    def guard(app, next_middleware):
        if app.current_event.get_header_value("x-deny"):
            return lib.Response(status_code=403, content_type="application/json", body={"denied": True})
        return next_middleware(app)

    class Stamp(lib.BaseMiddlewareHandler):
        def handler(self, app, next_middleware):
            response = next_middleware(app)
            response.headers["X-Stamp"] = app.current_event.http_method
            return response

    app.use([outer])

    @app.get("/plain")
    def plain():
        return {"ok": True}

    @app.get("/guarded", middlewares=[guard, Stamp()])
    def guarded():
        return {"ok": "guarded"}

    @app.post("/guarded", middlewares=[Stamp()])
    def guarded_post():
        return {"ok": "posted"}

    del calls
    return app


def cors_app(lib: SimpleNamespace, resolver: str) -> Any:
    cors = lib.CORSConfig(
        allow_origin="https://app.example.com",
        extra_origins=["https://admin.example.com"],
        allow_headers=["X-Tag"],
        expose_headers=["X-Trace"],
        max_age=300,
        allow_credentials=True,
    )
    app = getattr(lib, resolver)(cors=cors)

    @app.get("/open")
    def open_route():
        return {"cors": True}

    @app.post("/open")
    def open_post():
        return {"cors": "post"}

    @app.get("/closed", cors=False)
    def closed():
        return {"cors": False}

    return app


def compression_app(lib: SimpleNamespace, resolver: str) -> Any:
    app = getattr(lib, resolver)()
    big = {"words": ["lorem ipsum dolor sit amet"] * 40}

    @app.get("/big", compress=True)
    def compressed():
        return big

    @app.get("/small", compress=True)
    def small():
        return {"a": 1}

    @app.get("/opt-out", compress=True)
    def opt_out():
        return lib.Response(status_code=200, content_type="application/json", body=big, compress=False)

    @app.get("/opt-in")
    def opt_in():
        return lib.Response(status_code=200, content_type="application/json", body=big, compress=True)

    @app.get("/bytes", compress=True)
    def compressed_bytes():
        return lib.Response(status_code=200, content_type="application/octet-stream", body=b"x" * 2000)

    return app


def exceptions_app(lib: SimpleNamespace, resolver: str) -> Any:
    app = getattr(lib, resolver)()

    class Teapot(Exception):
        pass

    @app.exception_handler(Teapot)
    def teapot(exc):
        return lib.Response(status_code=418, content_type="text/plain", body=f"teapot: {exc}")

    @app.exception_handler(lib.BadRequestError)
    def bad_request(exc):
        return lib.Response(status_code=400, content_type="application/json", body={"handled": str(exc)})

    @app.not_found
    def not_found(exc):
        return lib.Response(status_code=404, content_type="application/json", body={"missing": app.current_event.path})

    @app.get("/teapot")
    def raise_teapot():
        raise Teapot("short and stout")

    @app.get("/bad")
    def bad():
        raise lib.BadRequestError("nope")

    @app.get("/unauthorized")
    def unauthorized():
        raise lib.UnauthorizedError("who are you")

    @app.get("/service")
    def service():
        raise lib.ServiceError(503, "later")

    @app.get("/not-found")
    def not_found_raised():
        raise lib.NotFoundError("gone")

    return app


def validation_app(lib: SimpleNamespace, resolver: str) -> Any:
    app = getattr(lib, resolver)(enable_validation=True)

    @app.get("/items/<item_id>")
    def get_item(item_id: int, verbose: Annotated[bool, lib.Query()] = False) -> Item:
        return Item(id=item_id, name="thing", price=1.5, tags=["a"] if verbose else [])

    @app.get("/search")
    def search(
        q: Annotated[str, lib.Query(min_length=1)],
        limit: Annotated[int, lib.Query(ge=1, le=50)] = 10,
        tag: Annotated[list[str] | None, lib.Query()] = None,
        x_tag: Annotated[str | None, lib.Header()] = None,
    ) -> dict:
        return {"q": q, "limit": limit, "tag": tag, "x_tag": x_tag}

    @app.post("/items")
    def create(item: Item) -> Item:
        return item

    @app.post("/embedded")
    def embedded(item: Annotated[Item, lib.Body(embed=True)]) -> dict:
        return {"name": item.name}

    @app.get("/count")
    def count() -> int:
        return "many"

    @app.get("/word")
    def word() -> str:
        return "word"

    return app


#: area -> (app builder, paths requests aim at).
AREAS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "routing": (
        routing_app,
        (
            "/",
            "/items",
            "/items/",
            "/items/7",
            "/items/special",
            "/files/report.tar.gz",
            "/text",
            "/bytes",
            "/tuple",
            "/none",
            "/empty",
            "/context",
            "/api/items/3",
            "/v2/items",
            "/api",
            "/r/users/5",
            "/nothing/here",
            "/items/a/b",
            "/legacy/x/y",
            "/legacy/",
            "/archive/2024/news",
            "/archive/24/news",
        ),
    ),
    "middlewares": (middleware_app, ("/plain", "/guarded", "/missing")),
    "cors": (cors_app, ("/open", "/closed", "/missing")),
    "compression": (compression_app, ("/big", "/small", "/opt-out", "/opt-in", "/bytes")),
    "exceptions": (exceptions_app, ("/teapot", "/bad", "/unauthorized", "/service", "/not-found", "/missing")),
    "validation": (
        validation_app,
        ("/items/3", "/items/x", "/search", "/items", "/embedded", "/count", "/word", "/missing"),
    ),
}
