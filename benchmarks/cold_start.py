"""One cold start: ``python cold_start.py kernel|powertools|chalice [small|validated|own-code|floor|floor-scan GROUP...]``.

Run in a fresh interpreter by the harness, many times, from a deployment
package directory (see :mod:`lambda_like`). It imports the library, builds the
app (the small app, or the validated one), answers one request, checks the
answer, answers the same request again, and prints as JSON how long the first
answer took from the start of the process's own code (``first_ms``: imports,
build and first response), how long the second took (``second_ms``), so no
cold-start figure can hide work moved to the first request, and the process's
peak resident memory (``peak_rss_kib``). The event is read
from the JSON file named by ``BENCH_EVENT``, written once by the harness, so
no library's process pays for building it.
"""

import time

started = time.perf_counter()

import json  # noqa: E402 - imported after the clock starts, like the rest
import os  # noqa: E402
import sys  # noqa: E402

import apps  # noqa: E402
import events  # noqa: E402
from libs import Library  # noqa: E402


def main() -> None:
    library = sys.argv[1]
    kind = sys.argv[2] if len(sys.argv) > 2 else "small"
    if kind == "own-code":
        # The floor under the validated app: its own model (pydantic imported, the class
        # built) and nothing of any library. No request is answered.
        apps.item_model()
        print(json.dumps({"first_ms": (time.perf_counter() - started) * 1000, "second_ms": 0.0, "peak_rss_kib": peak_rss_kib()}))
        return
    if kind in ("floor", "floor-scan"):
        # The floor under any kernel app: what kernel's design makes it import before any
        # code of its own (pluggy, which plugins register with; "floor-scan" adds
        # stevedore's scan of the installed entry points, the default install's
        # discovery when no frozen manifest is shipped). No request is answered.
        # The groups come from the harness (kernel.manifest.GROUPS): no kernel code runs here.
        design_floor(sys.argv[3:] if kind == "floor-scan" else [])
        print(json.dumps({"first_ms": (time.perf_counter() - started) * 1000, "second_ms": 0.0, "peak_rss_kib": peak_rss_kib()}))
        return
    if library == "chalice":
        respond = apps.chalice_small_app()
    else:
        lib = Library(library)
        respond = (apps.validated_app(lib) if kind == "validated" else apps.small_app(lib)).resolve
    with open(os.environ["BENCH_EVENT"], encoding="utf-8") as handle:
        event = json.load(handle)
    context = events.LambdaContext()
    response = respond(event, context)
    first = time.perf_counter() - started
    expected = '{"message":"hello"}' if kind == "small" else None
    if int(response["statusCode"]) != 200 or (expected is not None and response["body"] != expected):
        raise SystemExit(f"unexpected cold-start response: {response!r}")
    start = time.perf_counter()
    again = respond(event, context)
    second = time.perf_counter() - start
    if again["statusCode"] != response["statusCode"]:
        raise SystemExit(f"unexpected second response: {again!r}")
    print(json.dumps({"first_ms": first * 1000, "second_ms": second * 1000, "peak_rss_kib": peak_rss_kib()}))


def design_floor(groups: list[str]) -> None:
    """Import pluggy and, when ``groups`` are given (kernel's, from the harness), have stevedore scan them."""
    import pluggy

    pluggy.PluginManager("kernel")
    if groups:
        import tempfile

        from stevedore import _cache  # what kernel's fallback calls, with its cache in the temporary directory

        cache = _cache.Cache(os.path.join(tempfile.gettempdir(), "floor-entry-points"))
        for group in groups:
            cache.get_group_all(group)


def peak_rss_kib() -> int:
    """This process's peak resident set (Linux's VmHWM, which exec resets; ru_maxrss elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    # Linux's ru_maxrss also counts the harness's memory copied at fork, before exec: a floor, hence VmHWM.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


main()
