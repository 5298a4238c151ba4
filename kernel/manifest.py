"""Plugin manifests: the installed plugins' entry points, read at start without scanning.

Finding plugins means reading the entry points of every installed
distribution. stevedore does that (with ``importlib.metadata``, whose import
alone pulls in ``email``, ``zipfile`` and more and costs about as much as the
rest of the kernel). A *manifest* is what that scan found, written to a JSON
file, so a later process reads one small file instead:

- a **frozen** manifest, ``kernel-plugins.json`` beside the ``kernel``
  package, written by ``kernel freeze`` when a deployment package is built;
- a **cache**, written by the kernel itself after a scan, in the same
  directory as stevedore's cache (the temporary directory on Lambda).

A manifest is never trusted blindly. It records, for each directory it
describes, the names of the distributions installed there (their
``.dist-info`` directories, which carry name and version) and a checksum of
the ``entry_points.txt`` of those declaring kernel entry points. At start the
kernel lists those directories again (one ``listdir`` each), reads those few
files again, and ignores the manifest, with a :class:`ManifestWarning`, when
a distribution was added, removed, upgraded or reinstalled with other entry
points (*stale*), when a directory it describes is not on
``sys.path`` (*foreign*: copied from another installation), or when a
distribution in a directory it does not describe declares kernel entry
points (a plugin in a Lambda layer, say). The kernel then scans with
stevedore, as it does without a manifest.

This module imports nothing but ``os``, ``json`` and ``zlib`` (built in): it is on every cold start.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

#: The file name of a frozen manifest, in the directory holding the ``kernel`` package.
FILENAME = "kernel-plugins.json"

#: The version of the manifest format this kernel reads and writes.
FORMAT = 1

#: The entry-point groups a manifest holds: the plugins, what they declare
#: (names, app methods, commands) and the markers of when they are loaded.
GROUPS = (
    "kernel.plugins",
    "kernel.sources",
    "kernel.on_demand",
    "kernel.exports",
    "kernel.app_methods",
    "kernel.commands",
)

# Set when a directory's distributions hold the kernel's entry points; read in
# entry_points.txt without parsing it.
_KERNEL_SECTION = b"[kernel."


class ManifestWarning(UserWarning):
    """A plugin manifest was found but not used: stale, foreign or unreadable."""


class Declaration(NamedTuple):
    """One entry point: what ``importlib.metadata.EntryPoint`` offers the kernel, without importing it."""

    name: str
    value: str
    group: str

    @property
    def module(self) -> str:
        """The module the entry point names (before the ``:``)."""
        return self.value.partition(":")[0].strip()

    @property
    def attr(self) -> str:
        """The attribute path inside the module (after the ``:``), or ``""``."""
        return self.value.partition(":")[2].partition("[")[0].strip()

    def load(self) -> Any:
        """Import the module and return the object the entry point names."""
        import importlib

        found: Any = importlib.import_module(self.module)
        for part in filter(None, self.attr.split(".")):
            found = getattr(found, part)
        return found


Groups = dict[str, dict[str, Declaration]]


class Discovery(NamedTuple):
    """What a process found, and how (shown by ``kernel plugins``).

    :ivar groups: the entry points of each group in :data:`GROUPS`, by name.
    :ivar how: ``"frozen"`` (a frozen manifest), ``"cache"`` (the kernel's
        cache of an earlier scan) or ``"scan"`` (stevedore, this process).
    :ivar path: the manifest or cache file read or written, if any.
    :ivar ignored: why a manifest that was found was not used, if one was.
    """

    groups: Groups
    how: str
    path: str | None
    ignored: str | None = None


# -- reading ------------------------------------------------------------------------------


def distributions_in(directory: str) -> list[str]:
    """The names of the distributions' metadata directories in ``directory``, sorted."""
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    return sorted(name for name in names if name.endswith((".dist-info", ".egg-info")))


def _entry_points_text(directory: str, distribution: str) -> bytes:
    try:
        with open(os.path.join(directory, distribution, "entry_points.txt"), "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def declares_kernel_entry_points(directory: str, distribution: str) -> bool:
    """Whether the distribution whose metadata is ``directory/distribution`` declares kernel entry points."""
    return _KERNEL_SECTION in _entry_points_text(directory, distribution)


def describe(directory: str) -> dict[str, Any]:
    """What a manifest records of ``directory``: its distributions, and a checksum of each one's kernel entry points."""
    distributions = distributions_in(directory)
    checksums = {}
    for distribution in distributions:
        text = _entry_points_text(directory, distribution)
        if _KERNEL_SECTION in text:
            checksums[distribution] = zlib.crc32(text)
    return {"distributions": distributions, "entry_points": checksums}


def _normal(path: str) -> str:
    return os.path.normcase(os.path.abspath(path or os.curdir))


def problem(data: Any, manifest_dir: str, sys_path: Sequence[str]) -> str | None:
    """Why the manifest ``data`` (its JSON, read from ``manifest_dir``) cannot be used now, or None.

    ``sys_path`` is the module search path it is checked against.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return f"foreign: not a kernel plugin manifest of format {FORMAT}"
    paths, groups = data.get("paths"), data.get("groups")
    if not isinstance(paths, dict) or not isinstance(groups, dict):
        return "foreign: it lacks the paths or groups a manifest holds"
    on_path = {_normal(entry) for entry in sys_path}
    covered = set()
    for key, expected in paths.items():
        directory = _normal(manifest_dir if key == "." else key)
        if directory not in on_path:
            return f"foreign: it describes {directory}, which is not on sys.path"
        if not isinstance(expected, dict) or distributions_in(directory) != expected.get("distributions"):
            return f"stale: the distributions installed in {directory} changed since it was written"
        for distribution, checksum in (expected.get("entry_points") or {}).items():
            if zlib.crc32(_entry_points_text(directory, distribution)) != checksum:
                return f"stale: the entry points of {distribution} in {directory} changed since it was written"
        covered.add(directory)
    for entry in dict.fromkeys(map(_normal, sys_path)):
        if entry in covered:
            continue
        for distribution in distributions_in(entry):
            if declares_kernel_entry_points(entry, distribution):
                return f"stale: {distribution} in {entry} declares kernel entry points it does not hold"
    return None


def read(path: str, sys_path: Sequence[str] | None = None) -> tuple[Groups | None, str | None]:
    """Read and check the manifest at ``path``: ``(groups, None)``, or ``(None, why not)``.

    A missing file is ``(None, None)``: no manifest, nothing to warn about.
    """
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        return None, None
    except (OSError, ValueError, RecursionError) as exc:
        # RecursionError: JSON nested deeper than the parser recurses.
        return None, f"unreadable: {exc}"
    try:
        why = problem(data, os.path.dirname(os.path.abspath(path)), sys.path if sys_path is None else sys_path)
    except (AttributeError, TypeError, ValueError):
        # Values of the wrong type, or a name holding a NUL byte no path may hold.
        return None, "foreign: its paths are not what a manifest records"
    if why is not None:
        return None, why
    found: Groups = {}
    try:
        for group in GROUPS:
            entries = sorted(data["groups"].get(group, {}).items())
            if not all(isinstance(name, str) and isinstance(value, str) for name, value in entries):
                raise TypeError(group)
            found[group] = {name: Declaration(name, value, group) for name, value in entries}
    except (AttributeError, TypeError, ValueError):
        return None, "foreign: its groups are not maps of names to entry points"
    return found, None


# -- writing ------------------------------------------------------------------------------


def contents(groups: Mapping[str, Iterable[Declaration]], paths: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """The JSON of a manifest holding ``groups`` and describing the directories ``paths``.

    :param paths: what :func:`describe` says of each directory, keyed by the
        directory, or by ``"."`` for the manifest's own directory.
    """
    return {
        "format": FORMAT,
        "written_by": f"kernel, Python {sys.version_info[0]}.{sys.version_info[1]}",
        "paths": dict(paths),
        "groups": {group: {item.name: item.value for item in groups.get(group, ())} for group in GROUPS},
    }


def write(path: str, data: Mapping[str, Any]) -> None:
    """Write ``data`` to ``path`` atomically: readers see the old file or the new one, never half of one."""
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1, sort_keys=True)
            handle.write("\n")
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
