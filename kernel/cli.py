"""The ``kernel`` command: ``invoke APP EVENT``, ``serve APP``, ``plugins [APP]`` and ``freeze [DIR]``.

Plugins add commands of their own through the ``kernel.commands`` entry-point
group (the ``openapi`` plugin adds ``kernel openapi APP``).

A command that cannot do its job prints one line starting with ``kernel:``
on standard error and exits with status 1; a bad option is a usage error
(status 2, with argparse's usage line).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import socket
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from kernel.app_loading import load_app
from kernel.compat import PROVIDED_BY
from kernel.exceptions import PluginLoadError, PluginNotFoundError, UnknownEventError

# -- kernel invoke -------------------------------------------------------------------


def _invoke(args: argparse.Namespace) -> int:
    app = load_app(args.app)
    if not callable(app):
        raise SystemExit(f"kernel: {args.app} is not an app (got {type(app).__name__})")
    event = _read_event(args.event)
    try:
        response = app(event, None)
    except UnknownEventError as exc:
        manager = getattr(app, "plugin_manager", None)
        if manager is None:  # a handler function: its app's own message is all there is
            raise SystemExit(f"kernel: {exc}") from None
        names = ", ".join(_app_sources(manager)) or "none"
        message = f"kernel: no event source of the app recognises this event (the app's sources: {names})"
        looks_like = _recognising(event, exclude=_app_sources(manager))
        if looks_like:
            message += f"; it has the shape of {_kinds(looks_like)} events, a source the app does not have"
        raise SystemExit(message) from None
    json.dump(response, sys.stdout, indent=2)
    sys.stdout.write("\n")
    hint = _mismatch_hint(app, event, response)
    if hint is not None:
        sys.stdout.flush()  # the hint follows the response, in a terminal or a pipe
        print(f"kernel: {hint}", file=sys.stderr)
    return 0


def _read_event(location: str) -> Any:
    """The JSON event in the file ``location``, or on standard input for ``-``."""
    shown = "standard input" if location == "-" else location
    try:
        if location == "-":
            return json.load(sys.stdin)
        with open(location, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as exc:
        raise SystemExit(f"kernel: cannot read {shown}: {exc.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SystemExit(f"kernel: {shown} is not JSON: {exc}") from None


def _app_sources(manager: Any) -> list[str]:
    """The names of the app's event sources: its plugins implementing ``parse_event`` (wrappers are no source)."""
    from kernel.hooks import source_plugins

    return sorted(name for name in map(manager.get_name, source_plugins(manager)) if name)


def _installed_sources() -> dict[str, Any]:
    """The installed event sources that can tell their events apart (``recognise``), by name."""
    from kernel import plugins

    found = {}
    for name in plugins.installed():
        plugin = _loaded(name)  # a broken plugin only loses its place in a hint
        if callable(getattr(plugin, "recognise", None)):
            found[name] = plugin
    return found


def _recognising(event: Any, exclude: Iterable[str] = ()) -> list[str]:
    """The installed sources, but those in ``exclude``, that take ``event`` as one of theirs, well-formed."""
    names = []
    for name, plugin in _installed_sources().items():
        if name in exclude:
            continue
        # Both are the plugin's own code: a bug in one must not hide the response.
        with contextlib.suppress(Exception):
            check = getattr(plugin, "check", None)
            if plugin.recognise(event) and (not callable(check) or check(event) is None):
                names.append(name)
    return names


def _kinds(names: Sequence[str]) -> str:
    """The sources an event has the shape of, quoted and joined with "or", for a sentence."""
    return " or ".join(repr(name) for name in names)


def _mismatch_hint(app: Any, event: Any, response: Any) -> str | None:
    """A hint when an app pinned to one source rejected an event of another, else None.

    The app's own source says the event is malformed (its ``check``), or, for
    a source that does not declare one, the app answered 400 Malformed event;
    then the installed sources are asked whether the event is theirs.
    """
    pinned = getattr(app, "source", None)
    manager = getattr(app, "plugin_manager", None)
    if not isinstance(pinned, str) or manager is None:
        return None
    plugin = manager.get_plugin(pinned)
    check = getattr(plugin, "check", None)
    if callable(check):
        try:
            rejected = check(event) is not None
        except Exception:
            rejected = False
    else:
        from kernel.events import read_response

        try:
            status, _, body = getattr(plugin, "read_response", read_response)(response)
        except Exception:
            return None
        rejected = status == 400 and b"Malformed event" in body
    if not rejected:
        return None
    looks_like = _recognising(event, exclude=[pinned])
    if not looks_like:
        return None
    return f"the app only takes {pinned!r} events; this event has the shape of {_kinds(looks_like)} events"


# -- kernel plugins ------------------------------------------------------------------


def _plugins(args: argparse.Namespace) -> int:
    from kernel import plugins

    selection = None
    manager: Any = None
    if args.app is None:
        # Every installed plugin, whatever KERNEL_PLUGINS says: it is the installation being listed.
        manager = plugins.create_manager(list(plugins.installed()))
    else:
        app = load_app(args.app)
        manager = getattr(app, "plugin_manager", None)
        if manager is None:
            raise SystemExit(f"kernel: {args.app} is not an app with plugins (got {type(app).__name__})")
        selection = _selection(manager)
        if selection is not None:
            print(f"{args.app} uses {selection.summary()}:")
    installed = plugins.installed()
    for name, hooks in plugins.describe(manager):
        entry_point = installed.get(name)
        if name in plugins.DEFAULT_PLUGINS:
            where = "built-in"
        elif entry_point is not None and manager.get_plugin(name) is _loaded(name):
            where = entry_point.value
        else:
            where = "given by the app"
        print(f"{name:<16} {where:<28} {', '.join(hooks) or '(no hooks)'}")
    if selection is not None and selection.left_out:
        # Grouped by reason: an app listing its plugins leaves out every other one for the same reason.
        by_reason: dict[str, list[str]] = {}
        for name, why in sorted(selection.left_out.items()):
            by_reason.setdefault(why, []).append(name)
        for why, names in by_reason.items():
            print(f"left out ({why}): {', '.join(names)}")
    allowed = plugins.allow_list()
    if args.app is None and allowed is not None:
        print(f"{plugins.ALLOW_LIST_ENV}={','.join(allowed)}: an app that does not list its plugins uses only these")
    if args.app is None:
        print(_discovery_line(plugins.discovery()))
    return 0


def _discovery_line(found: Any) -> str:
    """How this process found the installed plugins, for ``kernel plugins``."""
    if found.how == "frozen":
        text = f"discovery: the frozen manifest {found.path} (kernel freeze); stevedore was not used"
    elif found.how == "cache":
        text = f"discovery: the kernel's cache of an earlier scan, {found.path}"
    else:
        text = "discovery: a scan of the installed distributions by stevedore"
        text += f", cached in {found.path}" if found.path else " (not cached: no writable cache directory)"
    if found.ignored:
        text += f"; the frozen manifest was ignored ({found.ignored})"
    return text


# -- kernel freeze -------------------------------------------------------------------


def _freeze(args: argparse.Namespace) -> int:
    """Write the frozen plugin manifest of the distributions installed in a directory."""
    import kernel
    import kernel.manifest as manifest
    import kernel.plugins as plugins
    import kernel.scanning as scanning

    directory = os.path.abspath(args.directory or os.path.dirname(os.path.dirname(os.path.abspath(kernel.__file__))))
    installed = manifest.distributions_in(directory)
    if not any(name.lower().startswith("kernel-") for name in installed):
        raise SystemExit(
            f"kernel: {directory} holds no installed kernel distribution; give the directory the deployment"
            " package is installed into (pip install --target DIR ...)"
        )
    groups = scanning.scan([directory])
    path = os.path.join(directory, manifest.FILENAME)
    try:
        groups_found = {group: found.values() for group, found in groups.items()}
        manifest.write(path, manifest.contents(groups_found, {".": manifest.describe(directory)}))
    except OSError as exc:
        raise SystemExit(f"kernel: cannot write {path}: {exc.strerror or exc}") from None
    shown = os.path.join(args.directory, manifest.FILENAME) if args.directory else path
    names = ", ".join(groups[plugins.GROUP]) or "none"
    print(f"kernel: wrote {shown} (plugins: {names}; {len(installed)} distributions)")
    return 0


def _loaded(name: str) -> Any:
    """The installed plugin ``name`` as loaded, or None when it does not load."""
    from kernel import plugins

    try:
        ((_, plugin),) = plugins.load([name])
    except (PluginLoadError, LookupError):
        return None
    return plugin


def _selection(manager: Any) -> Any:
    """How the app's plugins were chosen (``kernel.plugins.selection_reason``), or None when that is not known."""
    from kernel import plugins

    try:
        return plugins.selection_reason(manager)
    except LookupError:
        return None  # a manager the app built by other means


# -- kernel serve --------------------------------------------------------------------


def _serve(args: argparse.Namespace) -> int:
    """Run the app on uvicorn behind :class:`kernel.asgi.ASGIAdapter`."""
    from kernel import asgi

    try:
        import uvicorn
    except ModuleNotFoundError:
        # Named directly: both are on the public index under these names, unlike
        # our distributions (see the install page), and they are all the extra adds.
        raise SystemExit('kernel: serve needs uvicorn and watchfiles: pip install "uvicorn>=0.30" "watchfiles>=0.21"') from None
    options = dict(_option(args.parser, text) for text in args.event_option)
    # Build the adapter here even with --reload, so a wrong APP or --source
    # fails now with a clear message rather than inside uvicorn's worker.
    app = load_app(args.app)
    try:
        adapter = asgi.ASGIAdapter(app, args.source, options=options)
    except (LookupError, ValueError) as exc:
        raise SystemExit(f"kernel: {exc}") from None
    _check_options(args.parser, adapter)
    # Listening is checked before the banner, so a taken port is one line,
    # not "serving on ..." followed by uvicorn's error.
    _check_can_listen(args.host, args.port)
    # A wildcard address is where the server listens, not an address to open.
    shown_host = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(args.host) or (f"[{args.host}]" if ":" in args.host else args.host)
    base = f"http://{shown_host}:{args.port}"
    print(f"kernel: serving {args.app} as {adapter.source!r} events on {base}", flush=True)
    page = _first_page(app)
    if page is not None:
        print(f"kernel: open {base}{page}", flush=True)
    if not args.reload:
        uvicorn.run(adapter, host=args.host, port=args.port, log_level=args.log_level, **SERVER_LIMITS)
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
        **SERVER_LIMITS,
    )
    return 0


#: What uvicorn allows a client that sends a request slowly or not at all
#: (the adapter times out a body that stops coming: ASGIAdapter(body_timeout=...)).
SERVER_LIMITS: dict[str, Any] = {
    # h11 parses requests even when httptools is installed (uvicorn[standard]):
    # httptools buffers a header block of any size, h11 enforces the limit below.
    "http": "h11",
    # An idle keep-alive connection is closed after this many seconds.
    "timeout_keep_alive": 5,
    # A request line and headers larger than this (a header block still
    # arriving, or never ending) close the connection: 64 KiB, above what
    # API Gateway accepts in headers.
    "h11_max_incomplete_event_size": 64 * 1024,
    # Past this many connections at once, new ones are answered 503.
    "limit_concurrency": 1000,
    # Requests still running when the server stops get this many seconds.
    "timeout_graceful_shutdown": 5,
}


def _option(parser: argparse.ArgumentParser, text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        parser.error(f"argument --event-option: takes NAME=VALUE, not {text!r}")
    return name.replace("-", "_"), value


def _check_options(parser: argparse.ArgumentParser, adapter: Any) -> None:
    """Usage errors for event options the source does not declare, or whose values its builder refuses."""
    from kernel.events import HttpRequest

    declared = getattr(adapter.source_plugin, "options", None)
    if isinstance(declared, dict):
        for name in adapter.options:
            if name not in declared:
                known = f"its options: {', '.join(sorted(declared))}" if declared else "it takes none"
                parser.error(f"argument --event-option: the {adapter.source!r} source has no option {name!r} ({known})")
    if not adapter.options:
        return
    # Values are the builder's to judge: build one event now rather than
    # answer every request 400 for a typo in an option.
    try:
        adapter.source_plugin.build_event(HttpRequest.build("GET", "/"), **adapter.options)
    except (TypeError, ValueError) as exc:
        parser.error(f"argument --event-option: the {adapter.source!r} source refuses its options: {exc}")


def _check_can_listen(host: str, port: int) -> None:
    """Exit with one ``kernel:`` line when uvicorn could not listen on ``host:port``.

    Binds and closes a socket per address the host resolves to, with the
    options uvicorn and asyncio use (``SO_REUSEADDR``), so a port in
    ``TIME_WAIT`` passes, as it would for uvicorn, and a listening one fails.
    """
    where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise SystemExit(f"kernel: cannot listen on {where}: {exc.strerror}") from None
    for family, kind, protocol, _, address in addresses:
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    raise SystemExit(
                        f"kernel: cannot listen on {where}: the port is in use (another server?); choose another with --port"
                    ) from None
                raise SystemExit(f"kernel: cannot listen on {where}: {exc.strerror or exc}") from None


def _first_page(app: Any) -> str | None:
    """The path the banner points at: one a browser can open, or None.

    ``/`` when the app routes GET requests there. Otherwise its first GET
    route without path parameters, preferring routes left out of the OpenAPI
    schema: those serve people rather than API clients (the Swagger UI page
    of the ``swagger`` plugin is one), so they make a better first page.
    """
    routes = [
        route
        for route in getattr(app, "routes", None) or ()
        if getattr(route, "method", None) == "GET" and "<" not in str(getattr(route, "path", "<"))
    ]
    if any(route.path == "/" for route in routes):
        return "/"
    routes.sort(key=lambda route: bool(getattr(route, "include_in_schema", True)))
    return str(routes[0].path) if routes else None


def _port(text: str) -> int:
    """A TCP port to listen on, for argparse: 1 to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    # 0 (any free port) is refused too: the banner could not say where to go.
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is a number from 1 to 65535, not {port}")
    return port


# -- the command line ----------------------------------------------------------------


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("kernel")
    except metadata.PackageNotFoundError:  # a source tree that was never installed
        return "unknown (not installed)"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``kernel`` command line."""
    parser = argparse.ArgumentParser(prog="kernel", description="Run and inspect kernel apps.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True)

    invoke = commands.add_parser("invoke", help="print an app's response to an event file")
    invoke.add_argument("app", help="module:attribute or path/to/file.py[:attribute] (attribute defaults to app)")
    invoke.add_argument("event", help="path to a JSON event file, or - to read the event from standard input")
    invoke.set_defaults(run=_invoke)

    listing = commands.add_parser(
        "plugins", help="list the installed plugins, or the plugins an app uses, and the hooks each implements"
    )
    listing.add_argument("app", nargs="?", default=None, help="an app (as for invoke): list the plugins it uses")
    listing.set_defaults(run=_plugins)

    freeze = commands.add_parser(
        "freeze", help="write the plugin manifest of a deployment package, read at start instead of scanning"
    )
    freeze.add_argument(
        "directory",
        nargs="?",
        default=None,
        help="the directory the package's distributions are installed in (default: the one holding this kernel)",
    )
    freeze.set_defaults(run=_freeze)

    serve = commands.add_parser("serve", help="run an app on a local HTTP server, as an event source would invoke it")
    serve.add_argument("app", help="module:attribute or path/to/file.py[:attribute] (attribute defaults to app)")
    serve.add_argument(
        "--source", default=None, help="the event source to emulate: rest, http, alb... (default: the app's own, else rest)"
    )
    serve.add_argument("--host", default="127.0.0.1", help="the interface to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="the port to listen on, 1-65535 (default: 8000)")
    serve.add_argument("--reload", action="store_true", help="restart when a file in the app's directory changes")
    serve.add_argument(
        "--event-option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting of the source's events, e.g. multi_value=true for alb or stage=prod for rest (repeatable)",
    )
    serve.add_argument("--log-level", default="info", help="uvicorn's log level (default: info)")
    serve.set_defaults(run=_serve, parser=serve)

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
