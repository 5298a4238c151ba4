"""Finding, loading and composing plugins.

Installed plugins are distributions that declare an entry point in the
``kernel.plugins`` group; the entry point loads an object (usually a module)
holding :data:`~kernel.hookspecs.hookimpl` functions. They are found once per
process, when the first app is built (:func:`discovery`), in this order:

1. a frozen manifest (``kernel freeze``, :mod:`kernel.manifest`), read
   without importing ``importlib.metadata`` or stevedore, used when it still
   describes what is installed;
2. the kernel's cache of an earlier scan by this interpreter (same format,
   same checks), see :mod:`kernel.scanning`;
3. a scan by stevedore, whose result is then written to that cache.

An app loads only the plugins it uses: an app pinned to an event source does
not load the other sources (plugins declared in ``kernel.sources``), and a
plugin declared in ``kernel.on_demand`` is loaded only when the app asks for
it (by name, by a setting or route option, or through a name it declares).
Any other plugin is loaded by every app that does not list its plugins.
"""

from __future__ import annotations

import os
import sys
import warnings
import weakref
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any, Literal, NamedTuple, Protocol

import pluggy

import kernel.manifest as manifest  # not `from kernel import`: kernel.__getattr__ would look it up as a plugin's name
from kernel import hookspecs
from kernel.exceptions import PluginLoadError, PluginNotFoundError

GROUP = "kernel.plugins"
#: Plugins that are event sources: an app pinned to another source never loads them.
SOURCES_GROUP = "kernel.sources"
#: Plugins loaded only when an app asks for them.
ON_DEMAND_GROUP = "kernel.on_demand"

# Built-in plugins, registered in every app exactly like installed ones.
DEFAULT_PLUGINS: tuple[str, ...] = ("kernel.matching",)

#: The environment variable that, when set, lists the installed plugins an app
#: that does not list its own (``plugins=None``) may use: a production guard
#: against a plugin installed by accident changing every such app.
ALLOW_LIST_ENV = "KERNEL_PLUGINS"

#: The environment variable naming a frozen manifest to read instead of
#: ``kernel-plugins.json`` beside the ``kernel`` package.
MANIFEST_ENV = "KERNEL_MANIFEST"


class EntryPointLike(Protocol):
    """What the kernel reads of an entry point (``importlib.metadata.EntryPoint`` has it too)."""

    @property
    def name(self) -> str: ...  # pragma: no cover

    @property
    def value(self) -> str: ...  # pragma: no cover

    @property
    def group(self) -> str: ...  # pragma: no cover

    @property
    def module(self) -> str: ...  # pragma: no cover

    def load(self) -> Any: ...  # pragma: no cover


def manifest_path() -> str:
    """Where the frozen manifest is looked for: ``$KERNEL_MANIFEST``, else beside the ``kernel`` package."""
    beside_kernel = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.environ.get(MANIFEST_ENV) or os.path.join(beside_kernel, manifest.FILENAME)


_discovery: manifest.Discovery | None = None


def discovery() -> manifest.Discovery:
    """What discovery found in this process and how (a frozen manifest, the kernel's cache or a scan)."""
    global _discovery
    if _discovery is None:
        _discovery = _discover()
    return _discovery


def _discover() -> manifest.Discovery:
    frozen = manifest_path()
    groups, why = manifest.read(frozen)
    if groups is not None:
        return manifest.Discovery(groups, "frozen", frozen)
    if why is not None:
        warnings.warn(
            f"kernel ignores the plugin manifest {frozen} ({why}) and scans the installed plugins instead;"
            " run `kernel freeze` again when building the deployment package",
            manifest.ManifestWarning,
            stacklevel=3,
        )
    import kernel.scanning as scanning  # only without a usable manifest: stevedore and the kernel's cache

    return scanning.discover(why)


_entry_points: dict[str, EntryPointLike] | None = None
_loaded: dict[str, object] = {}


def installed() -> dict[str, EntryPointLike]:
    """Return the installed plugins' entry points by name (sorted), without loading them."""
    global _entry_points
    if _entry_points is None:
        _entry_points = dict(declarations(GROUP))
    return _entry_points


def sources() -> Collection[str]:
    """The installed plugins that declare themselves event sources (``kernel.sources``)."""
    return declarations(SOURCES_GROUP).keys()


def on_demand() -> Collection[str]:
    """The installed plugins loaded only when an app asks for them (``kernel.on_demand``)."""
    return declarations(ON_DEMAND_GROUP).keys()


def load(names: Sequence[str]) -> list[tuple[str, object]]:
    """Import the installed plugins called ``names``; return ``(name, plugin)`` pairs.

    Raises :class:`~kernel.exceptions.PluginNotFoundError` naming the extra to
    install when one of them is not installed, and
    :class:`~kernel.exceptions.PluginLoadError` when one fails to import.
    """
    wanted = [name for name in names if name not in _loaded]
    if wanted:
        available = installed()
        missing = sorted(name for name in wanted if name not in available)
        if missing:
            raise PluginNotFoundError(missing[0])
        for name in wanted:
            entry_point = available[name]
            try:
                _loaded[name] = entry_point.load()
            except Exception as exc:
                raise PluginLoadError(
                    f"The kernel plugin {entry_point.name!r} ({entry_point.value}) failed to load: {exc}"
                ) from exc
    return [(name, _loaded[name]) for name in names]


def refresh() -> None:
    """Forget what discovery found, so the next app sees newly installed plugins."""
    global _entry_points, _discovery
    _entry_points = None
    _discovery = None
    if "kernel.scanning" in sys.modules:
        sys.modules["kernel.scanning"].forget()
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


class Selection(NamedTuple):
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
# How each manager's app asks for the plugins it loads on demand (the reasons they are left out until then).
_on_demand_hints: weakref.WeakKeyDictionary[pluggy.PluginManager, Mapping[str, str]] = weakref.WeakKeyDictionary()


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


def require(manager: pluggy.PluginManager, name: str, needed_by: str) -> bool:
    """Make sure the plugin ``name`` is in ``manager``; return whether it had to be added.

    A plugin the app left out only because it is loaded on demand
    (``kernel.on_demand``) is loaded and registered now. Otherwise raise
    :class:`PluginNotInAppError` when it is not in ``manager``.

    :param needed_by: what needs it, the start of the message, such as
        ``"cors=True on route GET /todos"``.
    """
    if manager.has_plugin(name):
        return False
    selection = _selections.get(manager)
    if name not in installed():
        raise PluginNotInAppError(name, f"{needed_by} needs a plugin the app does not have. {PluginNotFoundError(name)}")
    reason = _on_demand_reason(manager, name, selection) if selection is not None else None
    if selection is not None and reason is not None and selection.left_out.get(name) == reason:
        ((_, plugin),) = load([name])
        manager.register(plugin, name=name)
        left_out = {key: value for key, value in selection.left_out.items() if key != name}
        _selections[manager] = selection._replace(reasons={**selection.reasons, name: needed_by}, left_out=left_out)
        return True
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


_ON_DEMAND = "loaded when the app uses it"


def _on_demand_reason(manager: pluggy.PluginManager, name: str, selection: Selection) -> str | None:
    # The reason an app left out a plugin it would load when asked; None for a plugin it never loads.
    if selection.rule == "listed" or name not in on_demand():
        return None
    if selection.allow_list is not None and name not in selection.allow_list:
        return None
    return _on_demand_hints.get(manager, {}).get(name, _ON_DEMAND)


def join(manager: pluggy.PluginManager, group: str, name: str) -> bool:
    """Add to ``manager`` the on-demand plugin that declares ``name`` in ``group``, if the app left it out.

    Called when an app uses a name a plugin declares (an app method, say):
    the plugin is the one whose entry point is in the same top-level package.
    Returns whether a plugin was added.
    """
    declaration = declarations(group).get(name)
    selection = _selections.get(manager)
    if declaration is None or selection is None:
        return False
    package = declaration.module.partition(".")[0]
    for plugin_name in on_demand():
        entry_point = installed().get(plugin_name)
        if entry_point is not None and entry_point.module.partition(".")[0] == package:
            reason = _on_demand_reason(manager, plugin_name, selection)
            if reason is not None and selection.left_out.get(plugin_name) == reason:
                return require(manager, plugin_name, f"{name} ({group})")
    return False


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, looking for hook implementations among the names a hook can have.

    Registering a plugin makes pluggy look up every name ``dir()`` gives for
    it; those of Python's own protocols (``__init__``, ``__dict__``...) can be
    no hook's, and skipping them halves what registering a source costs, at
    every cold start.
    """

    def parse_hookimpl_opts(self, plugin: Any, name: str) -> pluggy.HookimplOpts | None:
        if name[:2] == "__" and name[-2:] == "__":
            return None
        return super().parse_hookimpl_opts(plugin, name)


def create_manager(
    plugins: Sequence[str | object] | None = None,
    *,
    also: Iterable[str] | Mapping[str, str] = (),
    opt_in: Collection[str] | Mapping[str, str] = (),
    source: str | None = None,
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
        mapping, each with how an app asks for it. The plugins declared in
        ``kernel.on_demand`` are left out too (until :func:`require` adds them).
    :param source: the event source the app is pinned to: a default manager
        leaves out the other plugins declared in ``kernel.sources``.

    Raises :class:`~kernel.exceptions.PluginNotFoundError` when a plugin
    named in ``plugins``, ``also`` or ``KERNEL_PLUGINS`` is not installed, and
    :class:`PluginNotInAppError` (one) when ``KERNEL_PLUGINS`` applies and
    leaves out a plugin of ``also``.
    """
    manager = PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    for module_name in DEFAULT_PLUGINS:
        manager.register(_import(module_name), name=module_name)
    wanted = dict(also) if isinstance(also, Mapping) else dict.fromkeys(also, "asked for by the app")
    opt_in_hints = dict.fromkeys(on_demand(), _ON_DEMAND)
    opt_in_hints.update(opt_in if isinstance(opt_in, Mapping) else dict.fromkeys(opt_in, "used only when the app asks for it"))
    allowed = allow_list()
    available = installed()
    other_sources = [name for name in sources() if name != source] if source is not None else []
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
            elif name in other_sources and name not in wanted:
                left_out[name] = f"another event source: the app takes {source!r} events"
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
    _on_demand_hints[manager] = opt_in_hints
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


def declarations(group: str) -> Mapping[str, EntryPointLike]:
    """The entry points of ``group`` by name (sorted), without loading them."""
    return discovery().groups.get(group) or _scanned_group(group)


def _scanned_group(group: str) -> Mapping[str, EntryPointLike]:
    # A group outside manifest.GROUPS (a plugin's own): only a scan knows it.
    if group in manifest.GROUPS:
        return {}
    import kernel.scanning as scanning

    return scanning.group(group)


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
