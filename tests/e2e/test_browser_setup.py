"""How the suite gets its Chromium: scripts/chromium, and the skip or failure when there is none.

scripts/chromium runs here on a PATH of stand-ins (``id``, ``apt-get``,
``sudo``, ``chromium``) in a temporary directory, so each kind of machine is
played without touching this one: Debian as root, a machine without apt
(macOS), Debian without root.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import DEFAULT_CHROMIUM, missing_chromium

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "chromium"
BASH = "/bin/bash"

ADVICE = """\
browser test: no Chromium found, and it cannot be installed here (that takes apt-get, as root or with sudo).
  Install Chromium (Debian: apt-get install chromium; Fedora: dnf install chromium;
  macOS: brew install --cask chromium), then run the tests again. If its executable is not
  `chromium` on PATH, name it in KERNEL_E2E_CHROMIUM, for example:
    KERNEL_E2E_CHROMIUM="/Applications/Chromium.app/Contents/MacOS/Chromium" scripts/test
  Until then the browser test is skipped; the rest of the suite runs.
"""


def stand_in(directory: Path, name: str, body: str) -> None:
    path = directory / name
    path.write_text(f"#!{BASH}\n{body}\n")
    path.chmod(0o755)


@pytest.fixture
def machine(tmp_path: Path) -> Path:
    """A directory for the stand-in commands, the only one on PATH; ``calls`` records what ran."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    return bin_dir


def as_user(machine: Path, uid: int) -> None:
    stand_in(machine, "id", f'[ "$1" = -u ] && echo {uid}')


def with_apt(machine: Path) -> None:
    """An apt-get that logs its arguments and, on install, puts a chromium on PATH."""
    chromium = machine / "chromium"
    stand_in(
        machine,
        "apt-get",
        f'echo "apt-get $*" >> {machine.parent / "calls"}\n'
        f'if [ "$1" = install ]; then printf "#!{BASH}\\n" > {chromium}; /bin/chmod 755 {chromium}; fi',
    )


def run_script(machine: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": str(machine), "HOME": str(machine.parent), **env}
    return subprocess.run(
        [BASH, str(SCRIPT)], env=environment, capture_output=True, text=True, timeout=30, check=False, stdin=subprocess.DEVNULL
    )


def calls(machine: Path) -> list[str]:
    log = machine.parent / "calls"
    return log.read_text().splitlines() if log.exists() else []


def test_debian_as_root_installs_chromium_with_apt_get(machine):
    as_user(machine, 0)
    with_apt(machine)

    result = run_script(machine)

    assert (result.returncode, result.stdout) == (0, f"{machine / 'chromium'}\n")
    assert calls(machine) == ["apt-get update -qq", "apt-get install -y -qq chromium"]
    assert result.stderr == "browser test: installing Debian's chromium with apt-get\n"


def test_debian_with_passwordless_sudo_installs_through_sudo(machine):
    as_user(machine, 1000)
    with_apt(machine)
    stand_in(machine, "sudo", f'echo "sudo $*" >> {machine.parent / "calls"}\n[ "$1" = -n ] && shift\n"$@"')

    result = run_script(machine)

    assert (result.returncode, result.stdout) == (0, f"{machine / 'chromium'}\n")
    assert calls(machine) == [
        "sudo -n true",
        "sudo apt-get update -qq",
        "apt-get update -qq",
        "sudo apt-get install -y -qq chromium",
        "apt-get install -y -qq chromium",
    ]


def test_debian_without_root_or_sudo_says_what_to_install(machine):
    as_user(machine, 1000)
    with_apt(machine)

    result = run_script(machine)

    assert (result.returncode, result.stdout, result.stderr) == (1, "", ADVICE)
    assert calls(machine) == []


def test_a_machine_without_apt_says_what_to_install(machine):
    as_user(machine, 0)

    result = run_script(machine)

    assert (result.returncode, result.stdout, result.stderr) == (1, "", ADVICE)


def test_a_chromium_on_path_is_used_without_installing(machine):
    as_user(machine, 0)
    with_apt(machine)
    stand_in(machine, "chromium-browser", "")

    result = run_script(machine)

    assert (result.returncode, result.stdout, result.stderr) == (0, f"{machine / 'chromium-browser'}\n", "")
    assert calls(machine) == []


def test_kernel_e2e_chromium_is_taken_as_given(machine):
    result = run_script(machine, KERNEL_E2E_CHROMIUM="/opt/browsers/chromium")

    assert (result.returncode, result.stdout, result.stderr) == (0, "/opt/browsers/chromium\n", "")


@pytest.fixture
def executable(tmp_path: Path) -> str:
    path = tmp_path / "chromium"
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


def test_the_browser_tests_run_with_an_executable_chromium(executable):
    assert missing_chromium({"KERNEL_E2E_CHROMIUM": executable}) is None
    assert missing_chromium({"KERNEL_E2E_CHROMIUM": executable, "CI": "true"}) is None


def test_a_wrong_kernel_e2e_chromium_fails_the_browser_tests(executable, tmp_path):
    os.chmod(executable, 0o644)
    assert missing_chromium({"KERNEL_E2E_CHROMIUM": executable}) == (
        "fail",
        f"KERNEL_E2E_CHROMIUM is {executable!r}, which is not an executable file",
    )
    assert missing_chromium({"KERNEL_E2E_CHROMIUM": str(tmp_path / "nowhere")})[0] == "fail"


NO_CHROMIUM = (
    f"no Chromium at {DEFAULT_CHROMIUM}: install it (Debian: apt-get install chromium; macOS: brew install --cask chromium)"
    " and set KERNEL_E2E_CHROMIUM to its executable when it is elsewhere"
)


@pytest.fixture
def no_default_chromium(monkeypatch, tmp_path):
    monkeypatch.setattr("tests.e2e.conftest.DEFAULT_CHROMIUM", str(tmp_path / "no-chromium"))
    return str(tmp_path / "no-chromium")


def test_without_any_chromium_the_browser_tests_are_skipped_with_the_reason(no_default_chromium):
    assert missing_chromium({}) == ("skip", NO_CHROMIUM.replace(DEFAULT_CHROMIUM, no_default_chromium))
    assert missing_chromium({"KERNEL_E2E_CHROMIUM": ""})[0] == "skip"


def test_in_ci_a_missing_chromium_fails_the_browser_tests(no_default_chromium):
    assert missing_chromium({"CI": "true"}) == (
        "fail",
        NO_CHROMIUM.replace(DEFAULT_CHROMIUM, no_default_chromium) + " (CI must run the browser tests)",
    )
