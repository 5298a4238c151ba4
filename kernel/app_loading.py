"""Finding the app a command names: ``module:attribute`` or ``path/to/file.py[:attribute]``."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from typing import Any

from kernel.exceptions import PluginNotFoundError


def load_app(target: str) -> Any:
    """Load ``module:attribute`` or ``path/to/file.py[:attribute]``; the attribute defaults to ``app``.

    Exits with a one-line ``kernel:`` message when there is no such module,
    file or attribute, or when building the app needs a plugin it cannot
    have (not installed, or left out by ``KERNEL_PLUGINS``): a matter of
    setup, not a bug of the app, whose other exceptions keep their traceback.
    """
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
        try:
            spec.loader.exec_module(module)
        except PluginNotFoundError as exc:
            raise SystemExit(f"kernel: cannot load {location}: {exc}") from None
    else:
        if not location.strip() or location.startswith("."):
            # importlib answers these with its own ValueError or TypeError: a usage error, not the app's.
            raise SystemExit(f"kernel: {target!r} names no app: give module:attribute or path/to/file.py")
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
        except PluginNotFoundError as exc:
            raise SystemExit(f"kernel: cannot load {location}: {exc}") from None
    try:
        return getattr(module, attribute)
    except AttributeError:
        raise SystemExit(f"kernel: {location} has no attribute {attribute!r}") from None
