"""Finding, loading and composing plugins.

Installed plugins are distributions that declare an entry point in the
``kernel.plugins`` group; the entry point loads an object (usually a module)
holding :data:`~kernel.hookspecs.hookimpl` functions. They are discovered with
stevedore when the first app is built, once per process.

stevedore caches the entry-point scan under the home directory. On Lambda the
home directory is read-only, so without help it would rescan every installed
distribution on every cold start; :func:`entry_point_cache_dir` falls back to
the temporary directory (the one writable place there) so a warm container and
the next cold start read the cache instead.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Sequence
from importlib.metadata import EntryPoint
from typing import Any

import pluggy
from stevedore import NamedExtensionManager
from stevedore import _cache as stevedore_cache  # Cache(dir) is the only way to move its cache

from kernel import hookspecs
from kernel.exceptions import PluginLoadError, PluginNotFoundError

GROUP = "kernel.plugins"

# Built-in plugins, registered in every app exactly like installed ones.
DEFAULT_PLUGINS: tuple[str, ...] = ("kernel.matching",)


def entry_point_cache_dir() -> str:
    """Return a writable directory for stevedore's entry-point cache.

    stevedore's own choice (``$XDG_CACHE_HOME`` or ``~/.cache``) when it can be
    written to, otherwise a directory under the system temporary directory.
    """
    preferred = stevedore_cache._get_cache_dir()
    if _writable(preferred):
        return preferred
    import tempfile  # only needed where the home directory is read-only

    return os.path.join(tempfile.gettempdir(), "kernel-entry-points")


def _writable(path: str) -> bool:
    # The cache directory may not exist yet: look at its nearest existing parent.
    while not os.path.exists(path):
        parent = os.path.dirname(path)
        if parent == path:
            return False
        path = parent
    return os.access(path, os.W_OK)


_entry_points: dict[str, EntryPoint] | None = None
_loaded: dict[str, object] = {}


def installed() -> dict[str, EntryPoint]:
    """Return the installed plugins' entry points by name, without loading them."""
    global _entry_points
    if _entry_points is None:
        # Sorted, so hook order never depends on install order.
        _entry_points = declarations(GROUP)
    return _entry_points


_stevedore_cache: Any = None


def _cache() -> Any:
    global _stevedore_cache
    if _stevedore_cache is None:
        directory = entry_point_cache_dir()
        cache = stevedore_cache.Cache(directory)
        # stevedore also switches its cache off for any interpreter under /tmp,
        # meant for ansible's throwaway ones. An app's interpreter is not one,
        # and the cache is keyed by the interpreter's path anyway, so only the
        # documented opt-out (a ".disable" file in the directory) applies here.
        cache._disable_caching = os.path.isfile(os.path.join(directory, ".disable"))
        _stevedore_cache = cache
    return _stevedore_cache


class _Loader(NamedExtensionManager[Any]):
    """stevedore's loader, fed from :func:`installed` rather than its own scan."""

    def list_entry_points(self) -> list[EntryPoint]:
        return list(installed().values())


def _raise_load_failure(manager: Any, entry_point: EntryPoint, exc: BaseException) -> None:
    raise PluginLoadError(f"The kernel plugin {entry_point.name!r} ({entry_point.value}) failed to load: {exc}") from exc


def _raise_missing(names: Iterable[str]) -> None:
    raise PluginNotFoundError(sorted(names)[0])


def load(names: Sequence[str]) -> list[tuple[str, object]]:
    """Import the installed plugins called ``names``; return ``(name, plugin)`` pairs.

    Raises :class:`~kernel.exceptions.PluginNotFoundError` naming the extra to
    install when one of them is not installed.
    """
    wanted = [name for name in names if name not in _loaded]
    if wanted:
        loader = _Loader(
            GROUP,
            names=wanted,
            on_load_failure_callback=_raise_load_failure,
            on_missing_entrypoints_callback=_raise_missing,
        )
        for extension in loader:
            _loaded[extension.name] = extension.plugin
    return [(name, _loaded[name]) for name in names]


def refresh() -> None:
    """Forget what discovery found, so the next app sees newly installed plugins."""
    global _entry_points, _stevedore_cache
    _entry_points = None
    _stevedore_cache = None
    _loaded.clear()
    _declared.clear()


def create_manager(
    plugins: Sequence[str | object] | None = None,
    *,
    also: Iterable[str] = (),
    opt_in: Collection[str] = (),
) -> pluggy.PluginManager:
    """Build a plugin manager holding the built-in plugins and the chosen ones.

    :param plugins: names of installed plugins and/or plugin objects. ``None``
        means every installed plugin except those named in ``opt_in``.
    :param also: plugin names to add when they are not among ``plugins``
        (the source an app is pinned to, a feature its settings ask for).
    :param opt_in: installed plugins a default manager leaves out.
    """
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    for module_name in DEFAULT_PLUGINS:
        manager.register(_import(module_name), name=module_name)
    chosen: list[str | object] = [name for name in installed() if name not in opt_in] if plugins is None else [*plugins]
    # A plugin object given directly counts under its plugin_name, so an app
    # can be pinned to a private source it passes as an object.
    given = {item if isinstance(item, str) else getattr(item, "plugin_name", None) for item in chosen}
    chosen.extend(name for name in dict.fromkeys(also) if name not in given)
    by_name = dict(load([plugin for plugin in chosen if isinstance(plugin, str)]))
    for plugin in chosen:
        if isinstance(plugin, str):
            if not manager.has_plugin(plugin):
                manager.register(by_name[plugin], name=plugin)
        elif not manager.is_registered(plugin):
            manager.register(plugin, name=getattr(plugin, "plugin_name", None))
    return manager


_declared: dict[tuple[str, str], Any] = {}


def declared(group: str, name: str) -> Any:
    """Load what an installed plugin declares as ``name`` in the entry-point group ``group``.

    Plugins contribute to the kernel through entry-point groups besides
    ``kernel.plugins``: ``kernel.exports`` (names importable from
    ``kernel``), ``kernel.app_methods`` (methods of apps) and
    ``kernel.commands`` (subcommands of the ``kernel`` command). Raises
    :class:`LookupError` when no installed plugin declares ``name``.
    """
    key = (group, name)
    if key not in _declared:
        entry_point = declarations(group).get(name)
        if entry_point is None:
            raise LookupError(f"No installed kernel plugin declares {name!r} in {group!r}")
        try:
            _declared[key] = entry_point.load()
        except ModuleNotFoundError as exc:
            # The declaring distribution's package is gone (uninstalled, or
            # left out of a deployment package): as good as not declared.
            module = entry_point.module
            if exc.name is None or not (module == exc.name or module.startswith(exc.name + ".")):
                raise
            raise LookupError(f"The kernel plugin declaring {name!r} in {group!r} cannot be imported: {exc}") from None
    return _declared[key]


def declarations(group: str) -> dict[str, EntryPoint]:
    """The entry points of ``group`` by name, without loading them."""
    return {ep.name: ep for ep in sorted(_cache().get_group_all(group), key=lambda ep: ep.name)}


def _import(module_name: str) -> Any:
    import importlib

    return importlib.import_module(module_name)


def describe(manager: pluggy.PluginManager) -> list[tuple[str, list[str]]]:
    """Return ``(plugin name, [hook names])`` for each plugin in ``manager``."""
    rows = []
    for name, plugin in manager.list_name_plugin():
        hooks = sorted(caller.name for caller in manager.get_hookcallers(plugin) or ())
        rows.append((name, hooks))
    return rows
