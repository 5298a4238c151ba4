"""The examples of docs/openapi.md run as the page says."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

PAGE = Path(__file__).resolve().parents[3] / "docs" / "openapi.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", PAGE.read_text(), re.S)


def run(block: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "openapi_docs_example"}
    exec(compile(block, str(PAGE), "exec", dont_inherit=True), namespace)
    return namespace


def test_the_quick_start_runs_and_its_assertions_hold():
    namespace = run(python_blocks()[0])

    assert namespace["document"]["info"] == {
        "title": "Library",
        "description": "Books you can list, read and remove.",
        "contact": {"name": "Library desk", "email": "desk@example.com"},
        "license": {"name": "MIT", "identifier": "MIT"},
        "version": "2.0.0",
    }


def test_the_plugin_example_adds_its_scheme_and_extension():
    namespace = run(python_blocks()[1])
    app = namespace["app"]

    doc = json.loads(app.get_openapi_json_schema())

    assert doc["components"] == {"securitySchemes": {"gatewayKey": {"type": "apiKey", "in": "header", "name": "x-api-key"}}}
    assert doc["security"] == [{"gatewayKey": []}]
    assert doc["x-owner"] == "platform-team"


def test_the_configure_example_runs_and_writes_the_extensions():
    text = PAGE.read_text()
    code = re.search(r"<!-- docs-test: configure -->\n```python\n(.*?)```", text, re.S)
    assert code is not None
    namespace = run(code.group(1))
    doc = json.loads(namespace["app"].get_openapi_json_schema())
    assert doc["info"] == {"title": "Orders", "version": "2.1.0"}
    assert doc["x-logo"] == {"url": "https://example.com/logo.png"}
    assert doc["servers"] == [{"url": "https://api.example.com", "x-region": "eu-west-1"}]
    assert doc["components"]["securitySchemes"]["key"]["x-amazon-apigateway-authtype"] == "custom"
    assert doc["paths"]["/orders"]["get"]["x-amazon-apigateway-integration"]["type"] == "aws_proxy"
