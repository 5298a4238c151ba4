"""Servers and a browser for the end-to-end tests.

The example app runs under ``kernel serve`` in a subprocess on a free port;
the browser is the system's Chromium (``apt-get install chromium``), driven by
Playwright without downloading a browser of its own. ``KERNEL_E2E_CHROMIUM``
names its executable when it is not ``/usr/bin/chromium``. Without one, the
browser tests are skipped with the reason, except in CI (``CI`` set), where
they must run and fail instead.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from typing import Literal

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BOOKSTORE = "examples/bookstore.py"
COMPRESSED = "tests/e2e/compressed_app.py"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM = os.environ.get("KERNEL_E2E_CHROMIUM") or DEFAULT_CHROMIUM
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Generous: a cold CI machine imports pydantic and the app before answering.
STARTUP_TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def kernel_serve(app: str, *options: str, log: pathlib.Path) -> Iterator[str]:
    """Run ``kernel serve APP`` until the block ends; yield its base URL."""
    port = _free_port()
    command = [sys.executable, "-m", "kernel.cli", "serve", app, "--port", str(port), "--log-level", "warning", *options]
    with open(log, "w", encoding="utf-8") as output:
        process = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(process, f"{url}/swagger?format=json", log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(process: subprocess.Popen[bytes], url: str, log: pathlib.Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        if process.poll() is not None:
            pytest.fail(f"kernel serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as reply:
                if reply.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"kernel serve did not answer {url} within {STARTUP_TIMEOUT:.0f} s:\n{log.read_text()}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def bookstore(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example bookstore served as API Gateway REST events, at the URL root."""
    with kernel_serve(BOOKSTORE, log=tmp_path_factory.mktemp("serve") / "bookstore.log") as url:
        yield url


@pytest.fixture(scope="module")
def bookstore_on_a_stage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bookstore with events claiming the stage ``prod``, while the browser sees the URL root.

    So the default server the app puts in its document (``/prod``) is not where
    the browser reaches the API, as behind a custom domain or a proxy.
    """
    log = tmp_path_factory.mktemp("serve") / "bookstore-prod.log"
    with kernel_serve(BOOKSTORE, "--source", "rest", "--event-option", "stage=prod", log=log) as url:
        yield url


@pytest.fixture(scope="module")
def compressed_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """tests/e2e/compressed_app.py (Swagger with compress=True) served as HTTP API events.

    Its routes are reached under ``/api`` (removed by the app's ``strip_prefixes``).
    """
    with kernel_serve(COMPRESSED, log=tmp_path_factory.mktemp("serve") / "compressed.log") as url:
        yield url


def missing_chromium(environ: Mapping[str, str]) -> tuple[Literal["skip", "fail"], str] | None:
    """Whether the browser tests must be skipped or failed for want of Chromium, and why; None when they can run.

    A wrong ``KERNEL_E2E_CHROMIUM`` is a mistake to fix, so it fails. No browser
    at all is only a machine without one (macOS, no root), so it skips, except
    in CI (``CI`` set), which must run these tests.
    """
    configured = environ.get("KERNEL_E2E_CHROMIUM")
    path = configured or DEFAULT_CHROMIUM
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return None
    if configured:
        return "fail", f"KERNEL_E2E_CHROMIUM is {configured!r}, which is not an executable file"
    reason = (
        f"no Chromium at {path}: install it (Debian: apt-get install chromium; macOS: brew install --cask chromium)"
        " and set KERNEL_E2E_CHROMIUM to its executable when it is elsewhere"
    )
    if environ.get("CI"):
        return "fail", f"{reason} (CI must run the browser tests)"
    return "skip", reason


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Chromium from the system (never a downloaded one).

    Module-scoped: Playwright's sync API keeps an asyncio event loop running in
    this thread while it is open, and tests that follow (``asyncio.run``, the
    async resolver's tests) must not find one.
    """
    from playwright.sync_api import sync_playwright

    missing = missing_chromium(os.environ)
    if missing is not None:
        verdict, why = missing
        if verdict == "fail":
            pytest.fail(why)
        pytest.skip(why)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
