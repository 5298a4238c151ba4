"""Finding plugins without a frozen manifest: the kernel's cache, and stevedore's scan.

:func:`kernel.plugins.discovery` reads a frozen manifest first (``kernel
freeze``); only when there is none it can use does it come here, so an app
started from a frozen deployment package never compiles or runs this module,
nor imports stevedore and ``importlib.metadata``. :func:`discover` then reads
the kernel's cache of an earlier scan by this interpreter, or has stevedore
scan the installed distributions and writes what it found to that cache.

stevedore caches its own scan under the home directory. On Lambda the home
directory is read-only, so :func:`entry_point_cache_dir` falls back to the
temporary directory (the one writable place there) for both caches.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import kernel.manifest as manifest  # not `from kernel import`: kernel.__getattr__ would look it up as a plugin's name


def _stevedore_cache_dir() -> str:
    # stevedore's own choice, computed here so the fast path never imports it
    # (stevedore._cache imports importlib.metadata).
    if sys.platform == "darwin":
        return os.path.expanduser("~/Library/Caches/Python Entry Points")
    if os.name == "posix":
        return os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "python-entrypoints")
    base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~\\AppData\\Local")
    return os.path.join(base, "Python Entry Points")


def _temp_dir() -> str:
    # tempfile.gettempdir()'s first choices, without importing tempfile (and random, hashlib...).
    for name in ("TMPDIR", "TEMP", "TMP"):
        candidate = os.environ.get(name)
        if candidate and os.path.isdir(candidate) and os.access(candidate, os.W_OK):
            return candidate
    if os.name == "posix" and os.access("/tmp", os.W_OK):
        return "/tmp"
    import tempfile

    return tempfile.gettempdir()


def entry_point_cache_dir() -> str:
    """Return a writable directory for the entry-point caches (stevedore's and the kernel's).

    stevedore's own choice (``$XDG_CACHE_HOME`` or ``~/.cache``) when it can be
    written to, otherwise a directory under the system temporary directory.
    """
    preferred = _stevedore_cache_dir()
    if _writable(preferred):
        return preferred
    return os.path.join(_temp_dir(), "kernel-entry-points")


def _writable(path: str) -> bool:
    # The cache directory may not exist yet: look at its nearest existing parent.
    while not os.path.exists(path):
        parent = os.path.dirname(path)
        if parent == path:
            return False
        path = parent
    return os.access(path, os.W_OK)


def _cache_file(directory: str) -> str:
    import zlib  # built in: a cheap, stable key (hash() of a str changes with every process)

    key = "\0".join([sys.executable, *sys.path]).encode("utf-8", "surrogateescape")
    return os.path.join(directory, f"kernel-{zlib.crc32(key):08x}.json")


def _own_file(path: str) -> bool:
    """Whether the cache file ``path`` was written by this user and only they can change it.

    The temporary directory is shared: a cache someone else could write
    would let them choose which modules the kernel imports.
    """
    try:
        status = os.stat(path)
    except OSError:
        return False
    getuid = getattr(os, "getuid", None)
    return getuid is None or (status.st_uid == getuid() and not status.st_mode & 0o022)


def discover(why: str | None = None) -> manifest.Discovery:
    """What the kernel's cache holds, or else what stevedore finds (then cached).

    :param why: why a frozen manifest that was found is not used, if one was:
        kept in the answer for ``kernel plugins`` to say.
    """
    directory = entry_point_cache_dir()
    cache = _cache_file(directory)
    if _own_file(cache):
        groups, _ = manifest.read(cache)  # a stale cache is no news: it is rebuilt below
        if groups is not None:
            return manifest.Discovery(groups, "cache", cache, why)
    groups = scan()
    written: str | None = None
    if not os.path.isfile(os.path.join(directory, ".disable")):
        entries = dict.fromkeys(os.path.abspath(entry or os.curdir) for entry in sys.path)
        paths = {entry: manifest.describe(entry) for entry in entries}
        try:
            os.makedirs(directory, mode=0o700, exist_ok=True)
            manifest.write(cache, manifest.contents({group: found.values() for group, found in groups.items()}, paths))
            written = cache
        except OSError:
            pass  # nowhere to write: the next process scans too
    return manifest.Discovery(groups, "scan", written, why)


def scan(path: Sequence[str] | None = None) -> manifest.Groups:
    """The entry points of every group of :data:`manifest.GROUPS`, found by stevedore.

    :param path: the directories to look in instead of ``sys.path`` (``kernel
        freeze`` scans the deployment package's directory only); such a scan
        is not cached.
    """
    from stevedore import _cache as stevedore_cache  # Cache(dir) is the only way to move its cache

    if path is None:
        cache = _stevedore()
        entry_points = {group: cache.get_group_all(group) for group in manifest.GROUPS}
    else:
        cache = stevedore_cache.Cache(entry_point_cache_dir())
        cache._disable_caching = True
        saved = sys.path[:]
        # stevedore's scan (importlib.metadata) reads sys.path when it runs.
        sys.path[:] = list(path)
        try:
            entry_points = {group: cache.get_group_all(group, path=tuple(path)) for group in manifest.GROUPS}
        finally:
            sys.path[:] = saved
    return {
        group: {ep.name: manifest.Declaration(ep.name, ep.value, group) for ep in sorted(found, key=lambda ep: ep.name)}
        for group, found in entry_points.items()
    }


_stevedore_cache: Any = None


def _stevedore() -> Any:
    global _stevedore_cache
    if _stevedore_cache is None:
        from stevedore import _cache as stevedore_cache

        directory = entry_point_cache_dir()
        cache = stevedore_cache.Cache(directory)
        # stevedore also switches its cache off for any interpreter under /tmp,
        # meant for ansible's throwaway ones. An app's interpreter is not one,
        # and the cache is keyed by the interpreter's path anyway, so only the
        # documented opt-out (a ".disable" file in the directory) applies here.
        cache._disable_caching = os.path.isfile(os.path.join(directory, ".disable"))
        _stevedore_cache = cache
    return _stevedore_cache


def group(name: str) -> Mapping[str, Any]:
    """The entry points of a group outside :data:`manifest.GROUPS` (a plugin's own), by name: only a scan knows it."""
    return {ep.name: ep for ep in sorted(_stevedore().get_group_all(name), key=lambda ep: ep.name)}


def forget() -> None:
    """Drop the stevedore cache object, so the next scan reads the cache directory again."""
    global _stevedore_cache
    _stevedore_cache = None
