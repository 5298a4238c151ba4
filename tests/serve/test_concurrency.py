"""The adapter serves requests concurrently, caps the bodies it holds, and times out slow bodies; HttpResolver."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

from kernel import App, HttpResolver
from kernel.asgi import ASGIAdapter
from tests.events import alb_event
from tests.serve.harness import Answer, call, run, scope


async def request(
    adapter: Any, method: str = "GET", path: str = "/", chunks: list[bytes] | None = None, stall: bool = False
) -> Answer:
    """One request through ``adapter`` on the running loop; ``stall`` never sends the last chunk."""
    incoming = [{"type": "http.request", "body": chunk, "more_body": True} for chunk in chunks or []]
    if not stall:
        incoming.append({"type": "http.request", "body": b"", "more_body": False})
    answer = Answer()

    async def receive() -> dict[str, Any]:
        if incoming:
            return incoming.pop(0)
        await asyncio.sleep(3600)  # a client that sends nothing more
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer.status = message["status"]
            answer.headers = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in message["headers"]]
        elif message["type"] == "http.response.body":
            answer.body += message.get("body", b"")

    await adapter(scope(method, path), receive, send)
    return answer


def gather(*coroutines: Any) -> list[Answer]:
    results: list[Answer] = []

    async def main() -> None:
        results.extend(await asyncio.wait_for(asyncio.gather(*coroutines), 10))

    run(main())
    return results


def test_async_routes_run_concurrently_on_the_event_loop():
    app = App(plugins=["rest"])
    ready = asyncio.Event()
    threads: dict[str, int] = {}

    @app.get("/wait")
    async def wait():
        threads["wait"] = threading.get_ident()
        await ready.wait()  # only the other request sets it: a serialised adapter would never answer
        return {"waited": True}

    @app.get("/release")
    async def release():
        threads["release"] = threading.get_ident()
        ready.set()
        return {"released": True}

    adapter = ASGIAdapter(app)

    async def both() -> list[Answer]:
        threads["loop"] = threading.get_ident()
        return list(await asyncio.gather(request(adapter, "GET", "/wait"), request(adapter, "GET", "/release")))

    answers: list[Answer] = []

    async def main() -> None:
        answers.extend(await asyncio.wait_for(both(), 10))

    run(main())
    assert [(answer.status, answer.json()) for answer in answers] == [(200, {"waited": True}), (200, {"released": True})]
    # No thread hop for async routes: they ran on the server's loop.
    assert threads["wait"] == threads["release"] == threads["loop"]


def test_sync_routes_run_concurrently_in_worker_threads_each_with_its_own_event():
    app = App(plugins=["rest"])
    both_inside = threading.Barrier(2, timeout=5)
    threads: list[int] = []

    @app.get("/item/<n>")
    def item(n):
        threads.append(threading.get_ident())
        both_inside.wait()  # both requests are in their routes at once
        return {"n": n, "path": app.current_event.path}

    adapter = ASGIAdapter(app)
    loop_thread: list[int] = []

    async def main() -> list[Answer]:
        loop_thread.append(threading.get_ident())
        return list(await asyncio.gather(request(adapter, "GET", "/item/1"), request(adapter, "GET", "/item/2")))

    answers: list[Answer] = []

    async def run_main() -> None:
        answers.extend(await asyncio.wait_for(main(), 10))

    run(run_main())
    assert [answer.json() for answer in answers] == [{"n": "1", "path": "/item/1"}, {"n": "2", "path": "/item/2"}]
    assert loop_thread[0] not in threads
    assert len(set(threads)) == 2


def test_bodies_over_the_total_cap_are_answered_503_with_retry_after():
    app = App(plugins=["rest"])
    release = asyncio.Event()

    @app.post("/upload")
    async def upload():
        await release.wait()
        return {"size": len(app.current_event.decoded_body)}

    # Each 100-byte body counts twice (its chunks, then the joined body): 200 of the 300 allowed.
    adapter = ASGIAdapter(app, max_buffered_bodies=300)

    async def scenario() -> list[Answer]:
        first = asyncio.ensure_future(request(adapter, "POST", "/upload", [b"a" * 100]))
        while adapter._buffered == 0:  # the first body is held
            await asyncio.sleep(0.001)
        second = await request(adapter, "POST", "/upload", [b"b" * 100])
        release.set()
        done = await first  # its body is no longer held
        third = await request(adapter, "POST", "/upload", [b"c" * 100])
        return [done, second, third]

    first, second, third = gather(scenario())[0]  # type: ignore[misc]
    assert (first.status, first.json()) == (200, {"size": 100})
    assert second.status == 503
    assert second.json() == {"message": "The server is receiving too many request bodies at once; retry later"}
    assert second.header("retry-after") == "1"
    assert (third.status, third.json()) == (200, {"size": 100})
    assert adapter._buffered == 0


def test_a_body_that_stops_coming_is_answered_408():
    app = App(plugins=["rest"])

    @app.post("/upload")
    def upload():
        raise AssertionError("never called")

    adapter = ASGIAdapter(app, body_timeout=0.05)
    (answer,) = gather(request(adapter, "POST", "/upload", [b"half"], stall=True))
    assert answer.status == 408
    assert answer.json() == {"message": "The request body did not arrive within 0.05 seconds"}
    assert adapter._buffered == 0


def test_a_lambda_handler_function_is_called_in_a_worker_thread():
    app = App(plugins=["rest"])

    @app.get("/")
    def index():
        return {"thread": threading.current_thread().name.startswith("kernel-serve")}

    answer = call(ASGIAdapter(lambda event, context: app.resolve(event, context), source="rest"), "GET", "/")
    assert (answer.status, answer.json()) == (200, {"thread": True})


def test_http_resolver_is_an_asgi_app_answering_as_its_source():
    app = HttpResolver(source="alb", plugins=["alb"])

    @app.get("/hello/<name>")
    async def hello(name: str):
        return {"hello": name, "request": type(app.current_event).__name__}

    answer = call(app, "GET", "/hello/ada")
    assert (answer.status, answer.json()) == (200, {"hello": "ada", "request": "ALBEvent"})
    # The same app on Lambda, behind the ALB:
    assert app.resolve(alb_event("GET", "/hello/bob"), None) == {
        "statusCode": 200,
        "body": json.dumps({"hello": "bob", "request": "ALBEvent"}, separators=(",", ":")),
        "isBase64Encoded": False,
        "headers": {"Content-Type": "application/json"},
    }


def test_http_resolver_defaults_to_rest_and_takes_powertools_keywords():
    app = HttpResolver(debug=False, strip_prefixes=["/api"], plugins=["rest"])

    @app.get("/ping")
    def ping():
        return {"pong": True}

    assert app.asgi_adapter.source == "rest"
    answer = call(app, "GET", "/api/ping")
    assert (answer.status, answer.json()) == (200, {"pong": True})
    assert call(app, "GET", "/api/missing").status == 404


def test_uvicorn_loads_http_resolver_as_an_asgi3_app():
    import uvicorn

    config = uvicorn.Config(HttpResolver(plugins=["rest"]))
    config.load()
    assert config.interface == "asgi3"


def test_the_serve_page_http_resolver_example_serves_and_resolves(tmp_path, monkeypatch):
    import re
    import sys
    from pathlib import Path

    from tests.events import http_event

    page = (Path(__file__).resolve().parents[2] / "docs" / "serve.md").read_text()
    (example,) = re.findall(r"<!-- docs-test: http_resolver.py -->\n```python\n(.*?)```", page, re.S)
    (tmp_path / "service.py").write_text(example)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "service", raising=False)
    import service  # type: ignore[import-not-found]

    answer = call(service.app, "GET", "/hello/ada")
    assert (answer.status, answer.json()) == (200, {"hello": "ada"})
    response = service.handler(http_event("GET", "/hello/bob"), None)
    assert (response["statusCode"], json.loads(response["body"])) == (200, {"hello": "bob"})
    assert "cookies" in response  # the HTTP API's response shape
