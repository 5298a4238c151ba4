"""Load benchmark: concurrent clients against ``kernel serve`` of a trivial route.

Starts ``kernel serve`` on a free local port with a one-route app (a sync
route, or an async one with ``--route async``), then has ``--clients``
threads send ``--requests`` GET requests in total over keep-alive
connections (standard library ``http.client``), and reports the requests per
second and the latency percentiles. Run it with the Python of an environment
where kernel, its ``rest`` plugin and uvicorn are installed::

    .venv/bin/python benchmarks/load.py                 # 50 clients, 2000 requests, sync route
    .venv/bin/python benchmarks/load.py --route async   # the same, with an async def route

Like the other benchmarks, it is run by hand, never by the test suite.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

APP = """
from kernel import APIGatewayRestResolver

app = APIGatewayRestResolver(plugins=["rest"])


@app.get("/hello")
{prefix}def hello():
    return {{"message": "hello"}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_listening(port: int, server: subprocess.Popen[bytes], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"load: kernel serve exited with status {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("load: kernel serve did not start listening")


def client(port: int, count: int, latencies: list[float], errors: list[str]) -> None:
    """Send ``count`` requests on one keep-alive connection, recording each latency."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(count):
        started = time.perf_counter()
        try:
            connection.request("GET", "/hello")
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"status {response.status}")
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        latencies.append(time.perf_counter() - started)
    connection.close()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--requests", type=int, default=2000, help="requests in total (default 2000)")
    parser.add_argument("--route", choices=["sync", "async"], default="sync", help="the route's kind (default sync)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        app_file = Path(directory) / "load_app.py"
        app_file.write_text(APP.format(prefix="async " if args.route == "async" else ""))
        port = free_port()
        command = [sys.executable, "-m", "kernel.cli", "serve", str(app_file), "--port", str(port), "--log-level", "warning"]
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            wait_until_listening(port, server)
            # A few requests first, so the app's first-request work is not timed.
            client(port, 20, [], [])
            latencies: list[float] = []
            errors: list[str] = []
            share, extra = divmod(args.requests, args.clients)
            threads = [
                threading.Thread(target=client, args=(port, share + (1 if index < extra else 0), latencies, errors))
                for index in range(args.clients)
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=10)

    print(f"kernel serve, {args.route} route, {args.clients} concurrent clients, {args.requests} requests")
    print(f"  throughput  {len(latencies) / elapsed:8.0f} requests/s")
    print(f"  latency     p50 {percentile(latencies, 0.50) * 1000:.1f} ms, p99 {percentile(latencies, 0.99) * 1000:.1f} ms")
    if errors:
        print(f"  errors      {len(errors)} ({', '.join(sorted(set(errors)))})")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
