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
from libs import LIBRARIES, Library

HERE = Path(__file__).resolve().parent
CONTEXT = events.LambdaContext()
POWERTOOLS, KERNEL = "powertools", "kernel"


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
    loop = itertools.repeat(None, number)
    start = clock()
    for _ in loop:
        call()
    return clock() - start


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
    kernel: float | None = None  # seconds
    powertools: float | None = None
    target: float | None = None  # minimum Powertools / kernel ratio
    same: str = ""
    message: str = ""

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
        columns = f"{'kernel':>11} {'Powertools':>11} {'ratio':>7}  {'target':<7} {'result':<6} same answer"
        print(f"{'workload':<{self.WIDTH}} {columns}")

    def add(self, row: Row) -> None:
        self.rows.append(row)
        if row.message:
            print(f"{row.label:<{self.WIDTH}} {row.message}", flush=True)
            return
        target = f">= {row.target:g}x" if row.target is not None else "-"
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
        print(
            f"{row.label:<{self.WIDTH}} {_duration(row.kernel):>11} {_duration(row.powertools):>11} {ratio:>7}"
            f"  {target:<7} {row.result:<6} {row.same}",
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
            calls[lib] = partial(app.resolve, work.event, CONTEXT)
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
        ),
        Warm(
            "rest-dynamic",
            "REST warm dynamic hit (GET /users/42/orders/7)",
            small("APIGatewayRestResolver"),
            events.rest_event("GET", "/users/42/orders/7"),
            3.0,
            expect_status=200,
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
    notes = _document_differences(documents[KERNEL], documents[POWERTOOLS])
    report.note(label, notes)
    same = "yes" if not notes else "NO"

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
    report.add(Row(label, medians[KERNEL], medians[POWERTOOLS], 2.0, same=same))
    medians = {lib: statistics.median(values) for lib, values in second.items()}
    report.add(Row("OpenAPI document of a 100-route app, second call", medians[KERNEL], medians[POWERTOOLS], same=same))


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


@dataclass
class ColdSample:
    """One fresh process: wall-clock and CPU seconds seen from outside, and its own account."""

    wall: float
    cpu: float
    inside: float


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


def run_cold_start(report: Report, settings: Settings) -> None:
    """Fresh interpreters importing a library, building the small app and answering once."""
    if not settings.wanted("cold"):
        return
    env = {name: value for name, value in os.environ.items() if not name.startswith("PYTHON")}
    event_file = tempfile.NamedTemporaryFile("w", suffix=".json", prefix="kernel-bench-event-", delete=False)  # noqa: SIM115
    with event_file:
        json.dump(events.rest_event("GET", "/hello"), event_file)
    env["BENCH_EVENT"] = event_file.name
    script = str(HERE / "cold_start.py")
    python = sys.executable
    # The warm-up runs compile and cache the bytecode of the benchmark's own modules (the
    # libraries' was compiled at install time) and fill kernel's entry-point cache.
    for lib in LIBRARIES:
        for _ in range(2):
            _spawn([python, script, lib], env)

    def sample(extra_env: Callable[[], dict[str, str]]) -> dict[str, list[ColdSample]]:
        samples: dict[str, list[ColdSample]] = {lib: [] for lib in LIBRARIES}
        order = [KERNEL, POWERTOOLS]
        for _ in range(settings.cold_samples):
            for lib in order:
                wall, cpu, printed = _spawn([python, script, lib], {**env, **extra_env()})
                samples[lib].append(ColdSample(wall, cpu, float(printed) / 1000))
            order.reverse()
        return samples

    def median(samples: dict[str, list[ColdSample]], what: str) -> dict[str, float]:
        return {lib: statistics.median(getattr(item, what) for item in items) for lib, items in samples.items()}

    bare = [_spawn([python, "-c", "pass"], env) for _ in range(settings.cold_samples)]
    print(
        f"  (a bare interpreter of this environment starts and exits in {statistics.median(b[0] for b in bare) * 1000:.1f} ms"
        f" wall, {statistics.median(b[1] for b in bare) * 1000:.1f} ms CPU, medians)"
    )
    samples = sample(dict)
    for what, label, target in (
        ("wall", "cold start, whole process, wall clock", 1.0),
        ("cpu", "cold start, whole process, CPU time (user + system)", 1.0),
        ("inside", "cold start, import + build + first answer, in-process", None),
    ):
        result = median(samples, what)
        report.add(Row(label, result[KERNEL], result[POWERTOOLS], target, same="yes"))

    # A new Lambda sandbox has no cache yet: kernel scans the installed distributions for plugins.
    with tempfile.TemporaryDirectory(prefix="kernel-bench-cache-") as scratch:
        counter = itertools.count()

        def fresh_cache() -> dict[str, str]:
            return {"XDG_CACHE_HOME": os.path.join(scratch, str(next(counter)))}

        samples = sample(fresh_cache)
    for what, label in (
        ("wall", "cold start, empty entry-point cache, wall clock"),
        ("cpu", "cold start, empty entry-point cache, CPU time"),
    ):
        result = median(samples, what)
        report.add(Row(label, result[KERNEL], result[POWERTOOLS], 1.0, same="yes"))


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
    call = partial(work.app(Library(KERNEL)).resolve, work.event, CONTEXT)
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
        " valid, openapi); repeatable",
    )
    parser.add_argument("--repeats", type=int, help="batches per library for warm workloads (default 25)")
    parser.add_argument("--cold-samples", type=int, help="fresh processes per library for cold starts (default 31)")
    parser.add_argument("--profile", metavar="KEY", help="profile kernel in one warm workload (rest-static, cors-request...)")
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
            f"Cold start (fresh interpreter: import, build the small app, answer GET /hello; median of {settings.cold_samples})"
        )
        run_cold_start(report, settings)

    features = [work for work in feature_workloads() if settings.wanted(work.key)]
    if features or settings.wanted("openapi"):
        report.heading("Features (REST)")
        for work in features:
            run_warm(work, report, settings)
        run_document(report, settings)

    report.summary()
    print(f"\nfinished in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
