"""The kernel-swagger wheel carries Swagger UI and its licence, so the page works offline on Lambda."""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[3]
ASSETS = ROOT / "plugins" / "swagger" / "kernel_swagger" / "assets"


def test_the_wheel_holds_every_asset_byte_for_byte(tmp_path):
    uv = shutil.which("uv")
    assert uv is not None, "building the wheel needs uv (the project's build tool) on PATH"

    subprocess.run(
        [uv, "build", "--package", "kernel-swagger", "--wheel", "--out-dir", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )

    (wheel,) = tmp_path.glob("kernel_swagger-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        expected = {path.name for path in ASSETS.iterdir() if path.is_file()}
        assert expected >= {
            "swagger-ui-bundle.js",
            "swagger-ui.css",
            "oauth2-redirect.js",
            "LICENSE",
            "NOTICE",
            "swagger-ui-bundle.js.LICENSE.txt",
            "VERSION",
        }
        for name in sorted(expected):
            assert f"kernel_swagger/assets/{name}" in names
            assert archive.read(f"kernel_swagger/assets/{name}") == (ASSETS / name).read_bytes()
        metadata = next(name for name in names if name.endswith(".dist-info/METADATA"))
        assert "License-Expression: MIT AND Apache-2.0" in archive.read(metadata).decode()


def _update_script():
    import importlib.machinery
    import importlib.util

    loader = importlib.machinery.SourceFileLoader("update_swagger_ui", str(ROOT / "scripts" / "update-swagger-ui"))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_the_update_script_only_takes_swagger_ui_5(capsys):
    script = _update_script()

    assert script.main(["4.19.1"]) == 1
    assert "4.19.1 is not a 5.x version" in capsys.readouterr().err
    assert script.main(["5.0.0", "extra"]) == 2
    assert script.main(["--help"]) == 2
    assert "Usage: scripts/update-swagger-ui [VERSION]" in capsys.readouterr().err


def test_the_update_script_copies_exactly_the_packaged_files():
    script = _update_script()

    assert {path.name for path in ASSETS.iterdir() if path.is_file()} == {*script.FILES, "VERSION"}
