"""The ``kernel`` command: ``kernel invoke APP EVENT``, ``kernel serve APP`` and ``kernel plugins``.

Plugins add commands of their own through the ``kernel.commands`` entry-point
group (the ``openapi`` plugin adds ``kernel openapi APP``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence

from kernel.app_loading import load_app
from kernel.compat import PROVIDED_BY
from kernel.exceptions import PluginNotFoundError


def _invoke(args: argparse.Namespace) -> int:
    app = load_app(args.app)
    if not callable(app):
        raise SystemExit(f"kernel: {args.app} is not an app (got {type(app).__name__})")
    try:
        with open(args.event, encoding="utf-8") as handle:
            event = json.load(handle)
    except OSError as exc:
        raise SystemExit(f"kernel: cannot read {args.event}: {exc.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SystemExit(f"kernel: {args.event} is not JSON: {exc}") from None
    response = app(event, None)
    json.dump(response, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


def _plugins(args: argparse.Namespace) -> int:
    from kernel import plugins

    manager = plugins.create_manager()
    installed = plugins.installed()
    for name, hooks in plugins.describe(manager):
        entry_point = installed.get(name)
        where = entry_point.value if entry_point is not None else "built-in"
        print(f"{name:<16} {where:<28} {', '.join(hooks)}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    """Run the app on uvicorn behind :class:`kernel.asgi.ASGIAdapter`."""
    from kernel import asgi

    try:
        import uvicorn
    except ModuleNotFoundError:
        raise SystemExit("kernel: serve needs uvicorn and watchfiles: pip install 'kernel[serve]'") from None
    options = dict(_option(text) for text in args.event_option)
    # Build the adapter here even with --reload, so a wrong APP or --source
    # fails now with a clear message rather than inside uvicorn's worker.
    try:
        adapter = asgi.ASGIAdapter(load_app(args.app), args.source, options=options)
    except (LookupError, ValueError) as exc:
        raise SystemExit(f"kernel: {exc}") from None
    # A wildcard address is where the server listens, not an address to open.
    shown_host = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(args.host) or (f"[{args.host}]" if ":" in args.host else args.host)
    print(f"kernel: serving {args.app} as {adapter.source!r} events on http://{shown_host}:{args.port}/", flush=True)
    if not args.reload:
        uvicorn.run(adapter, host=args.host, port=args.port, log_level=args.log_level)
        return 0
    os.environ[asgi.APP_ENV] = args.app
    os.environ[asgi.SOURCE_ENV] = adapter.source
    os.environ[asgi.OPTIONS_ENV] = json.dumps(options)
    location = args.app.partition(":")[0]
    is_file = location.endswith(".py") or "/" in location or os.sep in location
    watched = os.path.dirname(os.path.abspath(location)) if is_file else os.getcwd()
    uvicorn.run(
        "kernel.asgi:from_environment",
        factory=True,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        reload=True,
        reload_dirs=[watched],
    )
    return 0


def _option(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise SystemExit(f"kernel: --event-option takes NAME=VALUE, not {text!r}")
    return name.replace("-", "_"), value


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``kernel`` command line."""
    parser = argparse.ArgumentParser(prog="kernel", description="Run and inspect kernel apps.")
    commands = parser.add_subparsers(dest="command", required=True)

    invoke = commands.add_parser("invoke", help="print an app's response to an event file")
    invoke.add_argument("app", help="module:attribute or path/to/file.py[:attribute] (attribute defaults to app)")
    invoke.add_argument("event", help="path to a JSON event file")
    invoke.set_defaults(run=_invoke)

    listing = commands.add_parser("plugins", help="list installed plugins and the hooks each implements")
    listing.set_defaults(run=_plugins)

    serve = commands.add_parser("serve", help="run an app on a local HTTP server, as an event source would invoke it")
    serve.add_argument("app", help="module:attribute or path/to/file.py[:attribute] (attribute defaults to app)")
    serve.add_argument(
        "--source", default=None, help="the event source to emulate: rest, http, alb... (default: the app's own, else rest)"
    )
    serve.add_argument("--host", default="127.0.0.1", help="the interface to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="the port to listen on (default: 8000)")
    serve.add_argument("--reload", action="store_true", help="restart when a file in the app's directory changes")
    serve.add_argument(
        "--event-option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting of the source's events, e.g. multi_value=true for alb or stage=prod for rest (repeatable)",
    )
    serve.add_argument("--log-level", default="info", help="uvicorn's log level (default: info)")
    serve.set_defaults(run=_serve)

    # Commands plugins add (``kernel.commands`` entry points): each is a
    # function that adds its subparser and sets ``run`` on it.
    from kernel import plugins

    for name in plugins.declarations("kernel.commands"):
        # A command whose plugin cannot be imported is missing, as below.
        with contextlib.suppress(LookupError):
            plugins.declared("kernel.commands", name)(commands)
    arguments = sys.argv[1:] if argv is None else list(argv)
    wanted = next((item for item in arguments if not item.startswith("-")), None)
    if wanted is not None and wanted not in commands.choices and wanted in PROVIDED_BY:
        # A command a plugin would add: say which extra brings it.
        raise SystemExit(f"kernel: the {wanted!r} command comes with a plugin. {PluginNotFoundError(PROVIDED_BY[wanted])}")

    args = parser.parse_args(arguments)
    return int(args.run(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
