"""Frozen discovery: ``kernel freeze`` writes a manifest the kernel reads at start, checked, never trusted blindly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import textwrap
import zlib
from pathlib import Path
from typing import Any

import pytest

from kernel import cli, manifest, plugins, scanning
from tests.events import rest_event

REPO = Path(__file__).resolve().parents[2]
SITE = sysconfig.get_paths()["purelib"]


def fake_site(root: Path, *, plugin: str = "fake", group: str = "kernel.plugins") -> Path:
    """A directory laid out like a ``pip install --target`` one: kernel and one plugin distribution."""
    site = root / "site"
    (site / "kernel-0.1.0.dist-info").mkdir(parents=True)
    (site / "kernel-0.1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: kernel\nVersion: 0.1.0\n")
    info = site / f"kernel_{plugin}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: kernel-{plugin}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[{group}]\n{plugin} = kernel_{plugin}:plugin\n")
    return site


def test_freeze_writes_the_manifest_of_a_directory(tmp_path, capsys):
    site = fake_site(tmp_path)
    assert cli.main(["freeze", str(site)]) == 0
    assert capsys.readouterr().out == (f"kernel: wrote {site / manifest.FILENAME} (plugins: fake; 2 distributions)\n")
    data = json.loads((site / manifest.FILENAME).read_text())
    assert data["format"] == manifest.FORMAT
    checksum = zlib.crc32((site / "kernel_fake-1.0.dist-info" / "entry_points.txt").read_bytes())
    assert data["paths"] == {
        ".": {
            "distributions": ["kernel-0.1.0.dist-info", "kernel_fake-1.0.dist-info"],
            "entry_points": {"kernel_fake-1.0.dist-info": checksum},
        }
    }
    assert data["groups"]["kernel.plugins"] == {"fake": "kernel_fake:plugin"}
    assert set(data["groups"]) == set(manifest.GROUPS)
    # What the directory holds, and nothing of the interpreter that froze it.
    assert data["groups"]["kernel.sources"] == {}
    # It is valid where that directory is on sys.path.
    assert manifest.problem(data, str(site), [str(site)]) is None


def test_freeze_refuses_a_directory_without_kernel(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    with pytest.raises(SystemExit) as info:
        cli.main(["freeze", str(tmp_path / "empty")])
    assert str(info.value) == (
        f"kernel: {tmp_path / 'empty'} holds no installed kernel distribution; give the directory the deployment"
        " package is installed into (pip install --target DIR ...)"
    )


# -- the checks ----------------------------------------------------------------------


@pytest.fixture
def frozen(tmp_path) -> tuple[Path, dict[str, Any]]:
    site = fake_site(tmp_path)
    assert cli.main(["freeze", str(site)]) == 0
    return site, json.loads((site / manifest.FILENAME).read_text())


@pytest.mark.usefixtures("capsys")
def test_a_distribution_added_upgraded_or_removed_makes_it_stale(frozen):
    site, data = frozen
    (site / "kernel_other-2.0.dist-info").mkdir()
    stale = f"stale: the distributions installed in {site} changed since it was written"
    assert manifest.problem(data, str(site), [str(site)]) == stale
    (site / "kernel_other-2.0.dist-info").rmdir()
    (site / "kernel_fake-1.0.dist-info").rename(site / "kernel_fake-1.1.dist-info")
    assert manifest.problem(data, str(site), [str(site)]).startswith("stale: ")
    (site / "kernel_fake-1.1.dist-info").rename(site / "kernel_fake-1.0.dist-info")
    assert manifest.problem(data, str(site), [str(site)]) is None
    # Reinstalled at the same version with other entry points: the names alone would not tell.
    (site / "kernel_fake-1.0.dist-info" / "entry_points.txt").write_text("[kernel.plugins]\nfake = kernel_fake:other\n")
    assert manifest.problem(data, str(site), [str(site)]) == (
        f"stale: the entry points of kernel_fake-1.0.dist-info in {site} changed since it was written"
    )


@pytest.mark.usefixtures("capsys")
def test_a_manifest_of_a_directory_not_on_sys_path_is_foreign(frozen, tmp_path):
    site, data = frozen
    assert manifest.problem(data, str(site), [str(tmp_path)]) == f"foreign: it describes {site}, which is not on sys.path"
    assert manifest.problem({"format": 99}, str(site), [str(site)]) == "foreign: not a kernel plugin manifest of format 1"
    assert manifest.problem([], str(site), [str(site)]).startswith("foreign: ")


@pytest.mark.usefixtures("capsys")
def test_a_kernel_plugin_elsewhere_on_sys_path_makes_it_stale(frozen, tmp_path):
    site, data = frozen
    layer = fake_site(tmp_path / "layer", plugin="layered")
    (layer / "kernel-0.1.0.dist-info").rename(layer / "unrelated-1.0.dist-info")
    assert manifest.problem(data, str(site), [str(site), str(layer)]) == (
        f"stale: kernel_layered-1.0.dist-info in {layer} declares kernel entry points it does not hold"
    )
    # Distributions without kernel entry points elsewhere (the runtime's own) are fine.
    (layer / "kernel_layered-1.0.dist-info" / "entry_points.txt").write_text("[console_scripts]\nx = y:z\n")
    assert manifest.problem(data, str(site), [str(site), str(layer)]) is None


def test_read_says_why_it_ignores_a_file(tmp_path):
    assert manifest.read(str(tmp_path / "absent.json")) == (None, None)
    (tmp_path / "broken.json").write_text("{not json")
    groups, why = manifest.read(str(tmp_path / "broken.json"))
    assert groups is None
    assert why.startswith("unreadable: ")


def test_a_declaration_loads_like_an_entry_point():
    declaration = manifest.Declaration("rest", "kernel_rest:source", "kernel.plugins")
    ((_, loaded),) = plugins.load(["rest"])
    assert declaration.load() is loaded
    assert (declaration.module, declaration.attr) == ("kernel_rest", "source")
    assert manifest.Declaration("cors", "kernel_cors", "kernel.plugins").load().__name__ == "kernel_cors"


# -- in a fresh process, as at a cold start --------------------------------------------


CHILD = textwrap.dedent(
    """
    import json, sys, warnings
    warnings.simplefilter("always")
    from kernel import APIGatewayRestResolver, plugins

    app = APIGatewayRestResolver()

    @app.get("/hello")
    def hello():
        return {"hello": "world"}

    response = app(json.loads(sys.argv[1]), None)
    found = plugins.discovery()
    print(json.dumps({
        "status": response["statusCode"],
        "how": found.how,
        "ignored": found.ignored,
        "modules": sorted(
            m for m in ("stevedore", "importlib.metadata", "email", "zipfile", "kernel.scanning") if m in sys.modules
        ),
    }))
    """
)


def cold_start(manifest_file: Path, home: Path) -> tuple[dict[str, Any], str]:
    env = {key: value for key, value in os.environ.items() if key not in ("XDG_CACHE_HOME", plugins.ALLOW_LIST_ENV)}
    # A fresh cache directory, so the fallback scans rather than reading an earlier cache.
    env.update(KERNEL_MANIFEST=str(manifest_file), XDG_CACHE_HOME=str(home / "cache"))
    result = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(rest_event("GET", "/hello"))],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def freeze_this_environment(path: Path) -> dict[str, Any]:
    """The manifest of this environment's site-packages (by absolute path), as freeze writes it."""
    data = manifest.contents(
        {group: found.values() for group, found in scanning.scan([SITE]).items()},
        {SITE: manifest.describe(SITE)},
    )
    manifest.write(str(path), data)
    return data


def test_a_valid_manifest_starts_without_stevedore_or_importlib_metadata(tmp_path):
    freeze_this_environment(tmp_path / manifest.FILENAME)
    result, stderr = cold_start(tmp_path / manifest.FILENAME, tmp_path)
    assert result == {"status": 200, "how": "frozen", "ignored": None, "modules": []}
    assert stderr == ""


def test_a_stale_manifest_is_ignored_with_a_warning_and_the_scan_takes_over(tmp_path):
    data = freeze_this_environment(tmp_path / manifest.FILENAME)
    # As if a distribution had been installed since the freeze.
    data["paths"][SITE]["distributions"] = data["paths"][SITE]["distributions"][1:]
    manifest.write(str(tmp_path / manifest.FILENAME), data)
    result, stderr = cold_start(tmp_path / manifest.FILENAME, tmp_path)
    why = f"stale: the distributions installed in {SITE} changed since it was written"
    assert result["status"] == 200
    assert (result["how"], result["ignored"]) == ("scan", why)
    assert {"stevedore", "kernel.scanning"} <= set(result["modules"])
    assert f"ManifestWarning: kernel ignores the plugin manifest {tmp_path / manifest.FILENAME} ({why})" in stderr


def test_kernel_plugins_says_which_way_discovery_went(tmp_path, capsys, monkeypatch):
    freeze_this_environment(tmp_path / manifest.FILENAME)
    monkeypatch.setenv(plugins.MANIFEST_ENV, str(tmp_path / manifest.FILENAME))
    monkeypatch.setattr(plugins, "_discovery", None)
    monkeypatch.setattr(plugins, "_entry_points", None)
    assert cli.main(["plugins"]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == f"discovery: the frozen manifest {tmp_path / manifest.FILENAME} (kernel freeze); stevedore was not used"

    (tmp_path / manifest.FILENAME).write_text('{"format": 0}')
    monkeypatch.setattr(plugins, "_discovery", None)
    monkeypatch.setattr(plugins, "_entry_points", None)
    with pytest.warns(manifest.ManifestWarning, match="foreign: not a kernel plugin manifest of format 1"):
        assert cli.main(["plugins"]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith("discovery: ")
    assert last.endswith("; the frozen manifest was ignored (foreign: not a kernel plugin manifest of format 1)")
