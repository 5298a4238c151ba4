"""One cold start: ``python cold_start.py kernel|powertools``.

Run in a fresh interpreter by the harness, many times. It imports the library,
builds the small app, answers one request, checks the answer, and prints how
long that took inside the process in milliseconds (the harness also times the
whole process from the outside, interpreter start-up included). The event is
read from the JSON file named by ``BENCH_EVENT``, written once by the harness,
so neither library's process pays for building it.
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
    app = apps.small_app(Library(sys.argv[1]))
    with open(os.environ["BENCH_EVENT"], encoding="utf-8") as handle:
        event = json.load(handle)
    response = app.resolve(event, events.LambdaContext())
    elapsed = time.perf_counter() - started
    if int(response["statusCode"]) != 200 or response["body"] != '{"message":"hello"}':
        raise SystemExit(f"unexpected cold-start response: {response!r}")
    print(f"{elapsed * 1000:.3f}")


main()
