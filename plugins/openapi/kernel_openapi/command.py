"""``kernel openapi APP``: write an app's OpenAPI document, for build-time export.

Declared in the ``kernel.commands`` entry-point group, so the ``kernel``
command has it whenever this plugin is installed.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kernel.plugin_api import PluginNotFoundError, load_app


def register(commands: Any) -> None:
    """Add the ``openapi`` subcommand to the ``kernel`` command's subparsers."""
    parser = commands.add_parser("openapi", help="write an app's OpenAPI document")
    parser.add_argument("app", help="module:attribute or path/to/file.py[:attribute] (attribute defaults to app)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the document of ``args.app`` to ``args.output`` or standard output."""
    app = load_app(args.app)
    if not callable(getattr(app, "get_openapi_json_schema", None)):
        raise SystemExit(f"kernel: {args.app} is not a kernel app")
    try:
        document = app.get_openapi_json_schema()
    except PluginNotFoundError as exc:
        raise SystemExit(f"kernel: {exc}") from None
    if args.output in (None, "-"):
        sys.stdout.write(document + "\n")
        return 0
    with open(args.output, "w", encoding="utf-8") as handle:
        handle.write(document + "\n")
    return 0
