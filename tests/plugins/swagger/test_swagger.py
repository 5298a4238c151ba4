"""enable_swagger(): the route, its answers, every parameter, escaping, middlewares and compression.

The Swagger UI files the page links, their caching and gzip: test_assets.py.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import subprocess
import sys

import pytest
from kernel_openapi import (
    APIKey,
    APIKeyIn,
    Contact,
    License,
    OAuth2,
    OAuthFlowAuthorizationCode,
    OAuthFlows,
    Server,
    Tag,
)
from kernel_swagger import OAuth2Config, page, static

from kernel import APIGatewayHttpResolver, APIGatewayRestResolver, Response, content_types
from tests.events import http_event, rest_event

PLUGINS = ["rest", "openapi", "swagger"]


def make_app(**swagger):
    app = APIGatewayRestResolver(plugins=PLUGINS)
    app.enable_swagger(**swagger)

    @app.get("/hello")
    def hello():
        return {"message": "hello"}

    return app


def get(app, path="/swagger", query=None, stage="prod", headers=None):
    return app(rest_event("GET", path, query=query, stage=stage, headers=headers), None)


def document_of(app, **kwargs):
    reply = get(app, query={"format": "json"}, **kwargs)
    assert reply["statusCode"] == 200
    return json.loads(reply["body"])


# The page has exactly two <script> elements: the bundle (linked), the settings.
_SCRIPT = re.compile(r"<script(?:\s[^>]*)?>(.*?)</script>", re.DOTALL)
_SPEC = re.compile(r"^  settings\.spec = (.*?);\n  var routePath", re.MULTILINE | re.DOTALL)
_SETTINGS = re.compile(r"^  var settings = (.*);$", re.MULTILINE)
_ROUTE_PATH = re.compile(r"^  var routePath = (.*);$", re.MULTILINE)
_INIT_OAUTH = re.compile(r"ui\.initOAuth\((.*)\);")


def embedded(body, pattern):
    """A JSON value the page's script assigns, read back."""
    (text,) = pattern.findall(body)
    return json.loads(text)


# -- the three answers ---------------------------------------------------------------


def page_etag(text):
    """The ETag of a page: weak, the start of the SHA-256 of its text."""
    return f'W/"{hashlib.sha256(text.encode()).hexdigest()[:16]}"'


def page_headers(reply):
    """The page's headers, its ETag checked against its text and left out."""
    headers = dict(reply["multiValueHeaders"])
    (etag,) = headers.pop("ETag")
    text = gzip.decompress(base64.b64decode(reply["body"])).decode() if reply["isBase64Encoded"] else reply["body"]
    assert etag == page_etag(text)
    return headers


def test_the_page_is_small_html_linking_swagger_ui_with_the_document_embedded():
    app = make_app()

    reply = get(app)

    assert reply["statusCode"] == 200
    assert page_headers(reply) == {"Content-Type": ["text/html"], "Cache-Control": ["no-cache"]}
    assert reply["isBase64Encoded"] is False
    body = reply["body"]
    assert len(body.encode()) < 10_000
    assert body.startswith("<!DOCTYPE html>")
    css, js = static.asset("swagger-ui.css"), static.asset("swagger-ui-bundle.js")
    assert f'<link rel="stylesheet" href="?asset=swagger-ui.css&amp;v={css.digest}">' in body
    assert f'<script src="?asset=swagger-ui-bundle.js&amp;v={js.digest}"></script>' in body
    assert '<link rel="icon" href="data:,">' in body
    assert "<style" not in body
    assert css.text[:200] not in body
    assert js.text[:200] not in body
    assert '<div id="swagger-ui"></div>' in body
    assert embedded(body, _SPEC) == document_of(app)
    assert embedded(body, _SETTINGS) == {
        "dom_id": "#swagger-ui",
        "deepLinking": True,
        "layout": "BaseLayout",
        "showExtensions": True,
        "showCommonExtensions": True,
        "withCredentials": True,
        "persistAuthorization": False,
        "validatorUrl": None,
    }
    assert 'ui.specActions.updateUrl(here.pathname + "?format=json");' in body
    assert 'settings.oauth2RedirectUrl = here.origin + here.pathname + "?format=oauth2-redirect";' in body
    assert "ui.initOAuth(" not in body


def test_format_json_answers_the_openapi_document():
    app = make_app()

    reply = get(app, query={"format": "json"})

    assert reply == {
        "statusCode": 200,
        "body": app.get_openapi_json_schema(servers=[Server(url="/prod")]),
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["application/json"]},
    }
    document = json.loads(reply["body"])
    assert list(document["paths"]) == ["/hello"]  # the swagger route stays out of the document
    assert document["servers"] == [{"url": "/prod"}]


def test_format_oauth2_redirect_answers_the_redirect_page():
    app = make_app()

    reply = get(app, query={"format": "oauth2-redirect"})

    assert reply["statusCode"] == 200
    assert reply["multiValueHeaders"] == {"Content-Type": ["text/html"]}
    body = reply["body"]
    assert body.startswith("<!DOCTYPE html>")
    assert f"<script>\n{page.asset(page.OAUTH2_REDIRECT_JS)}\n</script>" in body
    assert "swaggerUIRedirectOauth2" in body
    assert page.asset(page.BUNDLE_JS) not in body


@pytest.mark.parametrize("value", ["yaml", "", "JSON"])
def test_any_other_format_answers_the_page(value):
    reply = get(make_app(), query={"format": value})

    assert page_headers(reply) == {"Content-Type": ["text/html"], "Cache-Control": ["no-cache"]}
    assert reply["body"].startswith("<!DOCTYPE html>")


def test_served_by_an_app_that_validates():
    app = APIGatewayRestResolver(plugins=PLUGINS, enable_validation=True)
    app.enable_swagger()

    @app.get("/hello")
    def hello() -> dict:
        return {"message": "hello"}

    assert page_headers(get(app)) == {"Content-Type": ["text/html"], "Cache-Control": ["no-cache"]}
    assert list(document_of(app)["paths"]) == ["/hello"]
    assert get(app, query={"format": "oauth2-redirect"})["statusCode"] == 200
    assert get(app, query={"asset": "swagger-ui.css"})["body"] == static.asset("swagger-ui.css").text


def test_only_get_is_served():
    app = make_app()

    reply = app(rest_event("POST", "/swagger"), None)

    assert reply["statusCode"] == 404


# -- where it is served, and the servers -------------------------------------------


def test_path_moves_the_page():
    app = make_app(path="/docs")

    assert page_headers(get(app, "/docs")) == {"Content-Type": ["text/html"], "Cache-Control": ["no-cache"]}
    assert get(app, "/docs", query={"asset": "swagger-ui.css"})["statusCode"] == 200
    assert get(app, "/swagger")["statusCode"] == 404
    assert get(app, "/swagger", query={"asset": "swagger-ui.css"})["statusCode"] == 404


def test_the_default_server_is_the_stage_the_request_came_through():
    app = make_app()

    assert document_of(app, stage="prod")["servers"] == [{"url": "/prod"}]
    assert document_of(app, stage="test")["servers"] == [{"url": "/test"}]
    assert embedded(get(app, stage="test")["body"], _SPEC)["servers"] == [{"url": "/test"}]


def test_without_a_stage_in_the_path_the_default_server_is_the_root():
    app = make_app()
    event = rest_event("GET", "/swagger", query={"format": "json"})
    # A custom domain: the request context's path does not start with the stage.
    event["requestContext"]["path"] = "/swagger"

    assert json.loads(app(event, None)["body"])["servers"] == [{"url": "/"}]


def test_http_api_default_stage_serves_the_root():
    app = APIGatewayHttpResolver(plugins=["http", "openapi", "swagger"])
    app.enable_swagger()

    reply = app(http_event("GET", "/swagger", query={"format": "json"}), None)

    assert json.loads(reply["body"])["servers"] == [{"url": "/"}]


def test_the_page_lets_the_browser_pick_the_default_server_from_its_own_url():
    body = get(make_app(path="/docs/"), "/docs/")["body"]

    assert embedded(body, _ROUTE_PATH) == "/docs"
    assert 'settings.spec.servers = [{url: base || "/"}];' in body


def test_servers_given_are_used_everywhere():
    servers = [Server(url="https://api.example.com/v1", description="Production")]
    app = make_app(servers=servers)

    assert document_of(app)["servers"] == [{"url": "https://api.example.com/v1", "description": "Production"}]
    body = get(app)["body"]
    assert embedded(body, _SPEC)["servers"] == [{"url": "https://api.example.com/v1", "description": "Production"}]
    assert embedded(body, _ROUTE_PATH) is None


def test_routes_added_after_the_first_request_appear_in_the_document():
    app = make_app()
    assert list(document_of(app)["paths"]) == ["/hello"]

    @app.get("/later")
    def later():
        return {}

    assert list(document_of(app)["paths"]) == ["/hello", "/later"]


# -- the document's parameters ---------------------------------------------------


def test_every_document_parameter_reaches_the_document_and_the_page():
    schemes = {
        "apiKey": APIKey(name="X-API-Key", in_=APIKeyIn.header),
        "oauth": OAuth2(
            flows=OAuthFlows(
                authorizationCode=OAuthFlowAuthorizationCode(
                    authorizationUrl="https://auth.example.com/authorize",
                    tokenUrl="https://auth.example.com/token",
                    scopes={"books:read": "Read books"},
                )
            )
        ),
    }
    app = make_app(
        title="Bookstore",
        version="2.5.0",
        openapi_version="3.1.0",
        summary="Books",
        description="All about books.",
        tags=[Tag(name="books", description="Book operations"), "authors"],
        terms_of_service="https://example.com/terms",
        contact=Contact(name="Ada", email="ada@example.com"),
        license_info=License(name="MIT", identifier="MIT"),
        security_schemes=schemes,
        security=[{"apiKey": []}],
    )

    document = document_of(app)

    assert document["openapi"] == "3.1.0"
    assert document["info"] == {
        "title": "Bookstore",
        "summary": "Books",
        "description": "All about books.",
        "termsOfService": "https://example.com/terms",
        "contact": {"name": "Ada", "email": "ada@example.com"},
        "license": {"name": "MIT", "identifier": "MIT"},
        "version": "2.5.0",
    }
    assert document["tags"] == [{"name": "books", "description": "Book operations"}, {"name": "authors"}]
    assert document["security"] == [{"apiKey": []}]
    assert document["components"]["securitySchemes"] == {
        "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
        "oauth": {
            "type": "oauth2",
            "flows": {
                "authorizationCode": {
                    "authorizationUrl": "https://auth.example.com/authorize",
                    "tokenUrl": "https://auth.example.com/token",
                    "scopes": {"books:read": "Read books"},
                }
            },
        },
    }
    body = get(app)["body"]
    assert embedded(body, _SPEC) == document
    assert "<title>Bookstore</title>" in body


def test_left_out_document_parameters_take_the_openapi_plugins_defaults():
    app = make_app()

    document = document_of(app)

    assert document["info"] == json.loads(app.get_openapi_json_schema())["info"]
    assert document["openapi"] == json.loads(app.get_openapi_json_schema())["openapi"]


def test_the_title_is_escaped_in_the_page_head():
    body = get(make_app(title="Books & <Co>"))["body"]

    assert "<title>Books &amp; &lt;Co&gt;</title>" in body


# -- swagger_base_url -----------------------------------------------------------------


@pytest.mark.parametrize("base", ["https://cdn.example.com/swagger-ui", "https://cdn.example.com/swagger-ui/"])
def test_swagger_base_url_links_the_assets_there_instead_of_the_packaged_ones(base):
    body = get(make_app(swagger_base_url=base))["body"]

    assert '<link rel="stylesheet" href="https://cdn.example.com/swagger-ui/swagger-ui.min.css">' in body
    assert '<script src="https://cdn.example.com/swagger-ui/swagger-ui-bundle.min.js"></script>' in body
    assert "?asset=" not in body
    assert "<style>" not in body
    assert len(body) < 10_000


def test_swagger_base_url_cannot_break_out_of_its_attribute():
    body = get(make_app(swagger_base_url='https://cdn.example.com/"><script>alert(1)</script>'))["body"]

    assert (
        '<script src="https://cdn.example.com/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;/swagger-ui-bundle.min.js">' in body
    )
    assert "<script>alert(1)" not in body


# -- escaping -------------------------------------------------------------------------


def scripts_of(body):
    return _SCRIPT.findall(body)


@pytest.mark.parametrize(
    "text",
    [
        "</script><script>alert('x')</script>",
        "</SCRIPT>",
        "<!-- <script>",
        "line\u2028separator\u2029paragraph",
    ],
)
def test_no_string_in_the_document_can_break_out_of_the_script(text):
    app = make_app(description=text, title=text, tags=[Tag(name="t", description=text)])

    @app.get("/evil", summary=text, description=text)
    def evil():
        return {}

    body = get(app)["body"]

    # The page still has exactly its own script elements, and the parser
    # leaves none of them early.
    scripts = scripts_of(body)
    assert len(scripts) == 2
    assert scripts[0] == ""  # the bundle, linked
    for script in scripts:
        assert page.inline_script_problem(script) is None
    settings_script = scripts[1]
    assert "\u2028" not in settings_script
    assert "\u2029" not in settings_script
    assert "<" not in settings_script
    spec = embedded(body, _SPEC)
    assert spec["info"]["description"] == text
    assert spec["paths"]["/evil"]["get"]["summary"] == text
    assert spec["tags"][0]["description"] == text


def test_oauth2_settings_are_escaped_like_the_document():
    config = OAuth2Config(app_name="</script><!--", scopes=["a\u2028b"])

    body = get(make_app(oauth2_config=config))["body"]

    assert embedded(body, _INIT_OAUTH) == {"appName": "</script><!--", "scopes": ["a\u2028b"]}
    assert all(page.inline_script_problem(script) is None for script in scripts_of(body))
    assert "\u2028" not in body.split("<div id=")[1]


# -- Swagger UI settings --------------------------------------------------------------


def test_oauth2_config_and_persist_authorization_reach_swagger_ui():
    config = OAuth2Config(
        app_name="Bookstore", client_id="abc", scopes=["books:read"], use_pkce_with_authorization_code_grant=True
    )

    body = get(make_app(oauth2_config=config, persist_authorization=True))["body"]

    assert embedded(body, _SETTINGS)["persistAuthorization"] is True
    assert embedded(body, _INIT_OAUTH) == {
        "clientId": "abc",
        "appName": "Bookstore",
        "scopes": ["books:read"],
        "usePkceWithAuthorizationCodeGrant": True,
    }


# -- middlewares and compression ------------------------------------------------------


def test_middlewares_run_on_the_swagger_route_and_can_refuse_it():
    def require_key(app, next_middleware):
        if app.current_event.get_header_value("x-api-key") != "secret":
            return Response(401, content_types.APPLICATION_JSON, {"message": "key please"})
        response = next_middleware(app)
        response.headers["X-Checked"] = "yes"
        return response

    app = make_app(middlewares=[require_key])

    refused = get(app, query={"format": "json"})
    allowed = get(app, query={"format": "json"}, headers={"X-API-Key": "secret"})
    page_allowed = get(app, headers={"X-API-Key": "secret"})
    other = app(rest_event("GET", "/hello"), None)

    assert refused == {
        "statusCode": 401,
        "body": '{"message":"key please"}',
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["application/json"]},
    }
    assert allowed["statusCode"] == 200
    assert allowed["multiValueHeaders"] == {"Content-Type": ["application/json"], "X-Checked": ["yes"]}
    assert page_headers(page_allowed) == {"Content-Type": ["text/html"], "Cache-Control": ["no-cache"], "X-Checked": ["yes"]}
    assert other["statusCode"] == 200  # the route's middlewares are its own


def test_global_middlewares_run_on_the_swagger_route_too():
    app = make_app()
    seen = []

    def record(app, next_middleware):
        seen.append(app.current_event.path)
        return next_middleware(app)

    app.use([record])
    get(app)

    assert seen == ["/swagger"]


def test_compress_gzips_the_page_for_clients_that_accept_it():
    app = APIGatewayRestResolver(plugins=[*PLUGINS, "compression"])
    app.enable_swagger(compress=True)
    plain = get(app)["body"]

    reply = get(app, headers={"Accept-Encoding": "gzip, deflate"})

    assert reply["statusCode"] == 200
    assert reply["isBase64Encoded"] is True
    assert page_headers(reply) == {
        "Content-Type": ["text/html"],
        "Cache-Control": ["no-cache"],
        "Vary": ["Accept-Encoding"],
        "Content-Encoding": ["gzip"],
    }
    assert reply["multiValueHeaders"]["ETag"] == [page_etag(plain)]
    assert gzip.decompress(base64.b64decode(reply["body"])).decode() == plain


def test_without_compress_the_page_is_never_gzipped():
    app = APIGatewayRestResolver(plugins=[*PLUGINS, "compression"])
    app.enable_swagger()

    reply = get(app, headers={"Accept-Encoding": "gzip"})

    assert reply["isBase64Encoded"] is False
    assert "Content-Encoding" not in reply["multiValueHeaders"]


# -- cost -------------------------------------------------------------------------------


def test_enabling_swagger_reads_no_asset_and_imports_no_openapi_model():
    code = (
        "import sys\n"
        "from kernel import APIGatewayRestResolver\n"
        "app = APIGatewayRestResolver(plugins=['rest', 'swagger'])\n"
        "app.enable_swagger()\n"
        "assert 'kernel_swagger.page' not in sys.modules, 'page imported'\n"
        "assert 'kernel_swagger.static' not in sys.modules, 'static imported'\n"
        "assert 'pydantic' not in sys.modules, 'pydantic imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)

    assert result.returncode == 0, result.stderr
