"""``kernel openapi APP`` exports the document the app serves at its Swagger route, and its options override it."""

from __future__ import annotations

import json
import textwrap

import pytest

from kernel import cli
from tests.events import rest_event

SERVED = textwrap.dedent(
    """
    from kernel import APIGatewayRestResolver
    from kernel_openapi import HTTPBearer, Server, Tag

    app = APIGatewayRestResolver(plugins=["rest", "openapi", "swagger"])
    app.enable_swagger(
        title="Orders",
        version="4.0.0",
        description="Orders and their lines",
        servers=[Server(url="https://api.example.com/prod")],
        tags=[Tag(name="orders", description="Order records")],
        security_schemes={"bearer": HTTPBearer(bearerFormat="JWT")},
        security=[{"bearer": []}],
    )


    @app.get("/orders", tags=["orders"])
    def orders():
        return []
    """
)

CONFIGURED = textwrap.dedent(
    """
    from kernel import APIGatewayRestResolver

    app = APIGatewayRestResolver(plugins=["rest", "openapi", "swagger"])
    app.configure_openapi(title="Configured", version="0.9.0", openapi_extensions={"x-team": "orders"})
    app.enable_swagger(description="From the route")


    @app.get("/orders")
    def orders():
        return []
    """
)


def _load(tmp_path, source: str, name: str):
    path = tmp_path / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    return path


def _export(capsys, *args: str) -> dict:
    assert cli.main(["openapi", *args]) == 0
    return json.loads(capsys.readouterr().out)


def _served(path) -> dict:
    """The document the app's Swagger route answers with ?format=json."""
    from kernel.app_loading import load_app

    app = load_app(str(path))
    response = app(rest_event("GET", "/swagger", query={"format": "json"}), None)
    assert response["statusCode"] == 200
    return json.loads(response["body"])


def test_the_export_is_the_document_the_swagger_route_serves(tmp_path, capsys):
    path = _load(tmp_path, SERVED, "served_app")
    exported = _export(capsys, str(path))

    assert exported == _served(path)
    assert exported["info"] == {"title": "Orders", "version": "4.0.0", "description": "Orders and their lines"}
    assert exported["servers"] == [{"url": "https://api.example.com/prod"}]
    assert exported["security"] == [{"bearer": []}]
    assert exported["components"]["securitySchemes"] == {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
    assert exported["tags"] == [{"name": "orders", "description": "Order records"}]


def test_configure_openapi_applies_under_the_swagger_settings(tmp_path, capsys):
    path = _load(tmp_path, CONFIGURED, "configured_app")
    exported = _export(capsys, str(path))

    assert exported["info"] == {"title": "Configured", "version": "0.9.0", "description": "From the route"}
    assert exported["x-team"] == "orders"
    # The route's default server follows the request; the export has the document's default.
    assert exported["servers"] == [{"url": "/"}]
    served = _served(path)
    assert served["servers"] == [{"url": "/prod"}]
    assert {key: value for key, value in served.items() if key != "servers"} == {
        key: value for key, value in exported.items() if key != "servers"
    }


def test_options_override_what_the_app_serves(tmp_path, capsys):
    path = _load(tmp_path, SERVED, "overridden_app")
    exported = _export(
        capsys,
        str(path),
        "--title",
        "Orders (public)",
        "--version",
        "4.0.1",
        "--summary",
        "Orders",
        "--description",
        "Public orders",
        "--server",
        "https://a.example.com",
        "--server",
        "https://b.example.com",
    )
    assert exported["info"] == {
        "title": "Orders (public)",
        "version": "4.0.1",
        "summary": "Orders",
        "description": "Public orders",
    }
    assert exported["servers"] == [{"url": "https://a.example.com"}, {"url": "https://b.example.com"}]
    # What no option overrides stays as served.
    assert exported["security"] == [{"bearer": []}]


def test_an_app_without_swagger_exports_its_configured_document(tmp_path, capsys):
    source = textwrap.dedent(
        """
        from kernel import APIGatewayRestResolver

        app = APIGatewayRestResolver(plugins=["rest", "openapi"])
        app.configure_openapi(title="Plain", version="1.2.3")


        @app.get("/x")
        def x():
            return {}
        """
    )
    exported = _export(capsys, str(_load(tmp_path, source, "plain_app")))
    assert exported["info"] == {"title": "Plain", "version": "1.2.3"}


def test_a_bedrock_agent_exports_openapi_3_0(tmp_path, capsys):
    source = textwrap.dedent(
        """
        from kernel import BedrockAgentResolver

        app = BedrockAgentResolver(plugins=["bedrock", "openapi"])


        @app.get("/x", description="X")
        def x(q: int | None = None):
            return {}
        """
    )
    exported = _export(capsys, str(_load(tmp_path, source, "agent_app")))
    assert exported["openapi"] == "3.0.3"
    assert exported["paths"]["/x"]["get"]["parameters"][0]["schema"]["nullable"] is True


def test_the_help_lists_the_overrides(capsys):
    with pytest.raises(SystemExit):
        cli.main(["openapi", "--help"])
    out = capsys.readouterr().out
    for option in ("--title", "--version", "--summary", "--description", "--server", "--output"):
        assert option in out
