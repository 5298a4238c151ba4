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
import weakref
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import EntryPoint
from typing import Any, Literal

import pluggy
from stevedore import NamedExtensionManager
from stevedore import _cache as stevedore_cache  # Cache(dir) is the only way to move its cache

from kernel import hookspecs
from kernel.exceptions import PluginLoadError, PluginNotFoundError

GROUP = "kernel.plugins"

# Built-in plugins, registered in every app exactly like installed ones.
DEFAULT_PLUGINS: tuple[str, ...] = ("kernel.matching",)

#: The environment variable that, when set, lists the installed plugins an app
#: that does not list its own (``plugins=None``) may use: a production guard
#: against a plugin installed by accident changing every such app.
ALLOW_LIST_ENV = "KERNEL_PLUGINS"


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


def allow_list() -> tuple[str, ...] | None:
    """The plugin names ``KERNEL_PLUGINS`` lists, or ``None`` when it is unset or blank.

    Names are separated by commas; spaces around them and empty entries are
    ignored, so ``KERNEL_PLUGINS=""`` is the same as leaving it unset. The
    variable is read each time an app is built (once per cold start on
    Lambda), like ``POWERTOOLS_DEV``, so a test can set it for one app.
    """
    names = (name.strip() for name in os.environ.get(ALLOW_LIST_ENV, "").split(","))
    return tuple(dict.fromkeys(name for name in names if name)) or None


Rule = Literal["listed", "installed", "allow-list"]


@dataclass(frozen=True)
class Selection:
    """How :func:`create_manager` chose a manager's plugins (see :func:`selection_reason`).

    :ivar rule: ``"listed"`` when the app named its plugins (``plugins=[...]``),
        ``"installed"`` when it took every installed plugin, ``"allow-list"``
        when it took the installed plugins ``KERNEL_PLUGINS`` names.
    :ivar allow_list: the names ``KERNEL_PLUGINS`` held when the manager was
        built, ``None`` when it was unset; kept even when they did not apply
        (an app that lists its plugins), so a report can say so.
    :ivar reasons: why each plugin was put in the manager, by plugin name.
    :ivar left_out: why each installed plugin that is not in the manager was
        left out, by plugin name.
    """

    rule: Rule
    allow_list: tuple[str, ...] | None
    reasons: Mapping[str, str]
    left_out: Mapping[str, str]

    def reason_for(self, name: str) -> str:
        """Why the plugin ``name`` is in the manager."""
        return self.reasons.get(name, "registered on the app after it was built")

    def summary(self) -> str:
        """One sentence saying which rule chose the plugins."""
        if self.rule == "listed":
            text = "the plugins the app lists (plugins=[...])"
            if self.allow_list is not None:
                text += f"; {ALLOW_LIST_ENV} does not apply to an app that lists its plugins"
            return text
        if self.rule == "allow-list":
            return f"the installed plugins {ALLOW_LIST_ENV} allows ({_shown(self.allow_list)})"
        return f"every installed plugin ({ALLOW_LIST_ENV} is not set)"


# The Selection of each manager create_manager built, for as long as the manager lives.
_selections: weakref.WeakKeyDictionary[pluggy.PluginManager, Selection] = weakref.WeakKeyDictionary()


def selection_reason(manager: pluggy.PluginManager) -> Selection:
    """How the plugins of ``manager`` (an app's ``plugin_manager``) were chosen, and why each one is in or out.

    Raises :class:`LookupError` for a manager :func:`create_manager` did not build.
    """
    try:
        return _selections[manager]
    except KeyError:
        raise LookupError("This plugin manager was not built by kernel.plugins.create_manager") from None


class PluginNotInAppError(PluginNotFoundError):
    """A plugin the app needs is not among its plugins: not installed, or left out by the app's choice.

    It is a :class:`~kernel.exceptions.PluginNotFoundError`, so code catching
    that catches it too; its message says what needs the plugin and how to
    get it into the app.
    """

    def __init__(self, name: str, message: str) -> None:
        # Not PluginNotFoundError.__init__, which writes its own message
        # (reused below, for plugins that are not installed).
        LookupError.__init__(self, message)
        self.name = name

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.name, str(self)))


def _shown(names: Iterable[str] | None) -> str:
    return ",".join(names or ())


def require(manager: pluggy.PluginManager, name: str, needed_by: str) -> None:
    """Raise :class:`PluginNotInAppError` unless the plugin ``name`` is in ``manager``.

    :param needed_by: what needs it, the start of the message, such as
        ``"cors=True on route GET /todos"``.
    """
    if manager.has_plugin(name):
        return
    if name not in installed():
        raise PluginNotInAppError(name, f"{needed_by} needs a plugin the app does not have. {PluginNotFoundError(name)}")
    selection = _selections.get(manager)
    if selection is None or name not in selection.left_out:
        fix = "which was unregistered from the app"
    elif selection.rule == "listed":
        fix = f"which the app's plugins=[...] does not name: add {name!r} to the list"
    elif selection.rule == "allow-list" and selection.allow_list is not None and name not in selection.allow_list:
        fix = (
            f"which {ALLOW_LIST_ENV}={_shown(selection.allow_list)} leaves out: add {name} to {ALLOW_LIST_ENV},"
            " or list the app's plugins with plugins=[...]"
        )
    else:
        fix = f"which the app left out ({selection.left_out[name]})"
    raise PluginNotInAppError(name, f"{needed_by} needs the kernel plugin {name!r}, {fix}.")


def create_manager(
    plugins: Sequence[str | object] | None = None,
    *,
    also: Iterable[str] | Mapping[str, str] = (),
    opt_in: Collection[str] | Mapping[str, str] = (),
) -> pluggy.PluginManager:
    """Build a plugin manager holding the built-in plugins and the chosen ones.

    :param plugins: names of installed plugins and/or plugin objects. ``None``
        means every installed plugin except those named in ``opt_in``, or,
        when ``KERNEL_PLUGINS`` is set, those of them it names
        (:func:`allow_list`).
    :param also: plugin names to add when they are not among ``plugins``
        (the source an app is pinned to, a feature its settings ask for); as a
        mapping, each name with why the app asks for it (``"the app's source"``),
        shown by :func:`selection_reason` and error messages.
    :param opt_in: installed plugins a default manager leaves out; as a
        mapping, each with how an app asks for it.

    Raises :class:`~kernel.exceptions.PluginNotFoundError` when a plugin
    named in ``plugins``, ``also`` or ``KERNEL_PLUGINS`` is not installed, and
    :class:`PluginNotInAppError` (one) when ``KERNEL_PLUGINS`` applies and
    leaves out a plugin of ``also``.
    """
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    for module_name in DEFAULT_PLUGINS:
        manager.register(_import(module_name), name=module_name)
    wanted = dict(also) if isinstance(also, Mapping) else dict.fromkeys(also, "asked for by the app")
    opt_in_hints = dict(opt_in) if isinstance(opt_in, Mapping) else dict.fromkeys(opt_in, "used only when the app asks for it")
    allowed = allow_list()
    available = installed()
    reasons: dict[str, str] = dict.fromkeys(DEFAULT_PLUGINS, "built-in")
    left_out: dict[str, str] = {}
    rule: Rule
    if plugins is None:
        rule = "installed" if allowed is None else "allow-list"
        if allowed is not None:
            for name in allowed:
                if name not in available and name not in DEFAULT_PLUGINS:
                    raise PluginNotInAppError(name, f"{ALLOW_LIST_ENV} names {name!r}. {PluginNotFoundError(name)}")
        chosen: list[str | object] = []
        default_reason = "installed" if allowed is None else f"installed, in {ALLOW_LIST_ENV}"
        # In name order, so hook order never depends on install order; an
        # opt-in plugin the app asks for is added after them, below.
        for name in available:
            if allowed is not None and name not in allowed:
                left_out[name] = f"not in {ALLOW_LIST_ENV}"
            elif name not in opt_in_hints:
                chosen.append(name)
                reasons[name] = wanted.get(name, default_reason)
            elif name not in wanted:
                left_out[name] = opt_in_hints[name]
        if allowed is not None:
            for name, why in wanted.items():
                if name in available and name not in allowed:
                    raise PluginNotInAppError(
                        name,
                        f"The kernel plugin {name!r} ({why}) is left out by {ALLOW_LIST_ENV}={_shown(allowed)}:"
                        f" add {name} to {ALLOW_LIST_ENV}, or list the app's plugins with plugins=[...]",
                    )
    else:
        rule = "listed"
        chosen = [*plugins]
        reasons.update((item, "in plugins=[...]") for item in chosen if isinstance(item, str))
    # A plugin object given directly counts under its plugin_name, so an app
    # can be pinned to a private source it passes as an object.
    given = {item if isinstance(item, str) else getattr(item, "plugin_name", None) for item in chosen}
    for name, why in wanted.items():
        if name not in given:
            chosen.append(name)
            reasons[name] = why
    by_name = dict(load([plugin for plugin in chosen if isinstance(plugin, str)]))
    for plugin in chosen:
        if isinstance(plugin, str):
            if not manager.has_plugin(plugin):
                manager.register(by_name[plugin], name=plugin)
        elif not manager.is_registered(plugin):
            registered = manager.register(plugin, name=getattr(plugin, "plugin_name", None))
            if registered is not None:
                reasons.setdefault(registered, "given as an object in plugins=[...]")
    if rule == "listed":
        left_out.update((name, "not in the app's plugins=[...]") for name in available if not manager.has_plugin(name))
    _selections[manager] = Selection(rule, allowed, reasons, left_out)
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
