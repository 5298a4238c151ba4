"""``kernel openapi APP``: the document at build time, on standard output or in a file."""

from __future__ import annotations

import json
import sys
import textwrap

import pytest

from kernel import cli
from kernel import plugins as plugin_loading

APP = textwrap.dedent(
    """
    from kernel import APIGatewayRestResolver

    app = APIGatewayRestResolver(plugins=["rest", "openapi"])
    other = APIGatewayRestResolver(plugins=["rest", "openapi"])
    not_an_app = 42


    @app.get("/hello", summary="Say hello")
    def hello():
        return {"message": "hello"}


    @other.get("/other")
    def other_route():
        return {}
    """
)


@pytest.fixture
def app_file(tmp_path):
    path = tmp_path / "exported_app.py"
    path.write_text(APP, encoding="utf-8")
    return path


def test_writes_the_document_to_standard_output(app_file, capsys):
    assert cli.main(["openapi", str(app_file)]) == 0

    out = capsys.readouterr().out
    assert out.endswith("}\n")
    document = json.loads(out)
    assert list(document["paths"]) == ["/hello"]
    assert document["paths"]["/hello"]["get"]["summary"] == "Say hello"


def test_writes_the_same_document_to_a_file_with_o(app_file, tmp_path, capsys):
    target = tmp_path / "openapi.json"

    assert cli.main(["openapi", str(app_file), "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    from_file = target.read_text(encoding="utf-8")

    cli.main(["openapi", str(app_file)])
    assert from_file == capsys.readouterr().out


def test_takes_the_app_attribute_after_a_colon(app_file, capsys):
    assert cli.main(["openapi", f"{app_file}:other"]) == 0

    assert list(json.loads(capsys.readouterr().out)["paths"]) == ["/other"]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("{app_file}:not_an_app", "is not a kernel app"),
        ("{app_file}:missing", "has no attribute 'missing'"),
        ("{tmp}/nowhere.py", "no such file"),
    ],
)
def test_bad_targets_are_clear_errors(app_file, tmp_path, target, message):
    with pytest.raises(SystemExit) as exited:
        cli.main(["openapi", target.format(app_file=app_file, tmp=tmp_path)])

    assert message in str(exited.value.code)


def test_without_the_openapi_plugin_it_names_the_extra_to_install(app_file, monkeypatch):
    # As if kernel-openapi were not installed: importing it fails.
    monkeypatch.setitem(sys.modules, "kernel_openapi", None)
    monkeypatch.setattr(plugin_loading, "_declared", {})

    with pytest.raises(SystemExit) as exited:
        cli.main(["openapi", str(app_file)])

    assert 'pip install --no-index --find-links dist "kernel[openapi]"' in str(exited.value.code)
