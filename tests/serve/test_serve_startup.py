"""What ``kernel serve`` checks and says before serving: the port, the banner, the source and its options."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from kernel import cli, plugins
from kernel.cli import main
from tests.serve.test_cli_serve import free_port, write_app

USAGE_END = "kernel serve: error: "


def usage_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run ``kernel serve ARGS``, expecting a usage error; return its last line."""
    with pytest.raises(SystemExit) as raised:
        main(["serve", *args])
    assert raised.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("usage: kernel serve ")
    return captured.err.splitlines()[-1]


# -- the port ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("port", "message"),
    [
        ("99999", "a port is a number from 1 to 65535, not 99999"),
        ("65536", "a port is a number from 1 to 65535, not 65536"),
        ("0", "a port is a number from 1 to 65535, not 0"),
        ("-1", "a port is a number from 1 to 65535, not -1"),
        ("http", "not a port number: 'http'"),
        ("80.5", "not a port number: '80.5'"),
    ],
)
def test_a_port_out_of_range_is_a_usage_error(capsys, tmp_path, port, message):
    assert usage_error(capsys, str(write_app(tmp_path, "hi")), f"--port={port}") == f"{USAGE_END}argument --port: {message}"


@pytest.mark.parametrize("port", [1, 65535])
def test_the_ports_at_the_ends_of_the_range_are_accepted(uvicorn_calls, tmp_path, port):
    assert main(["serve", str(write_app(tmp_path, "hi")), "--port", str(port)]) == 0
    assert uvicorn_calls[0] == ("listen?", {"host": "127.0.0.1", "port": port})


@pytest.fixture
def taken_port():
    """A port something listens on, for the duration of the test."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


@pytest.mark.parametrize("reload", [[], ["--reload"]], ids=["plain", "reload"])
def test_a_port_in_use_is_one_line_and_exit_status_1(tmp_path, taken_port, reload):
    result = subprocess.run(
        [sys.executable, "-m", "kernel.cli", "serve", str(write_app(tmp_path, "hi")), "--port", str(taken_port), *reload],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"kernel: cannot listen on 127.0.0.1:{taken_port}: the port is in use (another server?); choose another with --port\n"
    )


def test_the_port_check_looks_at_every_address_of_the_host(taken_port):
    # localhost is 127.0.0.1 (and ::1 where there is IPv6): the taken IPv4 port is seen.
    with pytest.raises(SystemExit) as raised:
        cli._check_can_listen("localhost", taken_port)
    assert raised.value.code == (
        f"kernel: cannot listen on localhost:{taken_port}: the port is in use (another server?); choose another with --port"
    )


def test_a_free_port_passes_the_check_and_stays_free():
    port = free_port()
    cli._check_can_listen("127.0.0.1", port)
    with socket.socket() as again:
        again.bind(("127.0.0.1", port))  # the check closed its socket


def test_a_host_that_does_not_resolve_is_one_line(tmp_path):
    with pytest.raises(SystemExit) as raised:
        cli._check_can_listen("no-such-host.invalid", 8000)
    assert str(raised.value.code).startswith("kernel: cannot listen on no-such-host.invalid:8000: ")
    assert "\n" not in str(raised.value.code)


# -- the banner ----------------------------------------------------------------------


def banner(capsys: pytest.CaptureFixture[str], tmp_path: Path, source: str, *args: str) -> list[str]:
    """The lines ``kernel serve`` prints for the app in ``source`` (uvicorn not run)."""
    app_file = tmp_path / "banner_app.py"
    app_file.write_text(textwrap.dedent(source))
    assert main(["serve", str(app_file), "--port", "8123", *args]) == 0
    return capsys.readouterr().out.replace(str(app_file), "APP").splitlines()


SERVING = "kernel: serving APP as 'rest' events on http://127.0.0.1:8123"


@pytest.mark.usefixtures("uvicorn_calls")
def test_the_banner_points_at_the_swagger_page(capsys, tmp_path):
    lines = banner(
        capsys,
        tmp_path,
        """
        from kernel import APIGatewayRestResolver

        app = APIGatewayRestResolver(plugins=["rest", "swagger"])


        @app.get("/books")
        def books():
            return []


        app.enable_swagger(title="Books")
        """,
    )
    assert lines == [SERVING, "kernel: open http://127.0.0.1:8123/swagger"]


@pytest.mark.usefixtures("uvicorn_calls")
@pytest.mark.parametrize(
    ("routes", "page"),
    [
        pytest.param('@app.get("/books")\n@app.get("/")\n', "/", id="root-wins"),
        pytest.param('@app.get("/books")\n', "/books", id="first-plain-get"),
        pytest.param('@app.get("/books")\n@app.get("/docs", include_in_schema=False)\n', "/docs", id="page-outside-the-schema"),
        pytest.param('@app.get("/books/<book_id>")\n@app.get("/health")\n', "/health", id="parameters-skipped"),
        pytest.param('@app.post("/books")\n@app.get("/books/<book_id>")\n', None, id="no-plain-get"),
        pytest.param('@app.route("/", method=["POST"])\n', None, id="root-not-get"),
    ],
)
def test_the_banner_points_at_a_page_the_app_has(capsys, tmp_path, routes, page):
    source = "from kernel import APIGatewayRestResolver\napp = APIGatewayRestResolver(plugins=['rest'])\n"
    for number, decorator in enumerate(routes.strip().splitlines()):
        source += f"\n{decorator}\ndef route_{number}():\n    return {{}}\n"
    lines = banner(capsys, tmp_path, source)
    assert lines == [SERVING] + ([] if page is None else [f"kernel: open http://127.0.0.1:8123{page}"])


@pytest.mark.usefixtures("uvicorn_calls")
def test_a_handler_function_has_no_page_to_point_at(capsys, tmp_path):
    source = "def handler(event, context):\n    return {'statusCode': 200, 'body': 'hi'}\n"
    app_file = tmp_path / "handler_app.py"
    app_file.write_text(source)
    assert main(["serve", f"{app_file}:handler"]) == 0
    assert capsys.readouterr().out == f"kernel: serving {app_file}:handler as 'rest' events on http://127.0.0.1:8000\n"


# -- the source and its options -----------------------------------------------------------


@pytest.fixture
def edge_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The third-party test source ``edge`` (tests/serve/edge_source) as if installed."""
    real = dict(plugins.installed())
    real["edge"] = EntryPoint(name="edge", value="tests.serve.edge_source:source", group=plugins.GROUP)
    monkeypatch.setattr(plugins, "installed", lambda: real)


def any_app(tmp_path: Path) -> str:
    app_file = tmp_path / "any_app.py"
    app_file.write_text("from kernel import App\napp = App(plugins=['rest'])\n")
    return str(app_file)


@pytest.mark.usefixtures("edge_installed")
def test_an_installed_third_party_source_is_served_with_its_options(uvicorn_calls, tmp_path):
    assert main(["serve", any_app(tmp_path), "--source", "edge", "--event-option", "region=eu"]) == 0
    adapter = uvicorn_calls[1][0]
    assert (adapter.source, adapter.options) == ("edge", {"region": "eu"})


@pytest.mark.usefixtures("edge_installed", "uvicorn_calls")
def test_a_bad_option_value_is_a_usage_error(capsys, tmp_path):
    last = usage_error(capsys, any_app(tmp_path), "--source", "edge", "--event-option", "region=mars")
    assert last == (
        f"{USAGE_END}argument --event-option: the 'edge' source refuses its options: region is one of eu, us, not 'mars'"
    )


@pytest.mark.usefixtures("uvicorn_calls")
def test_an_unknown_option_is_a_usage_error_naming_the_sources_options(capsys, tmp_path):
    last = usage_error(capsys, str(write_app(tmp_path, "hi")), "--event-option", "colour=red")
    assert last == (
        f"{USAGE_END}argument --event-option: the 'rest' source has no option 'colour'"
        " (its options: path_parameters, resource, stage)"
    )


@pytest.mark.usefixtures("uvicorn_calls")
def test_an_option_of_a_source_that_takes_none_is_a_usage_error(capsys, tmp_path):
    app_file = tmp_path / "lattice_app.py"
    app_file.write_text("from kernel import VPCLatticeV2Resolver\napp = VPCLatticeV2Resolver(plugins=['lattice-v2'])\n")
    last = usage_error(capsys, str(app_file), "--event-option", "stage=prod")
    assert last == f"{USAGE_END}argument --event-option: the 'lattice-v2' source has no option 'stage' (it takes none)"


@pytest.mark.usefixtures("uvicorn_calls")
def test_option_names_may_use_dashes(tmp_path):
    app_file = tmp_path / "albapp.py"
    app_file.write_text("from kernel import App\napp = App(plugins=['alb'], source='alb')\n")
    assert main(["serve", str(app_file), "--event-option", "multi-value=true"]) == 0
