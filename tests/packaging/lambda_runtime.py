"""A minimal AWS Lambda Runtime API, for running a function under AWS's own runtime client.

The Runtime API is the HTTP interface a Lambda execution environment offers
its runtime (``AWS_LAMBDA_RUNTIME_API``): the runtime asks for the next event
(``GET /2018-06-01/runtime/invocation/next``, which blocks until there is
one), then posts the function's response or error for that request id. This
server implements those four endpoints and nothing else, enough for
``python -m awslambdaric module.handler`` to initialise the function, take
the events queued with :meth:`RuntimeAPI.invoke` one at a time, and post the
answers, which :meth:`RuntimeAPI.invoke` returns with the time each took.
"""

from __future__ import annotations

import json
import queue
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PREFIX = "/2018-06-01/runtime"
FUNCTION_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:e2e"


class Invocation:
    """One event handed to the runtime, and what it answered."""

    def __init__(self, event: Any) -> None:
        self.request_id = str(uuid.uuid4())
        self.event = event
        self.answered = threading.Event()
        self.kind = ""  # "response" or "error"
        self.body: Any = None
        self.sent_at = 0.0
        self.answered_at = 0.0


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A runtime stopped while it waited for an event is how every run ends, not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class RuntimeAPI:
    """The server, on 127.0.0.1 and a free port; use as a context manager.

    :ivar init_error: what the runtime posted to ``/runtime/init/error``, if anything.
    :ivar first_request_at: when the runtime first asked for an event
        (``time.perf_counter()``): the end of its initialisation.
    """

    def __init__(self) -> None:
        self.pending: queue.Queue[Invocation] = queue.Queue()
        self.by_id: dict[str, Invocation] = {}
        self.init_error: Any = None
        self.first_request_at: float | None = None
        self.ready = threading.Event()
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _body(self) -> Any:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    return json.loads(raw) if raw else None
                except ValueError:
                    return raw.decode(errors="replace")

            def do_GET(self) -> None:
                if self.path != f"{PREFIX}/invocation/next":
                    self._send(404)
                    return
                if api.first_request_at is None:
                    api.first_request_at = time.perf_counter()
                    api.ready.set()
                invocation = api.pending.get()
                invocation.sent_at = time.perf_counter()
                deadline = int(time.time() * 1000) + 30_000
                self._send(
                    200,
                    json.dumps(invocation.event).encode(),
                    {
                        "Lambda-Runtime-Aws-Request-Id": invocation.request_id,
                        "Lambda-Runtime-Deadline-Ms": str(deadline),
                        "Lambda-Runtime-Invoked-Function-Arn": FUNCTION_ARN,
                        "Lambda-Runtime-Trace-Id": "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1",
                    },
                )

            def do_POST(self) -> None:
                body = self._body()
                if self.path == f"{PREFIX}/init/error":
                    api.init_error = body
                    api.ready.set()
                    self._send(202, b"{}")
                    return
                parts = self.path[len(PREFIX) :].strip("/").split("/")
                if len(parts) == 3 and parts[0] == "invocation" and parts[2] in ("response", "error"):
                    invocation = api.by_id.get(parts[1])
                    if invocation is not None:
                        invocation.kind, invocation.body = parts[2], body
                        invocation.answered_at = time.perf_counter()
                        invocation.answered.set()
                        self._send(202, b"{}")
                        return
                self._send(404)

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> RuntimeAPI:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    def invoke(self, event: Any, timeout: float = 30) -> Invocation:
        """Hand ``event`` to the runtime and wait for its answer."""
        invocation = Invocation(event)
        self.by_id[invocation.request_id] = invocation
        self.pending.put(invocation)
        if not invocation.answered.wait(timeout):
            raise TimeoutError(f"the runtime did not answer {json.dumps(event)[:80]} within {timeout} s")
        return invocation
