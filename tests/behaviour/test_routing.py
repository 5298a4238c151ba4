"""Routing every event source shares: static and dynamic rules, methods, routers, the default 404."""

from kernel import Router

NOT_FOUND = {"statusCode": 404, "message": "Not found"}


def test_static_route_answers_json(source):
    app = source.app()

    @app.get("/hello")
    def hello():
        return {"message": "hi"}

    reply = source.read(app(source.make_event("GET", "/hello"), None))
    assert reply.status == 200
    assert reply.header("Content-Type") == "application/json"
    assert reply.json() == {"message": "hi"}


def test_path_parameters_are_passed_to_the_function(source):
    app = source.app()

    @app.get("/users/<user_id>/posts/<post_id>")
    def post(user_id, post_id):
        return {"user": user_id, "post": post_id}

    response = source.client(app).get("/users/42/posts/abc-1")
    assert (response.status_code, response.json()) == (200, {"user": "42", "post": "abc-1"})


def test_a_parameter_shares_its_segment_with_fixed_text(source):
    app = source.app()

    @app.get("/reports/<year>.csv")
    def report(year):
        return {"year": year}

    client = source.client(app)
    assert client.get("/reports/2024.csv").json() == {"year": "2024"}
    assert client.get("/reports/2024.json").status_code == 404


def test_a_parameter_never_matches_an_empty_segment_or_two_segments(source):
    app = source.app()

    @app.get("/users/<user_id>")
    def user(user_id):
        return {"user": user_id}

    client = source.client(app)
    assert client.get("/users/7").json() == {"user": "7"}
    response = client.get("/users/1/2")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert client.get("/users//").status_code == 404


def test_a_static_route_wins_over_a_dynamic_one(source):
    app = source.app()

    @app.get("/users/<user_id>")
    def user(user_id):
        return {"user": user_id}

    @app.get("/users/me")
    def me():
        return {"me": True}

    client = source.client(app)
    assert client.get("/users/me").json() == {"me": True}
    assert client.get("/users/you").json() == {"user": "you"}


def test_each_method_reaches_its_own_function(source):
    app = source.app()

    @app.get("/items")
    def read():
        return {"did": "read"}

    @app.post("/items")
    def create():
        return {"did": "create"}

    @app.put("/items")
    def replace():
        return {"did": "replace"}

    @app.patch("/items")
    def change():
        return {"did": "change"}

    @app.delete("/items")
    def remove():
        return {"did": "remove"}

    client = source.client(app)
    for method, did in [("GET", "read"), ("POST", "create"), ("PUT", "replace"), ("PATCH", "change"), ("DELETE", "remove")]:
        response = client.request(method, "/items")
        assert (response.status_code, response.json()) == (200, {"did": did}), method


def test_route_with_several_methods(source):
    app = source.app()

    @app.route("/things", ["GET", "POST"])
    def things():
        return {"method": app.current_event.http_method}

    client = source.client(app)
    assert client.get("/things").json() == {"method": "GET"}
    assert client.post("/things").json() == {"method": "POST"}
    assert client.delete("/things").status_code == 404


def test_unknown_path_answers_default_404(source):
    app = source.app()
    reply = source.read(app(source.make_event("GET", "/missing"), None))
    assert reply.status == 404
    assert reply.header("Content-Type") == "application/json"
    assert reply.json() == NOT_FOUND


def test_wrong_method_is_not_found(source):
    app = source.app()

    @app.post("/items")
    def create():
        return {}

    response = source.client(app).get("/items")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_root_route(source):
    app = source.app()

    @app.get("/")
    def root():
        return {"root": True}

    response = source.client(app).get("/")
    assert (response.status_code, response.json()) == (200, {"root": True})


def test_router_routes_under_a_prefix(source):
    app = source.app()
    router = Router()

    @router.get("/")
    def index():
        return {"index": True}

    @router.get("/<item_id>")
    def item(item_id):
        return {"item": item_id, "path": router.current_event.path}

    app.include_router(router, prefix="/items")
    client = source.client(app)
    assert client.get("/items").json() == {"index": True}
    assert client.get("/items/9").json() == {"item": "9", "path": "/items/9"}
    assert client.get("/9").status_code == 404


def test_current_event_names_the_method_and_path(source):
    app = source.app()

    @app.put("/orders/<order_id>")
    def order(order_id):
        event = app.current_event
        return {"method": event.http_method, "path": event.path}

    assert source.client(app).put("/orders/7").json() == {"method": "PUT", "path": "/orders/7"}


def test_context_is_shared_with_the_route_and_cleared_after_the_request(source):
    app = source.app()
    seen = []

    def tag(app, next_middleware):
        app.append_context(tag="abc")
        return next_middleware(app)

    @app.get("/tagged", middlewares=[tag])
    def tagged():
        seen.append(dict(app.context))
        return {"tag": app.context.get("tag")}

    assert source.client(app).get("/tagged").json() == {"tag": "abc"}
    assert seen[0]["tag"] == "abc"
    assert app.context == {}
