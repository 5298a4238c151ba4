"""The benchmark workloads and their report; run through ``python3 benchmarks/run.py``.

For every workload the same app factory (:mod:`apps`) is built once with
Powertools' names and once with kernel's, both are handed the same event, and
their answers are compared (status, body, headers) before anything is timed.
Warm workloads are timed timeit-style, in CPU time: the garbage collector off,
each library run in batches long enough to swamp the clock's resolution, the
batches of the two libraries interleaved, the minimum of many batches kept (the
least disturbed by whatever else the machine is doing). Cold starts and first
OpenAPI documents run a fresh interpreter per sample and keep the median.

Workloads that need a kernel plugin which is not installed print
``skipped: plugin missing``.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import gc
import gzip
import importlib
import itertools
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

import apps
import events
import lambda_like
from libs import LIBRARIES, Library

HERE = Path(__file__).resolve().parent
CONTEXT = events.LambdaContext()
POWERTOOLS, KERNEL, CHALICE = "powertools", "kernel", "chalice"


def chalice_installed() -> bool:
    """Chalice, the second peer, is in the benchmark environment (run.py installs it)."""
    try:
        importlib.import_module("chalice")
    except ImportError:
        return False
    return True


# -- settings ----------------------------------------------------------------------


@dataclass
class Settings:
    """How long to measure: ``--quick`` trades stability for a shorter run."""

    repeats: int = 25
    batch_seconds: float = 0.02
    cold_samples: int = 31
    document_samples: int = 9
    only: list[str] = field(default_factory=list)

    def wanted(self, key: str) -> bool:
        return not self.only or any(word in key for word in self.only)


# -- kernel plugins that may not be installed -------------------------------------------------


def missing_plugins(names: tuple[str, ...]) -> list[str]:
    """The plugins among ``names`` that are not installed."""
    missing = []
    for name in names:
        try:
            importlib.import_module("kernel_" + name.replace("-", "_"))
        except ImportError:
            missing.append(name)
    return missing


# -- comparing answers --------------------------------------------------------------


def normalise(response: dict[str, Any]) -> dict[str, Any]:
    """A response dict of any source as status, decoded body and headers (lower-cased names)."""
    if "statusCode" not in response:
        # A Bedrock agent's function-call envelope has no status or headers: compared whole, as the body.
        return {"status": 200, "body": response, "headers": {}}
    headers: dict[str, list[str]] = {}
    for name, values in (response.get("multiValueHeaders") or {}).items():
        headers.setdefault(name.lower(), []).extend(values)
    for name, value in (response.get("headers") or {}).items():
        headers.setdefault(name.lower(), []).append(value)
    if response.get("cookies"):
        headers.setdefault("set-cookie", []).extend(response["cookies"])
    raw = response.get("body") or ""
    body: Any = base64.b64decode(raw) if response.get("isBase64Encoded") else raw.encode()
    if headers.get("content-encoding") == ["gzip"]:
        body = gzip.decompress(body)
    try:
        body = json.loads(body)
    except ValueError:
        body = body.decode(errors="replace")
    return {"status": int(response["statusCode"]), "body": body, "headers": headers}


def differences(kernel: dict[str, Any], powertools: dict[str, Any]) -> tuple[bool, list[str]]:
    """(same status and body?, what differs) between two normalised answers."""
    notes = []
    same = True
    if kernel["status"] != powertools["status"]:
        same = False
        notes.append(f"status: kernel {kernel['status']}, Powertools {powertools['status']}")
    if kernel["body"] != powertools["body"]:
        same = False
        notes.append(f"body: kernel {_short(kernel['body'])}, Powertools {_short(powertools['body'])}")
    for name in sorted(set(kernel["headers"]) | set(powertools["headers"])):
        ours, theirs = kernel["headers"].get(name), powertools["headers"].get(name)
        if ours != theirs:
            notes.append(f"header {name}: kernel {ours}, Powertools {theirs}")
    return same, notes


def _short(value: Any, limit: int = 160) -> str:
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


# -- timing -----------------------------------------------------------------------


# CPU time of this process rather than wall-clock time: on a small machine shared with other
# processes, time spent waiting for a CPU says nothing about either library. Its resolution
# (clock_gettime) is far finer than one batch.
clock = time.process_time


def _batch(call: Callable[[], Any], number: int) -> float:
    if isinstance(call, AsyncCall):
        return call.batch(number)
    loop = itertools.repeat(None, number)
    start = clock()
    for _ in loop:
        call()
    return clock() - start


class AsyncCall:
    """``await resolve_async(event, context)`` as a call: an app's async resolution, timed on an event loop.

    Called, it answers one request on a new loop (``asyncio.run``), for the
    answer check. :meth:`batch` runs one event loop per batch and awaits the
    request ``number`` times in one coroutine; only that loop is timed, not
    starting and closing the event loop.
    """

    def __init__(self, resolve_async: Callable[..., Any], event: dict[str, Any], context: Any) -> None:
        self.resolve_async = resolve_async
        self.event = event
        self.context = context

    def __call__(self) -> Any:
        return asyncio.run(self.resolve_async(self.event, self.context))

    def batch(self, number: int) -> float:
        async def requests() -> float:
            resolve_async, event, context = self.resolve_async, self.event, self.context
            loop = itertools.repeat(None, number)
            start = clock()
            for _ in loop:
                await resolve_async(event, context)
            return clock() - start

        return asyncio.run(requests())


def resolver_call(work: Warm, app: Any) -> Callable[[], Any]:
    """How a workload asks ``app`` to answer its event: ``app.resolve(...)``, or ``await app.resolve_async(...)``."""
    if work.asynchronous:
        return AsyncCall(app.resolve_async, work.event, CONTEXT)
    return partial(app.resolve, work.event, CONTEXT)


def _calibrate(call: Callable[[], Any], seconds: float) -> int:
    """How many calls make one batch of about ``seconds``."""
    number = 1
    while True:
        elapsed = _batch(call, number)
        if elapsed >= seconds / 2:
            return max(1, round(number * seconds / elapsed))
        number = number * 10 if elapsed < seconds / 50 else number * 2


def time_warm(calls: dict[str, Callable[[], Any]], settings: Settings) -> dict[str, float]:
    """Seconds per call of each library: the best of ``repeats`` interleaved batches."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        numbers = {lib: _calibrate(call, settings.batch_seconds) for lib, call in calls.items()}
        best = dict.fromkeys(calls, float("inf"))
        order = list(calls)
        for _ in range(settings.repeats):
            for lib in order:
                best[lib] = min(best[lib], _batch(calls[lib], numbers[lib]) / numbers[lib])
            # Alternate who goes first so neither always runs on a freshly disturbed CPU.
            order.reverse()
    finally:
        if enabled:
            gc.enable()
    return best


# -- results and the report -----------------------------------------------------------


@dataclass
class Row:
    """One printed line of the report."""

    label: str
    kernel: float | None = None  # seconds (or MiB, see unit)
    powertools: float | None = None
    target: float | None = None  # minimum Powertools / kernel ratio
    same: str = ""
    message: str = ""
    chalice: float | None = None
    #: ``"s"`` for times, ``"MiB"`` for memory.
    unit: str = "s"
    #: Names the row for the issue targets (:data:`ISSUE_TARGETS`).
    key: str = ""

    @property
    def ratio(self) -> float | None:
        if self.kernel is None or self.powertools is None or self.kernel == 0:
            return None
        return self.powertools / self.kernel

    @property
    def result(self) -> str:
        if self.message or self.target is None or self.ratio is None:
            return ""
        return "PASS" if self.ratio >= self.target else "FAIL"


class Report:
    """Prints rows as they are measured and keeps them for the summary."""

    WIDTH = 66

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.notes: list[str] = []
        self.checks: list[tuple[str, bool]] = []

    def heading(self, text: str) -> None:
        print(f"\n{text}")
        columns = f"{'kernel':>11} {'Powertools':>11} {'Chalice':>10} {'ratio':>7}  {'target':<7} {'result':<6} same answer"
        print(f"{'workload':<{self.WIDTH}} {columns}")

    def add(self, row: Row) -> None:
        self.rows.append(row)
        if row.message:
            print(f"{row.label:<{self.WIDTH}} {row.message}", flush=True)
            return
        target = f">= {row.target:g}x" if row.target is not None else "-"
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
        amount = _duration if row.unit == "s" else _mebibytes
        print(
            f"{row.label:<{self.WIDTH}} {amount(row.kernel):>11} {amount(row.powertools):>11} {amount(row.chalice):>10}"
            f" {ratio:>7}  {target:<7} {row.result:<6} {row.same}",
            flush=True,
        )
        if row.result:
            self.checks.append((row.label, row.result == "PASS"))

    def check(self, label: str, passed: bool, text: str) -> None:
        print(f"  {text}  {'PASS' if passed else 'FAIL'}", flush=True)
        self.checks.append((label, passed))

    def note(self, label: str, lines: list[str]) -> None:
        for line in lines:
            self.notes.append(f"{label}: {line}")

    def summary(self) -> None:
        print("\nSummary")
        passed = sum(1 for _, ok in self.checks if ok)
        print(f"  targets met: {passed} of {len(self.checks)}")
        for label, ok in self.checks:
            if not ok:
                print(f"  FAIL  {label}")
        skipped = [row.label for row in self.rows if row.message.startswith("skipped")]
        errors = [f"{row.label}: {row.message}" for row in self.rows if row.message.startswith("ERROR")]
        if skipped:
            print(f"  skipped (plugin missing): {len(skipped)}")
        for error in errors:
            print(f"  {error}")
        if self.notes:
            print("\nWhere the two answers differ (status and body must match; header differences are listed for review)")
            for note in self.notes:
                print(f"  {note}")


def _mebibytes(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} MiB"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds >= 0.01:
        return f"{seconds * 1000:.1f} ms"
    if seconds >= 0.001:
        return f"{seconds * 1000:.2f} ms"
    return f"{seconds * 1e6:.1f} us"


# -- warm workloads -------------------------------------------------------------------


@dataclass
class Warm:
    """A request answered by an already built app, timed with :func:`time_warm`."""

    key: str
    label: str
    app: Callable[[Library], Any]
    event: dict[str, Any]
    target: float | None = None
    plugins: tuple[str, ...] = ()
    expect_status: int | None = None
    #: Chalice's version of the app, when it has one (REST events only).
    chalice: Callable[[], Any] | None = None
    #: Resolved with ``await app.resolve_async(event, context)`` on an event loop (:class:`AsyncCall`).
    asynchronous: bool = False


def run_warm(work: Warm, report: Report, settings: Settings) -> Row:
    missing = missing_plugins(work.plugins)
    if missing:
        row = Row(work.label, message=f"skipped: plugin missing ({', '.join('kernel_' + name for name in missing)})")
        report.add(row)
        return row
    try:
        calls: dict[str, Callable[[], Any]] = {}
        answers = {}
        for lib in (KERNEL, POWERTOOLS):
            app = work.app(Library(lib))
            calls[lib] = resolver_call(work, app)
            answers[lib] = normalise(calls[lib]())
    except Exception as exc:
        row = Row(work.label, message=f"ERROR {type(exc).__name__}: {exc}")
        report.add(row)
        report.note(work.label, traceback.format_exc().strip().splitlines()[-6:])
        return row
    same, notes = differences(answers[KERNEL], answers[POWERTOOLS])
    if work.expect_status is not None and answers[POWERTOOLS]["status"] != work.expect_status:
        same = False
        notes.append(f"Powertools answered {answers[POWERTOOLS]['status']}, the workload expects {work.expect_status}")
    if work.chalice is not None and chalice_installed():
        calls[CHALICE] = partial(work.chalice(), work.event, CONTEXT)
        theirs = normalise(calls[CHALICE]())
        if (theirs["status"], theirs["body"]) != (answers[KERNEL]["status"], answers[KERNEL]["body"]):
            same = False
            notes.append(f"Chalice answered {theirs['status']} {_short(theirs['body'])}")
    report.note(work.label, notes)
    try:
        times = time_warm(calls, settings)
    except Exception as exc:
        row = Row(work.label, message=f"ERROR while timing: {type(exc).__name__}: {exc}")
        report.add(row)
        return row
    row = Row(
        work.label,
        times[KERNEL],
        times[POWERTOOLS],
        work.target,
        same=("yes" if not notes else "yes, headers differ") if same else "NO",
        chalice=times.get(CHALICE),
        key=work.key,
    )
    report.add(row)
    return row


def small(resolver: str) -> Callable[[Library], Any]:
    return lambda lib: apps.small_app(lib, resolver)


def source_workloads() -> list[Warm]:
    """The warm hits of the small app through each event source, and the REST 404."""
    works = [
        Warm(
            "rest-static",
            "REST warm static hit (GET /hello)",
            small("APIGatewayRestResolver"),
            events.rest_event("GET", "/hello"),
            3.0,
            expect_status=200,
            chalice=apps.chalice_small_app,
        ),
        Warm(
            "rest-dynamic",
            "REST warm dynamic hit (GET /users/42/orders/7)",
            small("APIGatewayRestResolver"),
            # As API Gateway sends it: the resource template matched and its parameters (Chalice reads them).
            {
                **events.rest_event("GET", "/users/42/orders/7", resource="/users/{user_id}/orders/{order_id}"),
                "pathParameters": {"user_id": "42", "order_id": "7"},
            },
            3.0,
            expect_status=200,
            chalice=apps.chalice_small_app,
        ),
        Warm(
            "rest-404",
            "REST 404 (GET /missing/page)",
            small("APIGatewayRestResolver"),
            events.rest_event("GET", "/missing/page"),
            expect_status=404,
        ),
    ]
    for key, name, resolver, build in (
        ("http", "HTTP API v2", "APIGatewayHttpResolver", events.http_event),
        ("alb", "ALB", "ALBResolver", events.alb_event),
    ):
        works.append(
            Warm(
                f"{key}-static", f"{name} warm static hit (GET /hello)", small(resolver), build("GET", "/hello"), 3.0, (key,), 200
            )
        )
        works.append(
            Warm(
                f"{key}-dynamic",
                f"{name} warm dynamic hit (GET /users/42/orders/7)",
                small(resolver),
                build("GET", "/users/42/orders/7"),
                3.0,
                (key,),
                200,
            )
        )
    works.append(
        Warm(
            "bedrock-function",
            "Bedrock agent function call (book_hotel, 3 typed parameters)",
            apps.tools_app,
            events.function_call("book_hotel", {"hotel": "Casa Azul", "nights": 2, "breakfast": True}),
            None,
            ("bedrock-function",),
        )
    )
    return works


def feature_workloads() -> list[Warm]:
    """CORS, compression and validation: workloads of the feature plugins."""
    origin = "https://app.example.com"
    return [
        Warm(
            "cors-preflight",
            "CORS preflight (OPTIONS /hello)",
            lambda lib: apps.cors_app(lib, middleware=False),
            events.rest_event(
                "OPTIONS",
                "/hello",
                headers={
                    "Origin": origin,
                    "Access-Control-Request-Method": "PUT",
                    "Access-Control-Request-Headers": "X-Request-Id",
                },
            ),
            3.0,
            ("cors",),
            204,
        ),
        Warm(
            "cors-request",
            "CORS request through a global middleware (GET /hello)",
            lambda lib: apps.cors_app(lib, middleware=True),
            events.rest_event("GET", "/hello", headers={"Origin": origin}),
            3.0,
            ("cors",),
            200,
        ),
        Warm(
            "compress",
            f"gzip-compressed response ({len(json.dumps(apps.REPORT)) / 1024:.1f} KB JSON)",
            apps.compress_app,
            events.rest_event("GET", "/report", headers={"Accept-Encoding": "gzip"}),
            1.5,
            ("compression",),
            200,
        ),
        Warm(
            "valid-get",
            "validated GET, path + query (GET /items/42?q=shoes&limit=20)",
            apps.validated_app,
            events.rest_event("GET", "/items/42", query={"q": "shoes", "limit": "20"}),
            2.0,
            ("validation",),
            200,
        ),
        Warm(
            "valid-put",
            "validated PUT, pydantic model body (PUT /items/42)",
            apps.validated_app,
            events.rest_event("PUT", "/items/42", body={"name": "Trail shoe", "price": 59.9, "tags": ["sale"]}),
            2.0,
            ("validation",),
            200,
        ),
        Warm(
            "valid-422",
            "invalid PUT answered 422 (PUT /items/42)",
            apps.validated_app,
            events.rest_event("PUT", "/items/42", body={"name": "", "price": "cheap"}),
            2.0,
            ("validation",),
            422,
        ),
        Warm(
            "depends",
            "two nested Depends() reading the request (GET /orders/7)",
            apps.dependencies_app,
            events.rest_event("GET", "/orders/7", headers={"X-Tenant": "acme"}),
            2.0,
            (),
            200,
        ),
        Warm(
            "form-post",
            "validated form post, 3 fields (POST /signup)",
            apps.forms_app,
            events.rest_event(
                "POST",
                "/signup",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                body="email=ada%40example.com&age=36&topics=maths&topics=looms",
            ),
            2.0,
            ("validation",),
            200,
        ),
        Warm(
            "upload-100k",
            "validated multipart upload, a 100 KB file (POST /upload)",
            apps.forms_app,
            events.rest_multipart_event(
                "/upload", [("document", "scan.bin", bytes(range(256)) * 400), ("title", None, b"Lease")]
            ),
            2.0,
            ("validation",),
            200,
        ),
        Warm(
            "async-route",
            "async def route via await resolve_async (GET /users/42/orders/7)",
            apps.async_app,
            events.rest_event("GET", "/users/42/orders/7"),
            2.0,
            (),
            200,
            asynchronous=True,
        ),
    ]


# -- route count --------------------------------------------------------------------------


def run_route_count(report: Report, settings: Settings) -> None:
    """The last registered route of apps with 100, 1,000 and 5,000 routes."""
    counts = (100, 1000, 5000)
    for dynamic in (False, True):
        kind = "dynamic" if dynamic else "static"
        key = f"routes-{kind}"
        if not settings.wanted(key):
            continue
        rows = {}
        for count in counts:
            last = count - 1
            path = f"/api/v1/resource{last}/abc" if dynamic else f"/api/v1/resource{last}"
            work = Warm(
                key,
                f"REST last of {count:,} {kind} routes (GET {path})",
                partial(apps.many_routes_app, count=count, dynamic=dynamic),
                events.rest_event("GET", path),
                expect_status=200,
            )
            rows[count] = run_warm(work, report, settings)
        low, high = rows[counts[0]], rows[counts[-1]]
        if low.kernel and high.kernel and low.powertools and high.powertools:
            growth = high.kernel / low.kernel
            theirs = high.powertools / low.powertools
            report.check(
                f"{kind} routes: kernel 5,000 vs 100 routes",
                growth <= 1.5,
                f"{kind} routes, time on 5,000 / time on 100: kernel {growth:.2f}x (target <= 1.5x), Powertools {theirs:.2f}x",
            )


# -- OpenAPI document -----------------------------------------------------------------


def run_document(report: Report, settings: Settings) -> None:
    """Generating the OpenAPI document of a 100-route app: the first one in a process, and a second."""
    label = "OpenAPI document of a 100-route app, first in a process"
    if not settings.wanted("openapi"):
        return
    missing = missing_plugins(("validation", "openapi"))
    if missing:
        report.add(Row(label, message=f"skipped: plugin missing ({', '.join('kernel_' + name for name in missing)})"))
        return
    try:
        documents = {lib: json.loads(apps.openapi_app(Library(lib)).get_openapi_json_schema()) for lib in (KERNEL, POWERTOOLS)}
    except Exception as exc:
        report.add(Row(label, message=f"ERROR {type(exc).__name__}: {exc}"))
        report.note(label, traceback.format_exc().strip().splitlines()[-6:])
        return
    notes = _document_differences(documents[KERNEL], _deliberately_different(documents[POWERTOOLS]))
    report.note(label, notes)
    # Equal once the deliberate differences of docs/migrating.md are applied to Powertools' document.
    same = "yes, but as listed" if not notes else "NO"

    # Each sample in a fresh process: both libraries keep what they learnt about route
    # signatures for the life of the process, so a second app in one process is cheaper.
    env = {name: value for name, value in os.environ.items() if not name.startswith("PYTHON")}
    script = str(HERE / "openapi_document.py")
    first: dict[str, list[float]] = {lib: [] for lib in LIBRARIES}
    second: dict[str, list[float]] = {lib: [] for lib in LIBRARIES}
    order = [KERNEL, POWERTOOLS]
    for _ in range(settings.document_samples):
        for lib in order:
            _, _, printed = _spawn([sys.executable, script, lib], env)
            one, two = (float(value) / 1000 for value in printed.split())
            first[lib].append(one)
            second[lib].append(two)
        order.reverse()
    medians = {lib: statistics.median(values) for lib, values in first.items()}
    report.add(Row(label, medians[KERNEL], medians[POWERTOOLS], 2.0, same=same, key="openapi-first"))
    medians = {lib: statistics.median(values) for lib, values in second.items()}
    report.add(Row("OpenAPI document of a 100-route app, second call", medians[KERNEL], medians[POWERTOOLS], same=same))


def _deliberately_different(document: dict[str, Any]) -> dict[str, Any]:
    """Powertools' OpenAPI document as kernel writes it on purpose.

    The deliberate differences (each explained in docs/migrating.md) are
    listed once, in tests/known_differences.py, where the fidelity tests read
    them too; each difference that shows in documents says how.
    """
    root = str(HERE.parent)
    if root not in sys.path:
        sys.path.append(root)
    from tests.known_differences import KNOWN

    document = json.loads(json.dumps(document))
    for difference in KNOWN:
        if difference.document is not None:
            document = difference.document(document)
    return document


def _document_differences(ours: Any, theirs: Any, limit: int = 15) -> list[str]:
    """Where two JSON documents differ; differences repeated per route are listed once, with a count."""
    found: list[str] = []

    def walk(a: Any, b: Any, path: str) -> None:
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b)):
                if key not in a:
                    found.append(f"{path}.{key}: only Powertools has it: {_short(b[key], 100)}")
                elif key not in b:
                    found.append(f"{path}.{key}: only kernel has it: {_short(a[key], 100)}")
                else:
                    walk(a[key], b[key], f"{path}.{key}")
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for index, (x, y) in enumerate(zip(a, b, strict=True)):
                walk(x, y, f"{path}[{index}]")
        elif a != b:
            found.append(f"{path}: kernel {_short(a, 100)}, Powertools {_short(b, 100)}")

    walk(ours, theirs, "$")
    # The app's routes differ only by their number: "resource7" and "resource8" are the same difference.
    groups: dict[str, int] = {}
    for line in found:
        pattern = re.sub(r"\d+", "N", line)
        groups[pattern] = groups.get(pattern, 0) + 1
    lines = [f"{pattern} (x{count})" if count > 1 else pattern for pattern, count in groups.items()]
    if len(lines) > limit:
        lines = [*lines[:limit], f"... and {len(lines) - limit} more kinds of difference"]
    return lines


# -- cold start -------------------------------------------------------------------------------


def _spawn(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run ``command``; return its wall-clock seconds, its CPU seconds (user + system) and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=HERE, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, done.stdout.strip()


def _write_event(event: dict[str, Any]) -> str:
    handle = tempfile.NamedTemporaryFile("w", suffix=".json", prefix="kernel-bench-event-", delete=False)  # noqa: SIM115
    with handle:
        json.dump(event, handle)
    os.chmod(handle.name, 0o644)
    return handle.name


def run_cold_start(report: Report, settings: Settings) -> None:
    """Fresh interpreters, as on Lambda, importing a library, building an app and answering twice."""
    if not settings.wanted("cold"):
        return
    if not lambda_like.PYTHON.exists():
        report.add(Row("cold start", message="skipped: benchmarks/.venv-lambda is missing (run through run.py)"))
        return
    libraries = [KERNEL, POWERTOOLS, *([CHALICE] if chalice_installed() else [])]
    packages = lambda_like.packages_for(libraries)
    for package in packages:
        lambda_like.build(package)
    small_event = _write_event(events.rest_event("GET", "/hello"))
    validated_event = _write_event(
        events.rest_event("PUT", "/items/42", body={"name": "Trail shoe", "price": 59.9, "tags": ["sale"]})
    )
    sandbox = lambda_like.Sandbox()
    try:
        hwm = "print(next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:')))"
        bare = [
            lambda_like.run([str(lambda_like.PYTHON), "-c", hwm], lambda_like.HERE, sandbox.env(small_event))
            for _ in range(settings.cold_samples)
        ]
        print(
            f"  (the runtime's interpreter alone starts and exits in {statistics.median(b[0] for b in bare) * 1000:.1f} ms"
            f" wall, {statistics.median(int(b[2]) for b in bare) / 1024:.1f} MiB peak RSS, medians)"
        )
        for package in packages:  # warm the file cache; nothing else survives a sample
            lambda_like.sample(package, "small", sandbox, small_event)
        runs = [(package.name, partial(lambda_like.sample, package, "small", sandbox, small_event)) for package in packages]
        runs += [
            (
                f"{library}-validated",
                partial(lambda_like.sample, lambda_like.Package(library), "validated", sandbox, validated_event),
            )
            for library in (KERNEL, POWERTOOLS)
        ]
        # The validated app's floor: its own model alone (pydantic imported, the class built), no library.
        runs.append(("own-code", partial(lambda_like.sample, lambda_like.Package(KERNEL), "own-code", sandbox, validated_event)))
        # The design's floors: pluggy, and pluggy with stevedore's scan of kernel's groups, in
        # kernel's packages, no kernel code (the groups are named here, by kernel's own list).
        import kernel.manifest as manifest

        for compiled in (False, True):
            package = lambda_like.Package(KERNEL, compiled=compiled)
            for kind, groups in (("floor", ()), ("floor-scan", manifest.GROUPS)):
                runs.append((_variant(kind, compiled), partial(lambda_like.sample, package, kind, sandbox, small_event, *groups)))
        samples = lambda_like.interleaved(runs, settings.cold_samples)

        def median(name: str, what: str) -> float | None:
            found = samples.get(name)
            return statistics.median(getattr(item, what) for item in found) if found else None

        def row(label: str, kernel: str, what: str, key: str = "", compiled: bool = False, unit: str = "s") -> None:
            report.add(
                Row(
                    label,
                    median(_variant(kernel, compiled), what),
                    median(_variant(POWERTOOLS, compiled), what),
                    same="yes",
                    chalice=median(_variant(CHALICE, compiled), what),
                    unit=unit,
                    key=key,
                )
            )

        for compiled, how in ((False, "no bytecode shipped"), (True, "bytecode shipped")):
            # The issue's targets are read on the rows without bytecode, Lambda's default.
            key = (lambda name: "") if compiled else (lambda name: name)
            row(f"cold start, {how}, wall clock", KERNEL, "wall", key("cold-default"), compiled)
            row(f"cold start, {how}, frozen manifest, wall clock", "kernel-manifest", "wall", key("cold-manifest"), compiled)
            row(f"cold start, {how}, CPU time (user + system)", KERNEL, "cpu", compiled=compiled)
            row(f"cold start, {how}, frozen manifest, CPU time", "kernel-manifest", "cpu", compiled=compiled)
            row(f"peak RSS, {how}", KERNEL, "rss", key("rss-default"), compiled, "MiB")
            row(f"peak RSS, {how}, frozen manifest", "kernel-manifest", "rss", key("rss-manifest"), compiled, "MiB")
            row(f"  in-process: import + build + first answer, {how}", KERNEL, "first", compiled=compiled)
            row(f"  in-process: the second request, {how}", KERNEL, "second", compiled=compiled)
            floors = [
                (f"design floor, {how}: pluggy alone, wall clock", "floor"),
                (f"design floor, {how}: pluggy and stevedore's scan, wall clock", "floor-scan"),
            ]
            for label, name in floors:
                report.add(Row(label, median(_variant(name, compiled), "wall"), median(_variant(POWERTOOLS, compiled), "wall")))
            if not compiled:  # the targets' rows
                for target_key, name, what in (
                    ("cold-manifest", "floor", "wall"),
                    ("cold-default", "floor-scan", "wall"),
                    ("rss-manifest", "floor", "rss"),
                    ("rss-default", "floor-scan", "rss"),
                ):
                    floor_value, powertools_value = median(name, what), median(POWERTOOLS, what)
                    if floor_value is not None and powertools_value:
                        FLOORS[target_key] = floor_value / powertools_value
        report.add(
            Row(
                "validated app (pydantic model body), no bytecode shipped, wall",
                median("kernel-validated", "wall"),
                median("powertools-validated", "wall"),
                same="yes",
                key="cold-validated",
            )
        )
        floor = median("own-code", "wall")
        kernel_validated, powertools_validated = median("kernel-validated", "wall"), median("powertools-validated", "wall")
        if floor is not None and kernel_validated is not None and powertools_validated is not None:
            FLOORS["cold-validated"] = floor / powertools_validated
            print(
                f"  (the validated app's own code alone, pydantic and its model with no library: {floor * 1000:.1f} ms wall,"
                f" {floor / powertools_validated:.2f}x Powertools' whole cold start: no library can start this app faster)"
            )
            report.add(
                Row(
                    "validated app, above its own code (wall minus that floor)",
                    kernel_validated - floor,
                    powertools_validated - floor,
                    same="yes",
                )
            )
        run_runtime_client(report, settings, libraries, sandbox)
        for package in (lambda_like.Package(KERNEL), lambda_like.Package(KERNEL, frozen=True)):
            print(f"\n  -X importtime of kernel's cold start ({package.name}), the ten slowest imports by own time:")
            for line in lambda_like.import_times(package, "small", sandbox, small_event):
                print(f"    {line}")
    finally:
        sandbox.close()
        os.unlink(small_event)
        os.unlink(validated_event)


def _variant(name: str, compiled: bool) -> str:
    """The samples' key of a package (or floor) ``name``, with bytecode shipped or not (as Package.name)."""
    return f"{name}-pyc" if compiled else name


def run_runtime_client(report: Report, settings: Settings, libraries: list[str], sandbox: lambda_like.Sandbox) -> None:
    """The packages (no bytecode shipped) started by awslambdaric against a local Runtime API."""
    try:
        lambda_like.build_runtime()
    except metadata.PackageNotFoundError:
        report.add(Row("under awslambdaric", message="skipped: awslambdaric is not installed (run through run.py)"))
        return
    event = events.rest_event("GET", "/hello")
    packages = [lambda_like.Package(KERNEL), lambda_like.Package(KERNEL, frozen=True)]
    packages += [lambda_like.Package(library) for library in libraries if library != KERNEL]
    runs = [(package.name, partial(lambda_like.runtime_sample, package, sandbox, event)) for package in packages]
    samples = lambda_like.interleaved(runs, max(3, settings.cold_samples // 3))

    def median(name: str, what: str) -> float | None:
        found = samples.get(name)
        return statistics.median(getattr(item, what) for item in found) if found else None

    for kernel, how in ((KERNEL, ""), ("kernel-manifest", ", frozen manifest")):
        for what, label in (("init", "init (start to first event asked)"), ("first_invoke", "first invoke")):
            report.add(
                Row(
                    f"under awslambdaric{how}: {label}",
                    median(kernel, what),
                    median(POWERTOOLS, what),
                    same="yes",
                    chalice=median(CHALICE, what),
                )
            )


# -- the issue's targets ----------------------------------------------------------------------

#: What no kernel app can beat, as a ratio to Powertools, by row key: the process that only imports
#: what kernel's design requires (pluggy; stevedore's scan without a manifest), or, for the
#: validated app, its own model alone. Filled by :func:`run_cold_start`.
FLOORS: dict[str, float] = {}

#: The targets of the cold-start issue (and of async routes): kernel / Powertools at most this, by row key.
ISSUE_TARGETS = {
    "cold-default": ("cold start, default install (no manifest, no bytecode shipped)", 0.5),
    "cold-manifest": ("cold start with a frozen manifest", 0.35),
    "cold-validated": ("cold start of the validated app", 0.6),
    "rss-default": ("peak RSS, default install", 0.75),
    "rss-manifest": ("peak RSS with a frozen manifest", 0.6),
    "rest-static": ("warm static hit (REST)", 0.2),
    "rest-dynamic": ("warm dynamic hit (REST)", 0.2),
    "rest-404": ("warm 404 (REST)", 0.2),
    "compress": ("warm gzip of 5 KB JSON", 0.5),
    "async-route": ("warm async def route via resolve_async (REST)", 0.5),
    "openapi-first": ("OpenAPI document of a 100-route app, first in a process", 0.3),
}


def issue_targets(report: Report) -> None:
    """kernel / Powertools (and kernel / Chalice) for each row the issue sets a target on."""
    rows = {row.key: row for row in report.rows if row.key and row.kernel and row.powertools}
    if not rows:
        return
    print("\nIssue targets: kernel / Powertools (lower is better; kernel / Chalice beside it where Chalice has the row)")
    for key, (label, target) in ISSUE_TARGETS.items():
        row = rows.get(key)
        if row is None or row.kernel is None or row.powertools is None:
            continue
        ratio = row.kernel / row.powertools
        versus = f", kernel / Chalice {row.kernel / row.chalice:.2f}x" if row.chalice else ""
        if key in FLOORS:
            versus += f", floor {FLOORS[key]:.2f}x"
        report.check(f"issue: {label}", ratio <= target, f"{label:<62} {ratio:.2f}x (target <= {target:g}x){versus}")


# -- main ------------------------------------------------------------------------------


def _versions() -> str:
    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    return (
        f"kernel {version('kernel')} (this tree), aws-lambda-powertools {version('aws-lambda-powertools')},"
        f" pydantic {version('pydantic')}, Python {platform.python_version()}"
    )


def profile(key: str, seconds: float = 2.0) -> None:
    """Print where kernel's time goes in one warm workload (cProfile, by own time)."""
    import cProfile
    import pstats

    works = {work.key: work for work in [*source_workloads(), *feature_workloads()]}
    if key not in works:
        raise SystemExit(f"no warm workload {key!r}; choose from {', '.join(works)}")
    work = works[key]
    missing = missing_plugins(work.plugins)
    if missing:
        raise SystemExit(f"skipped: plugin missing ({', '.join(missing)})")
    call = resolver_call(work, work.app(Library(KERNEL)))
    print(f"{work.label}: {normalise(call())}")
    number = _calibrate(call, seconds)
    profiler = cProfile.Profile()
    profiler.runcall(_batch, call, number)
    print(f"{number} requests (times include the profiler's own overhead)")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def parse_arguments(argv: list[str]) -> Settings:
    parser = argparse.ArgumentParser(description="Compare kernel with Powertools on the same apps and events.")
    parser.add_argument("--quick", action="store_true", help="fewer and shorter samples: a rough run in well under a minute")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="WORD",
        help="run the workloads whose key contains WORD (rest, http, alb, bedrock, routes, cold, cors, compress,"
        " valid, depends, form, upload, async, openapi); repeatable",
    )
    parser.add_argument("--repeats", type=int, help="batches per library for warm workloads (default 25)")
    parser.add_argument("--cold-samples", type=int, help="fresh processes per library for cold starts (default 31)")
    parser.add_argument(
        "--profile", metavar="KEY", help="profile kernel in one warm workload (rest-static, cors-request, async-route...)"
    )
    arguments = parser.parse_args(argv)
    if arguments.profile:
        profile(arguments.profile)
        raise SystemExit(0)
    settings = Settings(only=arguments.only)
    if arguments.quick:
        settings = Settings(repeats=3, batch_seconds=0.015, cold_samples=7, document_samples=3, only=arguments.only)
    if arguments.repeats:
        settings.repeats = arguments.repeats
    if arguments.cold_samples:
        settings.cold_samples = arguments.cold_samples
    return settings


def main(argv: list[str]) -> None:
    settings = parse_arguments(argv)
    started = time.perf_counter()
    print("kernel vs Powertools: the same apps and events on both")
    print(f"  {_versions()}")
    print(f"  {os.cpu_count()} CPUs, load average {', '.join(f'{load:.2f}' for load in os.getloadavg())}")
    print(
        f"  warm: CPU time per request, best of {settings.repeats} interleaved batches of about"
        f" {settings.batch_seconds * 1000:.0f} ms each; ratio = Powertools / kernel (above 1: kernel is faster)"
    )
    report = Report()

    sources = [work for work in source_workloads() if settings.wanted(work.key)]
    if sources:
        report.heading("Event sources (the small app, 6 routes)")
        for work in sources:
            run_warm(work, report, settings)

    if settings.wanted("routes"):
        report.heading("Route count (REST)")
        run_route_count(report, settings)

    if settings.wanted("cold"):
        report.heading(
            f"Cold start as on Lambda (read-only code and home, fresh /tmp, no bytecode written; import, build the small"
            f" app, answer GET /hello twice; median of {settings.cold_samples})"
        )
        run_cold_start(report, settings)

    features = [work for work in feature_workloads() if settings.wanted(work.key)]
    if features or settings.wanted("openapi"):
        report.heading("Features (REST)")
        for work in features:
            run_warm(work, report, settings)
        run_document(report, settings)

    issue_targets(report)
    report.summary()
    print(f"\nfinished in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
