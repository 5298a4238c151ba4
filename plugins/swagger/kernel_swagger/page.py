"""The HTML pages the Swagger route answers.

Swagger UI comes from the npm package ``swagger-ui-dist``, copied into
``assets/`` by ``scripts/update-swagger-ui`` (see ``assets/VERSION``). The page
links its script and stylesheet, served by the same route (see
:mod:`kernel_swagger.static`); only the small OAuth2 redirect script is written
into its page. Files are read from disk the first time they are needed, never
at import.
"""

from __future__ import annotations

import functools
import html
import json
import re
from importlib import resources
from typing import Any

from . import static

#: File names inside ``assets/``.
BUNDLE_JS = "swagger-ui-bundle.js"
STYLESHEET = "swagger-ui.css"
OAUTH2_REDIRECT_JS = "oauth2-redirect.js"

#: File names looked up under ``swagger_base_url``; the same names the reference
#: API uses, which jsDelivr serves for swagger-ui-dist (it minifies on request).
REMOTE_BUNDLE_JS = "swagger-ui-bundle.min.js"
REMOTE_STYLESHEET = "swagger-ui.min.css"


@functools.cache
def asset(name: str) -> str:
    """The text of a packaged asset, read once per process."""
    return resources.files(__package__).joinpath("assets").joinpath(name).read_text(encoding="utf-8")


def assets_version() -> str:
    """The swagger-ui-dist version the packaged assets come from."""
    for line in asset("VERSION").splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "version":
            return value.strip()
    raise RuntimeError("assets/VERSION names no version")


# -- keeping text inside a <script> element ----------------------------------------

# Every character a JSON text may hold that means something to the HTML parser
# inside <script> ("<" starts "</script" and "<!--"), or that JavaScript engines
# before ES2019 read as a line break inside a string (U+2028, U+2029). All of
# them can only occur inside JSON strings, where a \\u escape means the same.
_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029]")


def json_for_script(document: str) -> str:
    """Make JSON text safe to place verbatim inside a ``<script>`` element.

    The result is the same JSON value, with ``<``, ``>``, ``&``, U+2028 and
    U+2029 written as ``\\uXXXX`` escapes, so no string in the document can end
    the element, open an HTML comment or break the JavaScript around it.
    """
    return _SCRIPT_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", document)


# The tokens of the HTML parser's script data states (HTML Living Standard,
# 13.2.5.4 onwards) that can end a <script> element or stop "</script>" ending it.
_SCRIPT_TOKENS = re.compile(r"<!--|</script(?=[\s/>]|\Z)|<script(?=[\s/>])|-+|>", re.IGNORECASE)
_DATA, _ESCAPED, _DOUBLE_ESCAPED = "data", "escaped", "double-escaped"


def inline_script_problem(text: str) -> str | None:
    """Say why ``text`` cannot be the content of an inline ``<script>``, or None.

    Follows the HTML parser through the script's text: the text must not end
    the element early (``</script``), and must not leave the parser in the
    state where the closing ``</script>`` written after it is ignored (an
    unclosed ``<!-- <script``). Used on third-party assets before inlining them.
    """
    state = _DATA
    dashes = 0  # consecutive "-" just read in an escaped state; "-->" needs two
    previous_end = -1
    for match in _SCRIPT_TOKENS.finditer(text):
        token = match.group().lower()
        if match.start() != previous_end:
            dashes = 0
        previous_end = match.end()
        if token == "<!--":
            state = _ESCAPED if state == _DATA else state
            dashes = 2
        elif token[0] == "-":
            dashes += len(token)
        elif token == ">":
            if state != _DATA and dashes >= 2:
                state = _DATA
            dashes = 0
        elif token.startswith("</script"):
            if state != _DOUBLE_ESCAPED:
                return f"'{match.group()}' at offset {match.start()} would end the script element"
            state, dashes = _ESCAPED, 0
        else:  # "<script"
            if state == _ESCAPED:
                state = _DOUBLE_ESCAPED
            dashes = 0
    if state == _DOUBLE_ESCAPED:
        return "an unclosed '<!-- <script' would keep the closing </script> from ending the element"
    return None


# -- the pages ------------------------------------------------------------------------


def swagger_page(
    document: str,
    *,
    title: str,
    swagger_base_url: str | None,
    oauth2_options: dict[str, Any] | None,
    persist_authorization: bool,
    route_path: str | None = None,
) -> str:
    """The Swagger UI page for an OpenAPI document given as JSON text.

    The JavaScript and stylesheet are linked: the packaged copies with URLs
    relative to the page's own (``?asset=...``, see :mod:`kernel_swagger.static`),
    or, with ``swagger_base_url``, the copies there.

    With ``route_path`` (the path the page is routed at), the browser replaces
    the document's servers with the one it reached the page through: the URL
    path in front of ``route_path``. The event's idea of the base path (the
    stage) is not always the browser's: a custom domain's base path mapping,
    a CDN or a local proxy put the API elsewhere, and "Try it out" must call
    the API where the page itself was found.
    """
    if swagger_base_url:
        base = html.escape(swagger_base_url.rstrip("/"), quote=True)
        stylesheet = f'<link rel="stylesheet" href="{base}/{REMOTE_STYLESHEET}">'
        bundle = f'<script src="{base}/{REMOTE_BUNDLE_JS}"></script>'
    else:
        # URLs of the form "?asset=...": the browser keeps the page's own path,
        # whatever stage, base path mapping or proxy put it there.
        stylesheet = f'<link rel="stylesheet" href="{html.escape(static.asset(STYLESHEET).url(), quote=True)}">'
        bundle = f'<script src="{html.escape(static.asset(BUNDLE_JS).url(), quote=True)}"></script>'
    # An empty data: URL as the icon keeps browsers from asking the API for
    # /favicon.ico on every visit (a Lambda invocation, answered 404).
    icon = '<link rel="icon" href="data:,">'
    settings = {
        "dom_id": "#swagger-ui",
        "deepLinking": True,
        "layout": "BaseLayout",
        "showExtensions": True,
        "showCommonExtensions": True,
        "withCredentials": True,
        "persistAuthorization": persist_authorization,
        # No badge asking validator.swagger.io about the document: the page
        # contacts nothing but the app (and swagger_base_url, when given).
        "validatorUrl": None,
    }
    init_oauth = ""
    if oauth2_options is not None:
        init_oauth = f"ui.initOAuth({json_for_script(json.dumps(oauth2_options))});"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
{icon}
{stylesheet}
</head>
<body>
<div id="swagger-ui"></div>
{bundle}
<script>
(function () {{
  // The page answers its own URL with ?format=json and ?format=oauth2-redirect,
  // wherever it is mounted (stage, custom domain base path, local proxy).
  var here = new URL(window.location.href);
  var settings = {json_for_script(json.dumps(settings))};
  settings.spec = {json_for_script(document)};
  var routePath = {json_for_script(json.dumps(None if route_path is None else route_path.rstrip("/") or "/"))};
  if (routePath !== null) {{
    var pagePath = here.pathname.replace(/\\/+$/, "") || "/";
    var base = null;
    if (routePath === "/") {{
      base = pagePath === "/" ? "" : pagePath;
    }} else if (pagePath.slice(-routePath.length) === routePath) {{
      base = pagePath.slice(0, pagePath.length - routePath.length);
    }}
    if (base !== null) {{
      settings.spec.servers = [{{url: base || "/"}}];
    }}
  }}
  settings.presets = [SwaggerUIBundle.presets.apis];
  settings.plugins = [SwaggerUIBundle.plugins.DownloadUrl];
  settings.oauth2RedirectUrl = here.origin + here.pathname + "?format=oauth2-redirect";
  var ui = SwaggerUIBundle(settings);
  ui.specActions.updateUrl(here.pathname + "?format=json");
  {init_oauth}
  window.ui = ui;
}})();
</script>
</body>
</html>
"""


@functools.cache
def oauth2_redirect_page() -> str:
    """The page an OAuth2 provider redirects back to; it hands the result to Swagger UI."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Swagger UI: OAuth2 redirect</title>
</head>
<body>
<script>
{asset(OAUTH2_REDIRECT_JS)}
</script>
</body>
</html>
"""
