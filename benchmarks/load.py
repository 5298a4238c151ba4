"""Load benchmark: concurrent clients against ``kernel serve`` of a trivial route.

Starts ``kernel serve`` on a free local port with a one-route app (a sync
route, or an async one with ``--route async``), then has ``--clients``
clients send ``--requests`` GET requests in total, and reports the requests
per second, the latency percentiles, and the CPU time the server and the
clients spent per request. Run it with the Python of an environment where
kernel, its ``rest`` plugin and the ``serve`` extra are installed::

    .venv/bin/python benchmarks/load.py                    # 50 clients, 2000 requests, sync route
    .venv/bin/python benchmarks/load.py --route async      # the same, with an async def route
    .venv/bin/python benchmarks/load.py --new-connections  # a new connection for every request

How the load is made (see benchmarks/README.md):

- Each client is a thread sending one request at a time (a closed loop:
  the next request leaves when the answer to the last one is read), with
  the standard library's ``http.client``. Clients keep their connection
  alive between requests, as browsers and HTTP client libraries with a
  connection pool do; ``--new-connections`` opens one per request instead
  (a client without a pool), which also times the TCP handshake and the
  server's connection setup.
- The clients run in ``--client-processes`` processes of their own (2 by
  default), not in the benchmark's process, so no single interpreter lock
  serialises 50 clients. Every client connects first; the clock starts when
  all are connected and stops when the last answer is read.
- The server's CPU time per request (read from /proc on Linux) is the
  figure that depends least on what else the machine runs; the clients' CPU
  time per request shows how much of the machine the load generator takes.

Like the other benchmarks, it is run by hand, never by the test suite.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

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


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time of process ``pid`` (None where /proc is not there)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def client(port: int, count: int, fresh: bool, connected: Any, go: Any, latencies: list[float], errors: list[str]) -> None:
    """Connect, wait at ``connected`` then for ``go``, and send ``count`` requests one at a time, recording each latency."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    if not fresh:
        connection.connect()
    connected.wait()
    go.wait()
    for _ in range(count):
        if fresh:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        started = time.perf_counter()
        try:
            connection.request("GET", "/hello", headers={"Connection": "close"} if fresh else {})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"status {response.status}")
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        finally:
            if fresh:
                connection.close()
        latencies.append(time.perf_counter() - started)
    connection.close()


def client_process(port: int, counts: list[int], fresh: bool, ready: Any, go: Any, results: Any) -> None:
    """Run one client thread per entry of ``counts``; put (latencies, errors, CPU seconds) on ``results``."""
    latencies: list[float] = []
    errors: list[str] = []
    connected = threading.Barrier(len(counts) + 1)
    local_go = threading.Event()
    threads = [
        threading.Thread(target=client, args=(port, count, fresh, connected, local_go, latencies, errors)) for count in counts
    ]
    for thread in threads:
        thread.start()
    connected.wait()  # this process's clients are connected
    ready.wait()  # and so are every other process's
    go.wait()
    cpu_before = time.process_time()
    local_go.set()
    for thread in threads:
        thread.join()
    results.put((latencies, errors, time.process_time() - cpu_before))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run_load(port: int, args: argparse.Namespace) -> tuple[list[float], list[str], float, float]:
    """The latencies, errors, wall-clock seconds and client CPU seconds of one load run."""
    context = multiprocessing.get_context("spawn")
    share, extra = divmod(args.requests, args.clients)
    counts = [share + (1 if index < extra else 0) for index in range(args.clients)]
    groups = [counts[index :: args.client_processes] for index in range(args.client_processes)]
    ready = context.Barrier(args.client_processes + 1)
    go = context.Event()
    results = context.Queue()
    processes = [
        context.Process(target=client_process, args=(port, group, args.new_connections, ready, go, results)) for group in groups
    ]
    for process in processes:
        process.start()
    ready.wait()
    started = time.perf_counter()
    go.set()
    latencies: list[float] = []
    errors: list[str] = []
    client_cpu = 0.0
    for _ in processes:
        got_latencies, got_errors, cpu = results.get()
        latencies += got_latencies
        errors += got_errors
        client_cpu += cpu
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join()
    return latencies, errors, elapsed, client_cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--requests", type=int, default=2000, help="requests in total (default 2000)")
    parser.add_argument("--route", choices=["sync", "async"], default="sync", help="the route's kind (default sync)")
    parser.add_argument("--client-processes", type=int, default=2, help="processes the clients run in (default 2)")
    parser.add_argument("--new-connections", action="store_true", help="open a new connection for every request")
    args = parser.parse_args()
    args.client_processes = max(1, min(args.client_processes, args.clients))

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as directory:
        app_file = Path(directory) / "load_app.py"
        app_file.write_text(APP.format(prefix="async " if args.route == "async" else ""))
        port = free_port()
        command = [sys.executable, "-m", "kernel.cli", "serve", str(app_file), "--port", str(port), "--log-level", "warning"]
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            wait_until_listening(port, server)
            # A few requests first, so the app's first-request work is not timed.
            client(port, 20, False, _SET, _SET, [], [])
            server_before = cpu_seconds(server.pid)
            latencies, errors, elapsed, client_cpu = run_load(port, args)
            server_after = cpu_seconds(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=10)

    count = len(latencies)
    connections = "a new connection per request" if args.new_connections else "keep-alive connections"
    print(f"kernel serve, {args.route} route, {args.clients} concurrent clients, {args.requests} requests, {connections}")
    print(f"  throughput  {count / elapsed:8.0f} requests/s")
    print(f"  latency     p50 {percentile(latencies, 0.50) * 1000:.1f} ms, p99 {percentile(latencies, 0.99) * 1000:.1f} ms")
    if server_before is not None and server_after is not None and count:
        print(f"  server CPU  {(server_after - server_before) / count * 1e6:8.0f} us per request")
    if count:
        print(f"  client CPU  {client_cpu / count * 1e6:8.0f} us per request ({args.client_processes} processes)")
    print(f"  load avg    {load_before:.2f} before, {os.getloadavg()[0]:.2f} after ({os.cpu_count()} CPUs)")
    if errors:
        print(f"  errors      {len(errors)} ({', '.join(sorted(set(errors)))})")
    return 1 if errors else 0


class _Set:
    """An event that is already set (the warm-up client starts at once)."""

    def wait(self) -> None:
        return None


_SET = _Set()


if __name__ == "__main__":
    sys.exit(main())
