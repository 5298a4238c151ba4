"""Other plugins add to the document through the ``emit_schema`` hook; the plugin itself stays light."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Annotated, Any

import pytest
from kernel_validation import Query

from kernel import APIGatewayRestResolver, PluginNotFoundError, hookimpl
from kernel import plugins as plugin_loading


class ApiKeyPlugin:
    """Declares an API key scheme, requires it everywhere and marks the document."""

    plugin_name = "api-key-docs"

    def __init__(self) -> None:
        self.seen: list[Any] = []

    @hookimpl
    def emit_schema(self, app: Any, schema: dict[str, Any]) -> None:
        self.seen.append((app, sorted(schema["paths"])))
        components = schema.setdefault("components", {})
        components.setdefault("securitySchemes", {})["apiKey"] = {"type": "apiKey", "in": "header", "name": "X-API-Key"}
        schema["security"] = [{"apiKey": []}]
        schema["x-generated-by"] = "api-key-docs"


def test_a_plugin_adds_a_security_scheme_and_an_extension():
    plugin = ApiKeyPlugin()
    app = APIGatewayRestResolver(plugins=["rest", "openapi", plugin])

    @app.get("/things")
    def things():
        return {}

    doc = json.loads(app.get_openapi_json_schema())

    assert plugin.seen == [(app, ["/things"])]
    assert doc["components"] == {"securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}}}
    assert doc["security"] == [{"apiKey": []}]
    assert doc["x-generated-by"] == "api-key-docs"
    # The model form keeps the extension and reads the scheme.
    model = app.get_openapi_schema()
    assert model.model_extra == {"x-generated-by": "api-key-docs"}
    assert model.components is not None
    assert model.components.securitySchemes is not None
    assert model.components.securitySchemes["apiKey"].model_dump(by_alias=True, exclude_none=True, mode="json") == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
    }


def test_changes_a_plugin_makes_do_not_leak_into_the_next_document():
    class Vandal:
        @hookimpl
        def emit_schema(self, app: Any, schema: dict[str, Any]) -> None:
            schema["paths"]["/things"]["get"]["summary"] = "changed"
            schema["paths"]["/things"]["get"]["responses"]["200"]["description"] = "changed"

    app = APIGatewayRestResolver(plugins=["rest", "openapi"])

    @app.get("/things")
    def things():
        return {}

    vandal = Vandal()
    app.register_plugin(vandal)
    assert json.loads(app.get_openapi_json_schema())["paths"]["/things"]["get"]["summary"] == "changed"
    app.unregister_plugin(vandal)

    assert json.loads(app.get_openapi_json_schema())["paths"]["/things"]["get"] == {
        "summary": "GET /things",
        "operationId": "things_things_get",
        "responses": {"200": {"description": "Successful Response", "content": {"application/json": {}}}},
    }


def test_the_plugin_module_does_not_import_pydantic():
    code = "import sys, kernel_openapi; print('pydantic' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_without_the_plugin_installed_the_error_names_the_extra(monkeypatch):
    # Simulate an environment without the distribution: the import fails as it would there.
    monkeypatch.setitem(sys.modules, "kernel_openapi", None)
    monkeypatch.setattr(plugin_loading, "_declared", {})
    app = APIGatewayRestResolver(plugins=["rest"])

    with pytest.raises(PluginNotFoundError, match=r'pip install --no-index --find-links dist "kernel\[openapi\]"'):
        app.get_openapi_json_schema()


def test_a_scheme_declared_by_a_plugin_satisfies_route_security_and_models_are_written_by_alias():
    from kernel_openapi import APIKey

    class GatewayKey:
        @hookimpl
        def emit_schema(self, app: Any, schema: dict[str, Any]) -> None:
            # A model, not a dict: the JSON form writes it with the specification's names.
            schema.setdefault("components", {}).setdefault("securitySchemes", {})["gateway"] = APIKey(in_="header", name="x-key")

    app = APIGatewayRestResolver(plugins=["rest", "openapi", GatewayKey()])

    @app.get("/things", security=[{"gateway": []}])
    def things():
        return {}

    doc = json.loads(app.get_openapi_json_schema())

    assert doc["components"]["securitySchemes"] == {"gateway": {"type": "apiKey", "in": "header", "name": "x-key"}}
    assert doc["paths"]["/things"]["get"]["security"] == [{"gateway": []}]
    assert app.get_openapi_schema().components.securitySchemes["gateway"].name == "x-key"


def test_a_plugin_requiring_an_undeclared_scheme_is_an_error():
    from kernel import SchemaValidationError

    class Careless:
        @hookimpl
        def emit_schema(self, app: Any, schema: dict[str, Any]) -> None:
            schema["security"] = [{"nowhere": []}]

    app = APIGatewayRestResolver(plugins=["rest", "openapi", Careless()])

    with pytest.raises(SchemaValidationError, match="'nowhere' used by the app's security"):
        app.get_openapi_json_schema()


def test_changing_the_model_document_does_not_change_the_next_json_document():
    app = APIGatewayRestResolver(plugins=["rest", "openapi"], enable_validation=True)

    @app.get("/things")
    def things(tags: Annotated[list[str], Query()] = ["new"]):  # noqa: B006
        return {}

    first = app.get_openapi_json_schema()
    model = app.get_openapi_schema()
    assert model.paths is not None
    operation = model.paths["/things"].get
    assert operation is not None
    assert operation.parameters is not None
    schema = operation.parameters[0].schema_  # type: ignore[union-attr]
    assert schema is not None
    assert schema.default == ["new"]
    schema.default.append("changed")
    operation.summary = "changed"

    assert app.get_openapi_json_schema() == first
    assert json.loads(first)["paths"]["/things"]["get"]["parameters"][0]["schema"]["default"] == ["new"]
