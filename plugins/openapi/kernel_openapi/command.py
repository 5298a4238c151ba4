"""``kernel openapi APP``: write an app's OpenAPI document, for build-time export.

Declared in the ``kernel.commands`` entry-point group, so the ``kernel``
command has it whenever this plugin is installed. The document is the one the
app serves: the keywords its Swagger UI route was enabled with (title,
version, servers, security...) and those of ``configure_openapi`` apply, and
the command's options override them.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kernel.plugin_api import PluginNotFoundError, load_app


def register(commands: Any) -> None:
    """Add the ``openapi`` subcommand to the ``kernel`` command's subparsers."""
    parser = commands.add_parser(
        "openapi",
        help="write an app's OpenAPI document",
        description="Write the OpenAPI document the app serves (with the settings of its Swagger UI route and "
        "configure_openapi); the options below override them.",
    )
    parser.add_argument("app", help="module:attribute or path/to/file.py[:attribute] (attribute defaults to app)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    parser.add_argument("--title", help="the document's title (info.title)")
    parser.add_argument("--version", dest="api_version", metavar="VERSION", help="the API's version (info.version)")
    parser.add_argument("--summary", help="a one-line summary of the API (info.summary)")
    parser.add_argument("--description", help="a description of the API (info.description)")
    parser.add_argument(
        "--server",
        dest="servers",
        action="append",
        metavar="URL",
        help="a server the API is reachable at; repeat for several (replaces the app's servers)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the document of ``args.app`` to ``args.output`` or standard output."""
    app = load_app(args.app)
    if not callable(getattr(app, "get_openapi_json_schema", None)):
        raise SystemExit(f"kernel: {args.app} is not a kernel app")
    try:
        document = app.get_openapi_json_schema(**_keywords(app, args))
    except PluginNotFoundError as exc:
        raise SystemExit(f"kernel: {exc}") from None
    if args.output in (None, "-"):
        sys.stdout.write(document + "\n")
        return 0
    with open(args.output, "w", encoding="utf-8") as handle:
        handle.write(document + "\n")
    return 0


def _keywords(app: Any, args: argparse.Namespace) -> dict[str, Any]:
    """The keywords the app serves its document with, then the command's options."""
    try:
        from kernel_openapi import served_document_keywords
    except ImportError:  # the plugin is being removed: the app's method says which extra to install
        keywords: dict[str, Any] = {}
    else:
        keywords = served_document_keywords(app)
    given = {"title": args.title, "version": args.api_version, "summary": args.summary, "description": args.description}
    keywords.update({name: value for name, value in given.items() if value is not None})
    if args.servers:
        from kernel_openapi.models import Server

        keywords["servers"] = [Server(url=url) for url in args.servers]
    return keywords
