"""Swagger UI for kernel apps.

``app.enable_swagger()`` (or :func:`enable_swagger`) adds one GET route, by
default ``/swagger``, that answers:

- the Swagger UI page, with the app's OpenAPI document embedded in it;
- ``?asset=<file>&v=<digest>``: the script and stylesheet the page links,
  cached by browsers for a year (see :mod:`kernel_swagger.static`);
- ``?format=json``: the OpenAPI document itself;
- ``?format=oauth2-redirect``: the page OAuth2 providers redirect back to.

Swagger UI itself (from the npm package ``swagger-ui-dist``) is packaged in
this plugin and served by the route, so it works without internet access;
``swagger_base_url`` links it from elsewhere instead. The OpenAPI document comes
from the ``openapi`` plugin.

The plugin implements no hook: it is a feature an app turns on, not a step
of every request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

# Module level (and cheap: the kernel is loaded already), because the route
# function's annotations name Response and the validation plugin resolves them.
from kernel.plugin_api import PluginNotFoundError, Response, content_types

from .oauth2 import OAuth2Config

if TYPE_CHECKING:
    from kernel.plugin_api import ApiGatewayResolver

__all__ = ["OAuth2Config", "enable_swagger"]

DEFAULT_PATH = "/swagger"


def enable_swagger(
    app: ApiGatewayResolver,
    *,
    path: str = DEFAULT_PATH,
    title: str | None = None,
    version: str | None = None,
    openapi_version: str | None = None,
    summary: str | None = None,
    description: str | None = None,
    tags: list[Any] | None = None,
    servers: list[Any] | None = None,
    terms_of_service: str | None = None,
    contact: Any = None,
    license_info: Any = None,
    swagger_base_url: str | None = None,
    middlewares: list[Callable[..., Any]] | None = None,
    compress: bool = False,
    security_schemes: dict[str, Any] | None = None,
    security: list[dict[str, list[str]]] | None = None,
    oauth2_config: OAuth2Config | None = None,
    persist_authorization: bool = False,
    external_documentation: Any = None,
    openapi_extensions: dict[str, Any] | None = None,
) -> None:
    """Serve Swagger UI and the app's OpenAPI document at ``path``.

    The document keywords (``title`` to ``license_info``, ``security_schemes``,
    ``security``, ``external_documentation``, ``openapi_extensions``) are those
    of ``app.get_openapi_schema``, and ``kernel openapi APP`` exports the
    document with them too; left out, the
    ``openapi`` plugin's defaults apply. ``servers`` defaults to one server
    whose URL is the base path the request came in on (the API Gateway stage,
    for example ``/prod``), or ``/``; in the page, the browser swaps that
    default for the URL path it found the page under, so "Try it out" works
    behind custom domains, CDNs and local proxies too.

    :param path: where the page is served.
    :param swagger_base_url: load ``swagger-ui-bundle.min.js`` and
        ``swagger-ui.min.css`` from this URL (a CDN) instead of the packaged
        copies the route serves.
    :param middlewares: middlewares of the Swagger route (authentication, for
        example); the app's global middlewares run too.
    :param compress: gzip the page, the document and the Swagger UI files for
        clients that accept it (needs the ``compression`` plugin; on a REST API,
        binary media types ``*/*``). The script is 1.7 MB, 460 kB gzipped.
    :param oauth2_config: settings of Swagger UI's OAuth2 login.
    :param persist_authorization: keep what was entered in "Authorize" across
        page reloads (in the browser's local storage).
    """
    document_options: dict[str, Any] = {
        "title": title,
        "version": version,
        "openapi_version": openapi_version,
        "summary": summary,
        "description": description,
        "tags": tags,
        "terms_of_service": terms_of_service,
        "contact": contact,
        "license_info": license_info,
        "security_schemes": security_schemes,
        "security": security,
        "external_documentation": external_documentation,
        "openapi_extensions": openapi_extensions,
    }
    # Only what was given, so the openapi plugin's own defaults stay the only ones.
    document_options = {name: value for name, value in document_options.items() if value is not None}
    documents = _DocumentCache(app, document_options, servers)
    # So that `kernel openapi APP` exports this very document.
    _record(app, {**document_options, **({"servers": servers} if servers else {})})
    oauth2_options = None if oauth2_config is None else oauth2_config.init_oauth_options()

    @app.get(path, middlewares=middlewares, include_in_schema=False, compress=compress)
    def swagger_handler() -> Response[Any]:
        from . import page, static

        request = app.current_event
        query = request.query_string_parameters or {}
        name = query.get(static.ASSET_PARAM)
        if name is not None:
            return static.asset_response(
                name,
                query.get(static.VERSION_PARAM),
                condition=request.header_text("If-None-Match"),
                compressible=accepts_gzip is not None,
                accepts_gzip=accepts_gzip is not None and accepts_gzip(request.header_text("Accept-Encoding")),
            )
        wanted = query.get("format")
        if wanted == "oauth2-redirect":
            return Response(200, content_types.TEXT_HTML, page.oauth2_redirect_page())
        document, page_title = documents.get(request.base_path() or "/")
        if wanted == "json":
            return Response(200, content_types.APPLICATION_JSON, document)
        body = page.swagger_page(
            document,
            title=page_title,
            swagger_base_url=swagger_base_url,
            oauth2_options=oauth2_options,
            persist_authorization=persist_authorization,
            # Servers the app chose are kept; the default one follows the browser.
            route_path=None if servers else path,
        )
        return static.page_response(body, condition=request.header_text("If-None-Match"), compressible=compress)

    # Looked up once the route is declared: the kernel refuses compress=True on
    # an app without the compression plugin first, with its own message.
    accepts_gzip = _gzip_test() if compress else None


def _gzip_test() -> Callable[[str | None], bool]:
    """The compression plugin's reading of ``Accept-Encoding``, for the Swagger UI files.

    Those are gzipped here, once per process, rather than by the plugin on
    every request; whether a client accepts gzip is the plugin's call, so
    the page and its files agree on it.
    """
    try:
        from kernel_compression import accepts_gzip
    except ImportError:
        raise PluginNotFoundError("compression") from None
    return accepts_gzip


class _DocumentCache:
    """The app's OpenAPI document as JSON text and its title, built once per base path.

    The default server is the request's base path, so the document can differ
    between stages. Routes may be added after ``enable_swagger`` (and never
    removed), so a cached document is rebuilt when the route count changes.
    """

    def __init__(self, app: ApiGatewayResolver, options: dict[str, Any], servers: list[Any] | None) -> None:
        self._app = app
        self._options = options
        self._servers = servers
        self._route_count = -1
        self._documents: dict[str, tuple[str, str]] = {}

    def get(self, base_path: str) -> tuple[str, str]:
        if len(self._app.routes) != self._route_count:
            self._documents.clear()
            self._route_count = len(self._app.routes)
        found = self._documents.get(base_path)
        if found is None:
            servers = self._servers or [_server(base_path)]
            document = self._app.get_openapi_json_schema(servers=servers, **self._options)
            found = document, _title_of(document)
            # Bounded, whatever base paths requests arrive with.
            if len(self._documents) < 16:
                self._documents[base_path] = found
        return found


def _record(app: Any, keywords: dict[str, Any]) -> None:
    from kernel_openapi import record_served_document

    record_served_document(app, **keywords)


def _server(url: str) -> Any:
    """A Server object of the openapi plugin."""
    from kernel_openapi import Server

    return Server(url=url)


def _title_of(document: str) -> str:
    """The document's title, for the page's <title>."""
    import json

    info = json.loads(document).get("info") or {}
    return str(info.get("title") or "Swagger UI")
