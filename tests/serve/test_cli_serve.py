"""``kernel serve``: a real server in a subprocess, reload on change, and its error messages."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kernel import asgi
from kernel.asgi import servable_sources
from kernel.cli import main

APP_SOURCE = """
from kernel import APIGatewayRestResolver, Response

app = APIGatewayRestResolver(plugins=["rest"])


@app.get("/hello/<name>")
def hello(name):
    return {{"message": "{greeting} " + name, "tags": app.current_event.get_multi_value_query_string_values("tag")}}


@app.post("/echo")
def echo():
    return Response(200, "application/octet-stream", app.current_event.decoded_body.encode())
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_app(directory: Path, greeting: str) -> Path:
    path = directory / "served_app.py"
    path.write_text(APP_SOURCE.format(greeting=greeting))
    return path


def get(url: str, deadline: float) -> tuple[int, dict[str, str], bytes]:
    """GET ``url``, retrying while the server is not listening yet, until ``deadline``."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as reply:
                return reply.status, dict(reply.headers), reply.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()
        except (ConnectionError, TimeoutError, urllib.error.URLError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def start(*args: str) -> subprocess.Popen[str]:
    # start_new_session: uvicorn's reloader spawns a worker; stopping the group stops both.
    return subprocess.Popen(
        [sys.executable, "-m", "kernel.cli", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def stop(process: subprocess.Popen[str]) -> str:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return process.stdout.read() if process.stdout else ""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, int, list[subprocess.Popen[str]]]]:
    processes: list[subprocess.Popen[str]] = []
    yield tmp_path, free_port(), processes
    for process in processes:
        stop(process)


def test_serve_answers_http_requests(served):
    directory, port, processes = served
    app_file = write_app(directory, "hello")
    process = start(str(app_file), "--port", str(port))
    processes.append(process)
    base = f"http://127.0.0.1:{port}"
    status, headers, body = get(f"{base}/hello/ada?tag=a&tag=b", time.monotonic() + 15)
    assert status == 200
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {"message": "hello ada", "tags": ["a", "b"]}

    request = urllib.request.Request(f"{base}/echo", data="héllo".encode(), headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(request, timeout=5) as reply:
        assert reply.read() == "héllo".encode()

    status, _, body = get(f"{base}/missing", time.monotonic() + 5)
    assert (status, json.loads(body)) == (404, {"statusCode": 404, "message": "Not found"})
    output = stop(process)
    # Its only GET route takes a parameter: no page to point at, the address alone.
    assert f"kernel: serving {app_file} as 'rest' events on http://127.0.0.1:{port}\nINFO" in output
    assert "kernel: open" not in output


def test_serve_reload_picks_up_a_changed_app(served):
    directory, port, processes = served
    app_file = write_app(directory, "hello")
    process = start(str(app_file), "--port", str(port), "--reload")
    processes.append(process)
    url = f"http://127.0.0.1:{port}/hello/ada"
    assert json.loads(get(url, time.monotonic() + 15)[2])["message"] == "hello ada"

    deadline = time.monotonic() + 18
    written = 0.0
    message = None
    while message != "goodbye ada":
        if time.monotonic() > deadline:
            pytest.fail(f"the change was not picked up (still {message!r}); server output:\n{stop(process)}")
        # Written again every few seconds: the server can answer before its
        # file watcher is running, and a change made in that gap is not seen.
        if time.monotonic() - written > 3:
            write_app(directory, "goodbye")
            written = time.monotonic()
        time.sleep(0.2)
        try:
            message = json.loads(get(url, deadline)[2])["message"]
        except (ConnectionError, urllib.error.URLError):
            message = None  # the worker is restarting


def test_serve_without_uvicorn_names_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    with pytest.raises(SystemExit) as raised:
        main(["serve", str(write_app(tmp_path, "hi"))])
    assert raised.value.code == 'kernel: serve needs uvicorn and watchfiles: pip install "uvicorn>=0.30" "watchfiles>=0.21"'


def test_serve_with_a_source_the_app_does_not_accept_fails_clearly(tmp_path):
    with pytest.raises(SystemExit, match=r"kernel: The app only accepts 'rest' events, so it cannot be served as 'alb'"):
        main(["serve", str(write_app(tmp_path, "hi")), "--source", "alb"])


def test_serve_with_a_source_that_does_not_exist_lists_the_installed_ones(tmp_path):
    app_file = tmp_path / "anyapp.py"
    app_file.write_text("from kernel import App\napp = App(plugins=['rest'])\n")
    with pytest.raises(SystemExit) as raised:
        main(["serve", str(app_file), "--source", "bogus"])
    servable = ", ".join(servable_sources())
    assert raised.value.code == f"kernel: There is no event source 'bogus'. The installed sources that can be served: {servable}"
    assert "pip install" not in str(raised.value.code)


def test_serve_with_one_of_our_sources_not_installed_names_the_extra(monkeypatch, tmp_path):
    # As if "nowhere" were one of the project's sources whose extra is not installed.
    monkeypatch.setattr(asgi, "SOURCE_OF", {**asgi.SOURCE_OF, "test": "nowhere"})
    app_file = tmp_path / "anyapp.py"
    app_file.write_text("from kernel import App\napp = App(plugins=['rest'])\n")
    with pytest.raises(SystemExit, match=r"^kernel: The kernel plugin 'nowhere' is not installed\..*kernel\[nowhere\]"):
        main(["serve", str(app_file), "--source", "nowhere"])


def test_serve_with_a_malformed_event_option_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as raised:
        main(["serve", str(write_app(tmp_path, "hi")), "--event-option", "multi_value"])
    assert raised.value.code == 2
    assert capsys.readouterr().err.endswith("kernel serve: error: argument --event-option: takes NAME=VALUE, not 'multi_value'\n")


def test_serve_runs_uvicorn_on_the_adapter_with_options(uvicorn_calls, tmp_path, capsys):
    calls = uvicorn_calls
    app_file = tmp_path / "albapp.py"
    app_file.write_text("from kernel import App\napp = App(plugins=['alb'])\n")
    assert main(["serve", str(app_file), "--source", "alb", "--port", "9123", "--event-option", "multi-value=true"]) == 0
    (check, (adapter, kwargs)) = calls
    assert check == ("listen?", {"host": "127.0.0.1", "port": 9123})
    assert (adapter.source, adapter.options) == ("alb", {"multi_value": "true"})
    assert kwargs == {
        "host": "127.0.0.1",
        "port": 9123,
        "log_level": "info",
        "http": "h11",
        "timeout_keep_alive": 5,
        "h11_max_incomplete_event_size": 65536,
        "limit_concurrency": 1000,
        "timeout_graceful_shutdown": 5,
    }
    assert capsys.readouterr().out == f"kernel: serving {app_file} as 'alb' events on http://127.0.0.1:9123\n"


def test_serve_reload_runs_the_factory_with_the_apps_directory(monkeypatch, uvicorn_calls, tmp_path):
    calls = uvicorn_calls
    for name in (asgi.APP_ENV, asgi.SOURCE_ENV, asgi.OPTIONS_ENV):
        # Recorded by monkeypatch, so what `kernel serve` sets is undone after the test.
        monkeypatch.setenv(name, "")
    app_file = write_app(tmp_path, "hi")
    assert main(["serve", str(app_file), "--reload", "--host", "::1", "--event-option", "stage=prod"]) == 0
    (check, (target, kwargs)) = calls
    assert check == ("listen?", {"host": "::1", "port": 8000})
    assert target == "kernel.asgi:from_environment"
    assert kwargs == {
        "factory": True,
        "host": "::1",
        "port": 8000,
        "log_level": "info",
        "reload": True,
        "reload_dirs": [str(tmp_path)],
        "http": "h11",
        "timeout_keep_alive": 5,
        "h11_max_incomplete_event_size": 65536,
        "limit_concurrency": 1000,
        "timeout_graceful_shutdown": 5,
    }
    assert os.environ[asgi.APP_ENV] == str(app_file)
    assert os.environ[asgi.SOURCE_ENV] == "rest"
    assert json.loads(os.environ[asgi.OPTIONS_ENV]) == {"stage": "prod"}


@pytest.mark.parametrize(
    ("host", "shown"), [("0.0.0.0", "127.0.0.1"), ("::", "[::1]"), ("::1", "[::1]"), ("localhost", "localhost")]
)
@pytest.mark.usefixtures("uvicorn_calls")
def test_serve_prints_an_address_a_browser_can_open(tmp_path, capsys, host, shown):
    main(["serve", str(write_app(tmp_path, "hi")), "--host", host])
    assert capsys.readouterr().out.endswith(f" on http://{shown}:8000\n")


def test_serve_refuses_bedrock_which_is_not_http(tmp_path):
    app_file = tmp_path / "agent.py"
    app_file.write_text("from kernel import BedrockAgentResolver\napp = BedrockAgentResolver(plugins=['bedrock'])\n")
    message = r"kernel: The event source 'bedrock' cannot be served over HTTP: its service does not call over HTTP"
    with pytest.raises(SystemExit, match=message):
        main(["serve", str(app_file)])
