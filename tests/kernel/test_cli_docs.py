"""The terminal sessions of docs/cli.md run as shown, and docs/serve.md quotes the real messages.

Each ```text block marked ``<!-- docs-test: NAME-session -->`` is a session:
lines starting with ``$ `` are commands, run with bash in a directory holding
the repository's ``examples/`` and the files the page mentions, and the lines
after each are what it prints (standard output, then standard error). The
``serve-banner`` block runs ``kernel serve`` with uvicorn stubbed out, since
the real one serves until stopped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kernel import cli, plugins

ROOT = Path(__file__).resolve().parents[2]
PAGE = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
MARKED = dict(re.findall(r"<!-- docs-test: (\S+) -->\n```\w*\n(.*?)```", PAGE, re.S))
SESSIONS = sorted(name for name in MARKED if name.endswith("-session"))


def commands(session: str) -> list[tuple[str, str]]:
    """``(command, expected output)`` pairs of a session block."""
    pairs: list[tuple[str, str]] = []
    for line in session.splitlines(keepends=True):
        if line.startswith("$ "):
            pairs.append((line[2:].rstrip("\n"), ""))
        else:
            assert pairs, f"output before any command: {line!r}"
            pairs[-1] = (pairs[-1][0], pairs[-1][1] + line)
    return pairs


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """Where the sessions run: examples/, the page's files, an HTTP API event and a notes file."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    (tmp_path / "two_sources.py").write_text(MARKED["two_sources.py"])
    ((_, http),) = plugins.load(["http"])
    (tmp_path / "http-event.json").write_text(json.dumps(http.event("GET", "/hello/world"), indent=2))
    (tmp_path / "notes.txt").write_text("Notes, not JSON.\n")
    return tmp_path


def test_the_page_has_its_sessions():
    assert SESSIONS == [
        "errors-session",
        "invoke-session",
        "mismatch-session",
        "plugins-session",
        "serve-errors-session",
        "unknown-session",
    ]


@pytest.mark.parametrize("name", SESSIONS)
def test_session_prints_what_the_page_shows(workdir, name):
    environment = {key: value for key, value in os.environ.items() if key != plugins.ALLOW_LIST_ENV}
    # The venv's `kernel` first; argparse wraps its usage at COLUMNS.
    environment["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environment.get('PATH', '')}"
    environment["COLUMNS"] = "80"
    for command, expected in commands(MARKED[name]):
        result = subprocess.run(
            ["bash", "-c", command], cwd=workdir, env=environment, capture_output=True, text=True, timeout=60, check=False
        )
        assert result.stdout + result.stderr == expected, command


def test_the_serve_banner_is_what_the_page_shows(monkeypatch, capsys):
    import uvicorn

    ((command, expected),) = commands(MARKED["serve-banner"])
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: None)
    monkeypatch.setattr(cli, "_check_can_listen", lambda host, port: None)
    assert cli.main(command.split()[1:]) == 0
    assert capsys.readouterr().out == expected


def serve_messages() -> list[str]:
    """The whole messages the "Before serving" table of docs/serve.md quotes (those it abridges left out)."""
    text = (ROOT / "docs" / "serve.md").read_text(encoding="utf-8")
    table = text[text.index("### Before serving") :].split("\n\n", 2)[2]
    table = table[: table.index("\n\n")]
    quoted = re.findall(r"`(kernel(?: serve)?: [^`]*)`", table)
    return [message for message in quoted if "..." not in message and "SOURCE" not in message]


def test_the_serve_pages_messages_are_the_commands(monkeypatch, capsys):
    import socket

    import uvicorn

    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: None)
    monkeypatch.setenv("COLUMNS", "80")

    def said(*args: str) -> str:
        try:
            cli.main(["serve", "examples/hello.py", *args])
        except SystemExit as exc:
            if isinstance(exc.code, str):
                return exc.code
        return capsys.readouterr().err.splitlines()[-1]

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        taken = said("--port", str(port)).replace(str(port), "8000")
    produced = {
        said("--source", "bogus"),
        said("--source", "http"),
        said("--event-option", "colour=red"),
        said("--port", "99999"),
        taken,
    }
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    produced.add(said())
    messages = serve_messages()
    assert len(messages) == 6
    assert set(messages) == produced
