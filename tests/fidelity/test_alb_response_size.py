"""ALB response size validation, Powertools 3.37 and kernel side by side on the same app and events.

Each case runs one app, written once against the name table, on both
libraries; both must answer the same dict, or raise ResponseSizeExceededError
with the same sizes and message.
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from tests.events import alb_event
from tests.powertools_patterns.names import library

POWERTOOLS = library("powertools")
KERNEL = library("kernel")
LIMIT = 1024 * 1024


def sized_app(lib: SimpleNamespace, *, handler: str | None) -> Any:
    extra = {"plugins": ["alb"]} if lib is KERNEL else {}
    app = lib.ALBResolver(enable_response_size_validation=True, **extra)

    @app.get("/text/<size>")
    def text(size: str):
        return lib.Response(200, "text/plain", "a" * int(size))

    @app.get("/accents/<size>")
    def accents(size: str):
        # 6 bytes each where the runtime escapes non-ASCII text (\u00e9), 2 where it sends UTF-8.
        return lib.Response(200, "text/plain; charset=utf-8", "é" * int(size))

    if handler == "smaller":

        @app.exception_handler(lib.ResponseSizeExceededError)
        def smaller(exc):
            return lib.Response(413, "application/json", {"actual": exc.actual_size, "max": exc.max_size})

    elif handler == "still too large":

        @app.exception_handler(lib.ResponseSizeExceededError)
        def larger(exc):
            return lib.Response(200, "text/plain", "b" * (exc.actual_size + 1))

    return app


def outcome(lib: SimpleNamespace, handler: str | None, event: dict[str, Any]) -> Any:
    try:
        return sized_app(lib, handler=handler).resolve(event, None)
    except lib.ResponseSizeExceededError as exc:
        return ("raised", exc.actual_size, exc.max_size, str(exc))


def overhead(multi_value: bool) -> int:
    # The size of the /text/0 answer: what a body of n ASCII characters adds n bytes to.
    return len(json.dumps(outcome(KERNEL, None, alb_event("GET", "/text/0", multi_value=multi_value))))


CASES = [
    pytest.param(path_of, handler, multi_value, runtime, id=f"{name}-{handler}-{'multi' if multi_value else 'single'}-{runtime}")
    for name, path_of in (
        ("under", lambda over: f"/text/{LIMIT - over - 1}"),
        ("at", lambda over: f"/text/{LIMIT - over}"),
        ("one-over", lambda over: f"/text/{LIMIT - over + 1}"),
        ("unicode", lambda over: "/accents/200000"),
        ("not-found", lambda over: "/nowhere"),
    )
    for handler in (None, "smaller", "still too large")
    for multi_value in (False, True)
    for runtime in (None, "AWS_Lambda_python3.12")
]


@pytest.mark.parametrize(("path_of", "handler", "multi_value", "runtime"), CASES)
def test_both_answer_or_raise_alike(monkeypatch, path_of, handler, multi_value, runtime):
    if runtime is None:
        monkeypatch.delenv("AWS_EXECUTION_ENV", raising=False)
    else:
        monkeypatch.setenv("AWS_EXECUTION_ENV", runtime)
    event = alb_event("GET", path_of(overhead(multi_value)), multi_value=multi_value)
    theirs = outcome(POWERTOOLS, handler, event)
    ours = outcome(KERNEL, handler, event)
    assert ours == theirs


def test_the_cases_cover_both_outcomes(monkeypatch):
    # The table above is not vacuous: some cases are answered, some raise, some are handled.
    monkeypatch.delenv("AWS_EXECUTION_ENV", raising=False)
    over = overhead(False)
    assert outcome(POWERTOOLS, None, alb_event("GET", f"/text/{LIMIT - over}"))["statusCode"] == 200
    assert outcome(POWERTOOLS, None, alb_event("GET", f"/text/{LIMIT - over + 1}"))[0] == "raised"
    assert outcome(POWERTOOLS, "smaller", alb_event("GET", f"/text/{LIMIT - over + 1}"))["statusCode"] == 413
    assert outcome(POWERTOOLS, None, alb_event("GET", "/accents/200000"))[0] == "raised"
    monkeypatch.setenv("AWS_EXECUTION_ENV", "AWS_Lambda_python3.12")
    assert outcome(POWERTOOLS, None, alb_event("GET", "/accents/200000"))["statusCode"] == 200
