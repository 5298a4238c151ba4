"""Fixtures of the ``kernel serve`` tests."""

from __future__ import annotations

import pytest

from kernel import cli


@pytest.fixture
def uvicorn_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, dict[str, object]]]:
    """``uvicorn.run`` recorded instead of run, and the port check before it (the first call, with its arguments).

    The port check is recorded rather than made: these tests look at what
    ``kernel serve`` would run, on ports that may be taken on the machine.
    """
    import uvicorn

    calls: list[tuple[object, dict[str, object]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append((app, kwargs)))
    monkeypatch.setattr(cli, "_check_can_listen", lambda host, port: calls.append(("listen?", {"host": host, "port": port})))
    return calls
