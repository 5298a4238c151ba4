"""Debug mode prints each event, and POWERTOOLS_DEV warns that it turned debug mode on, as Powertools does."""

from __future__ import annotations

import json

import pytest

from tests.events import rest_event
from tests.kernel.helpers import rest_app


def test_debug_mode_prints_each_event_serialised(capsys):
    app = rest_app(debug=True)

    @app.get("/orders")
    def orders():
        return {"ok": True}

    event = rest_event("GET", "/orders")
    app(event, None)
    printed = capsys.readouterr().out
    assert json.loads(printed.splitlines()[0]) == event


def test_without_debug_nothing_is_printed(capsys):
    app = rest_app()

    @app.get("/orders")
    def orders():
        return {"ok": True}

    app(rest_event("GET", "/orders"), None)
    assert capsys.readouterr().out == ""


def test_powertools_dev_warns_that_it_turned_debug_on(monkeypatch):
    monkeypatch.setenv("POWERTOOLS_DEV", "1")
    with pytest.warns(UserWarning, match=r"POWERTOOLS_DEV is set: debug mode is on"):
        app = rest_app()
    assert app.debug is True


def test_an_explicit_debug_reads_no_environment_and_warns_of_nothing(monkeypatch, recwarn):
    monkeypatch.setenv("POWERTOOLS_DEV", "1")
    assert rest_app(debug=False).debug is False
    assert [str(warning.message) for warning in recwarn] == []
