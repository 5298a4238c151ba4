"""Hostile plugin manifests: corrupt, foreign, truncated or binary files are ignored with a reason, never a crash."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kernel import manifest, plugins
from tests.events import rest_event


def _read(tmp_path: Path, content: bytes | Any) -> tuple[Any, str | None]:
    path = tmp_path / manifest.FILENAME
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    # The manifest's own directory is the only one on the path: an empty one, so "." describes it exactly.
    return manifest.read(str(path), [str(tmp_path)])


def _manifest(**paths_entry: Any) -> dict[str, Any]:
    return {"format": manifest.FORMAT, "paths": {".": {"distributions": [], **paths_entry}}, "groups": {}}


UNREADABLE_DEPTH = b"[" * 100_000


@pytest.mark.parametrize(
    ("content", "why"),
    [
        # Nested deeper than json recurses: it raised RecursionError out of the kernel's import.
        (UNREADABLE_DEPTH, "unreadable: maximum recursion depth exceeded while decoding a JSON array from a unicode string"),
        # entry_points that is not a map: it raised AttributeError.
        (_manifest(entry_points=[1]), "foreign: its paths are not what a manifest records"),
        # A distribution named with a NUL byte: it raised ValueError from open().
        (_manifest(entry_points={"a\x00b": 1}), "foreign: its paths are not what a manifest records"),
        # Entry points that are not text: they were accepted, and loading them would have crashed the app.
        (
            {**_manifest(), "groups": {"kernel.plugins": {"rest": 5}}},
            "foreign: its groups are not maps of names to entry points",
        ),
        ({**_manifest(), "groups": {"kernel.plugins": ["rest"]}}, "foreign: its groups are not maps of names to entry points"),
        ({**_manifest(), "paths": []}, "foreign: it lacks the paths or groups a manifest holds"),
        ([], f"foreign: not a kernel plugin manifest of format {manifest.FORMAT}"),
        ({"format": "1"}, f"foreign: not a kernel plugin manifest of format {manifest.FORMAT}"),
    ],
)
def test_a_hostile_manifest_is_refused_with_its_reason(tmp_path, content, why):
    assert _read(tmp_path, content) == (None, why)


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe\x00\x01binary", b"", b'{"format": 1, "paths": {".": {"distrib', b"\x00" * 1_000],
)
def test_binary_truncated_or_empty_files_are_unreadable(tmp_path, content):
    groups, why = _read(tmp_path, content)

    assert groups is None
    assert why is not None
    assert why.startswith("unreadable: ")


def test_the_app_starts_by_scanning_when_its_manifest_is_hostile(tmp_path, monkeypatch):
    path = tmp_path / manifest.FILENAME
    path.write_bytes(UNREADABLE_DEPTH)
    monkeypatch.setenv(plugins.MANIFEST_ENV, str(path))
    monkeypatch.setattr(plugins, "_discovery", None)
    monkeypatch.setattr(plugins, "_entry_points", None)

    from kernel import APIGatewayRestResolver

    with pytest.warns(manifest.ManifestWarning, match="unreadable: maximum recursion depth exceeded"):
        app = APIGatewayRestResolver(plugins=["rest"])

    @app.get("/ok")
    def ok():
        return {"ok": True}

    response = app(rest_event("GET", "/ok"), None)

    assert (response["statusCode"], json.loads(response["body"])) == (200, {"ok": True})
    assert plugins.discovery().how in {"scan", "cache"}
