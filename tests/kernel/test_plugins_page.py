"""The deployment example of docs/plugins.md does what the page says.

The page's Python examples run in tests/kernel/test_docs_examples.py; this is
the AWS SAM snippet that sets ``KERNEL_PLUGINS``, read from the page and
applied to a default app.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from kernel import App
from kernel.plugins import ALLOW_LIST_ENV, selection_reason

PAGE = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"
YAML_BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.DOTALL | re.MULTILINE)


def documented_environment() -> dict[str, str]:
    (block,) = [body for body in YAML_BLOCK.findall(PAGE.read_text()) if ALLOW_LIST_ENV in body]
    template = yaml.safe_load(block)
    (function,) = template["Resources"].values()
    assert function["Type"] == "AWS::Serverless::Function"
    return function["Properties"]["Environment"]["Variables"]


def test_the_sam_example_limits_a_default_app_to_the_plugins_it_names(monkeypatch):
    variables = documented_environment()
    assert variables == {"KERNEL_PLUGINS": "rest,cors"}
    monkeypatch.setenv(ALLOW_LIST_ENV, variables[ALLOW_LIST_ENV])
    app = App()
    # cors, allowed, is loaded when a route uses it.
    assert [name for name, _ in app.plugin_manager.list_name_plugin()] == ["kernel.matching", "rest"]
    assert selection_reason(app.plugin_manager).rule == "allow-list"
    # The features it names work; the ones it leaves out are refused (see test_allow_list.py).
    app.get("/todos", cors=True)(lambda: {"todos": []})
    assert [name for name, _ in app.plugin_manager.list_name_plugin()] == ["kernel.matching", "rest", "cors"]
    reply = app({"httpMethod": "GET", "path": "/todos", "headers": {"Origin": "https://app.example.com"}}, None)
    assert reply["multiValueHeaders"]["Access-Control-Allow-Origin"] == ["*"]
