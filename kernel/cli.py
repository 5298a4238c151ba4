"""The ``kernel`` command: ``kernel invoke APP EVENT`` and ``kernel plugins``."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from typing import Any


def load_app(target: str) -> Any:
    """Load ``module:attribute`` or ``path/to/file.py[:attribute]``; the attribute defaults to ``app``."""
    location, _, attribute = target.partition(":")
    attribute = attribute or "app"
    if location.endswith(".py") or os.sep in location or "/" in location:
        path = os.path.abspath(location)
        if not os.path.isfile(path):
            raise SystemExit(f"kernel: no such file: {location}")
        directory = os.path.dirname(path)
        if directory not in sys.path:
            sys.path.insert(0, directory)
        name = os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise SystemExit(f"kernel: cannot import {location}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    else:
        if os.getcwd() not in sys.path:
            sys.path.insert(0, os.getcwd())
        try:
            module = importlib.import_module(location)
        except ModuleNotFoundError as exc:
            # Only the app's own module being absent is a usage error; a missing
            # import inside it is the app's bug and keeps its traceback.
            if exc.name is None or not (location == exc.name or location.startswith(exc.name + ".")):
                raise
            raise SystemExit(f"kernel: no module named {location!r}") from None
    try:
        return getattr(module, attribute)
    except AttributeError:
        raise SystemExit(f"kernel: {location} has no attribute {attribute!r}") from None


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

    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
