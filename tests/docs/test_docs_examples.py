"""The examples of the getting-started, migration and serve pages run as the pages say."""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

from kernel.cli import main
from tests.events import rest_event

DOCS = Path(__file__).resolve().parents[2] / "docs"
OWN_PAGES = ["index.md", "migrating.md", "serve.md"]
FENCE = re.compile(r"```(\w*)\n(.*?)```", re.S)


def blocks(page: str, language: str) -> list[str]:
    return [body for lang, body in FENCE.findall((DOCS / page).read_text()) if lang == language]


def marked(page: str) -> dict[str, str]:
    """The code blocks preceded by ``<!-- docs-test: NAME -->``, by NAME."""
    text = (DOCS / page).read_text()
    return dict(re.findall(r"<!-- docs-test: (\S+) -->\n```\w*\n(.*?)```", text, re.S))


def load_module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("page", OWN_PAGES)
def test_python_examples_are_valid_python(page):
    examples = blocks(page, "python")
    assert examples
    for example in examples:
        ast.parse(example)


def test_getting_started_invoke_prints_the_documented_response(tmp_path, capsys, monkeypatch):
    files = marked("index.md")
    (tmp_path / "app.py").write_text(files["app.py"])
    (tmp_path / "event.json").write_text(files["event.json"])
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "app", raising=False)
    assert main(["invoke", str(tmp_path / "app.py"), str(tmp_path / "event.json")]) == 0
    assert capsys.readouterr().out == files["output"]


def test_getting_started_app_serves_the_curl_examples(tmp_path):
    from kernel.asgi import ASGIAdapter
    from tests.serve.harness import call

    (tmp_path / "todo_app.py").write_text(marked("index.md")["app.py"])
    module = load_module(tmp_path / "todo_app.py", "todo_app")
    adapter = ASGIAdapter(module.app)
    created = call(
        adapter,
        "POST",
        "/todos",
        headers=[(b"content-type", b"application/json")],
        body=b'{"id": "2", "title": "Call the plumber", "done": false}',
    )
    assert created.status == 201
    assert call(adapter, "GET", "/todos/2").json() == {"id": "2", "title": "Call the plumber", "done": False}
    assert len(call(adapter, "GET", "/todos", query_string=b"done=false").json()["todos"]) == 2
    assert call(adapter, "GET", "/todos", query_string=b"done=true").json() == {"todos": []}
    assert call(adapter, "GET", "/todos/9").json() == {"statusCode": 404, "message": "No todo 9"}


def test_migration_example_runs(tmp_path):
    (tmp_path / "orders.py").write_text(blocks("migrating.md", "python")[0])
    module = load_module(tmp_path / "orders.py", "orders")
    reply = module.lambda_handler(rest_event("GET", "/orders/42"), None)
    assert (reply["statusCode"], json.loads(reply["body"])) == (200, {"id": "42", "status": "shipped"})
    reply = module.lambda_handler(rest_event("GET", "/orders/abc"), None)
    assert (reply["statusCode"], json.loads(reply["body"])) == (400, {"statusCode": 400, "message": "order ids are numbers"})
    reply = module.lambda_handler(rest_event("POST", "/orders", body='{"sku": "x"}'), None)
    assert (reply["statusCode"], reply["body"]) == (201, '{"sku":"x"}')


def test_every_kernel_import_of_the_migration_table_works():
    statements = re.findall(r"`(from kernel\w* import [\w, ]+)`", (DOCS / "migrating.md").read_text())
    assert len(statements) >= 20
    for statement in statements:
        exec(statement, {})


def test_serve_page_asgi_module_serves_the_app(tmp_path, monkeypatch):
    from tests.serve.harness import call

    (tmp_path / "app.py").write_text(marked("index.md")["app.py"])
    (tmp_path / "asgi_entry.py").write_text(next(block for block in blocks("serve.md", "python") if "ASGIAdapter(app)" in block))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "app", raising=False)
    module = load_module(tmp_path / "asgi_entry.py", "asgi_entry")
    assert call(module.application, "GET", "/todos/1").json()["title"] == "Water the plants"


def test_migration_page_response_differences_hold():
    """The two response dicts the migration page says differ from Powertools' really do."""
    import warnings

    from kernel import ALBResolver, Cookie, Response, VPCLatticeV2Resolver
    from tests.events import alb_event, lattice_v2_event

    text = (DOCS / "migrating.md").read_text()
    assert 'is sent as one header, `"a, b"`' in text
    assert "Cookies go in a `Set-Cookie` header (the last one only" in text

    alb = ALBResolver(plugins=["alb"])

    @alb.get("/tags")
    def tags():
        return Response(200, "text/plain", "ok", headers={"X-Tag": ["a", "b"]})

    assert alb(alb_event("GET", "/tags"), None)["headers"]["X-Tag"] == "a, b"

    lattice = VPCLatticeV2Resolver(plugins=["lattice"])

    @lattice.get("/login")
    def login():
        return Response(200, "text/plain", "ok", cookies=[Cookie("a", "1"), Cookie("b", "2")])

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reply = lattice(lattice_v2_event("GET", "/login"), None)
    assert reply["headers"]["Set-Cookie"] == "b=2; Secure"
    assert "cookies" not in reply
    assert any("Set-Cookie" in str(warning.message) for warning in caught)
