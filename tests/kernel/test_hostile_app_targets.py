"""Hostile app names given to ``kernel openapi`` and the other commands: a one-line usage error, or the app's own traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from kernel import cli


@pytest.mark.parametrize("target", ["", ":", " ", ":app", ".relative:app", "..up"])
def test_a_name_that_names_no_module_is_one_line(target, capsys):
    # importlib answered these with its own ValueError or TypeError and a traceback into importlib.
    with pytest.raises(SystemExit) as exited:
        cli.main(["openapi", target])

    assert exited.value.code == f"kernel: {target!r} names no app: give module:attribute or path/to/file.py"


def test_an_app_whose_import_fails_keeps_its_own_traceback(tmp_path: Path, monkeypatch):
    # The app's own bug is the developer's to read, as for any Python program: not turned into a one-liner.
    (tmp_path / "broken_app_zz.py").write_text('raise RuntimeError("the app is broken")\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))

    with pytest.raises(RuntimeError, match="the app is broken"):
        cli.main(["openapi", "broken_app_zz:app"])


def test_an_app_module_that_is_absent_is_one_line(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    with pytest.raises(SystemExit) as exited:
        cli.main(["openapi", "absent_app_zz:app"])

    assert exited.value.code == "kernel: no module named 'absent_app_zz'"
