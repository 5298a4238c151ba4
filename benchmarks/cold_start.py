"""One cold start: ``python cold_start.py kernel|powertools``.

Run in a fresh interpreter by the harness, many times. It imports the library,
builds the small app, answers one request, checks the answer, and prints how
long that took inside the process in milliseconds (the harness also times the
whole process from the outside, interpreter start-up included).
"""

import time

started = time.perf_counter()

import sys  # noqa: E402 - imported after the clock starts, like the rest

import apps  # noqa: E402
import events  # noqa: E402
from libs import Library  # noqa: E402


def main() -> None:
    app = apps.small_app(Library(sys.argv[1]))
    response = app.resolve(events.rest_event("GET", "/hello"), events.LambdaContext())
    elapsed = time.perf_counter() - started
    if int(response["statusCode"]) != 200 or response["body"] != '{"message":"hello"}':
        raise SystemExit(f"unexpected cold-start response: {response!r}")
    print(f"{elapsed * 1000:.3f}")


main()
