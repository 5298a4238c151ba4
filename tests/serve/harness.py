"""A hand-written ASGI client: builds the scope, feeds the body, collects what the app sends."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Answer:
    """What the ASGI app sent: status, header pairs (text), body; empty when it sent nothing."""

    status: int | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    messages: list[dict[str, Any]] = field(default_factory=list)

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key == name.lower()]

    def header(self, name: str) -> str | None:
        values = self.all(name)
        return ", ".join(values) if values else None

    def json(self) -> Any:
        import json

        return json.loads(self.body)


def run(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run ``coroutine`` to completion on a fresh event loop in its own thread.

    A thread of its own, because other tests in the session (Playwright's sync
    API) may leave an event loop running in the main thread.
    """
    with ThreadPoolExecutor(max_workers=1) as executor:
        executor.submit(asyncio.run, coroutine).result()


def scope(
    method: str = "GET",
    path: str = "/",
    query_string: bytes = b"",
    headers: list[tuple[bytes, bytes]] | None = None,
    raw_path: bytes | None = None,
) -> dict[str, Any]:
    """An HTTP scope as uvicorn builds it (``raw_path`` defaults to the encoded ``path``)."""
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode("ascii") if raw_path is None else raw_path,
        "query_string": query_string,
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000"), *(headers or [])],
        "client": ("127.0.0.1", 50123),
        "server": ("127.0.0.1", 8000),
    }


def call(
    app: Any,
    method: str = "GET",
    path: str = "/",
    query_string: bytes = b"",
    headers: list[tuple[bytes, bytes]] | None = None,
    body: bytes | list[bytes] = b"",
    raw_path: bytes | None = None,
    disconnect: bool = False,
) -> Answer:
    """Send one request through the ASGI ``app``; ``body`` as a list arrives in several chunks."""
    chunks = body if isinstance(body, list) else [body]
    incoming: list[dict[str, Any]] = (
        []
        if disconnect
        else [{"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1} for index, chunk in enumerate(chunks)]
    )
    answer = Answer()

    async def receive() -> dict[str, Any]:
        if incoming:
            return incoming.pop(0)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        answer.messages.append(message)
        if message["type"] == "http.response.start":
            answer.status = message["status"]
            answer.headers = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in message["headers"]]
        elif message["type"] == "http.response.body":
            answer.body += message.get("body", b"")

    run(app(scope(method, path, query_string, headers, raw_path), receive, send))
    return answer


def run_messages(app: Any, scope_: dict[str, Any], incoming: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run ``app`` for any scope type with scripted incoming messages; return what it sent."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return incoming.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    run(app(scope_, receive, send))
    return sent
