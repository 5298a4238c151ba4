"""Every install command the README and docs/ give can only install this project's distributions.

The name ``kernel`` on the public package index belongs to an unrelated
project: a command that lets the installer consult an index may install that
one. So every ``pip install`` or ``uv pip install`` of one of our
distributions, in a shell block or an inline command, installs with
``--no-index --find-links`` from the wheelhouse, in the README's one form.
(tests/packaging/test_install_command.py runs the README's command itself.)
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from kernel import PluginNotFoundError

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHELL_BLOCK = re.compile(r"```(?:sh|bash|shell|console|dockerfile)\n(.*?)```", re.S)
INLINE_CODE = re.compile(r"(`+)(.+?)\1", re.S)
INSTALL = re.compile(r"\b(?:uv )?pip install\b[^#;&`\n]*")
OURS = re.compile(r"^kernel(?:\[[\w,-]+\])?$|^kernel[-_][\w.-]+$|(?:^|/)kernel[-_][^/]*\.whl$")


def install_commands(markdown: str) -> list[str]:
    """The pip and uv install commands of a page: in shell blocks, and in inline code outside any block."""
    found = [command for block in SHELL_BLOCK.findall(markdown) for command in INSTALL.findall(block)]
    prose = re.sub(r"```.*?```", "", markdown, flags=re.S)
    found += [command for _, code in INLINE_CODE.findall(prose) for command in INSTALL.findall(code)]
    return [command.strip() for command in found]


def installs_ours(command: str) -> bool:
    return any(OURS.search(argument) for argument in shlex.split(command) if not argument.startswith("-"))


def is_safe(command: str) -> bool:
    """Whether the command can only find what its --find-links directory holds."""
    arguments = shlex.split(command)
    return "--no-index" in arguments and any(argument.startswith("--find-links") for argument in arguments)


def readme_commands() -> tuple[str, str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [command for command in install_commands(readme) if installs_ours(command)]
    pip = [command for command in commands if command.startswith("pip install")]
    uv = [command for command in commands if command.startswith("uv pip install")]
    assert len(pip) == 1, pip
    assert len(uv) == 1, uv
    return pip[0], uv[0]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_install_of_our_distributions_is_from_the_wheelhouse_only(page):
    unsafe = [
        command
        for command in install_commands(page.read_text(encoding="utf-8"))
        if installs_ours(command) and not is_safe(command)
    ]
    assert unsafe == []


def test_the_readme_gives_one_command_for_pip_and_the_same_for_uv():
    pip, uv = readme_commands()
    assert pip == 'pip install --no-index --find-links dist "kernel[alb,cors,openapi]"'
    assert uv == f"uv {pip}"


def test_the_getting_started_page_gives_the_readme_command_for_pip_and_uv():
    commands = install_commands((ROOT / "docs" / "index.md").read_text(encoding="utf-8"))
    pip, _ = readme_commands()
    form = pip.replace("kernel[alb,cors,openapi]", "kernel[rest]")
    assert form in commands
    assert f"uv {form}" in commands


def test_the_missing_plugin_error_gives_the_readme_command():
    pip, _ = readme_commands()
    assert pip.replace("kernel[alb,cors,openapi]", "kernel[alb]") in str(PluginNotFoundError("alb"))


@pytest.mark.parametrize(
    ("markdown", "unsafe"),
    [
        ('```sh\npip install "kernel[rest]"   # the REST source\n```\n', ['pip install "kernel[rest]"']),
        ("```bash\nuv pip install kernel\n```\n", ["uv pip install kernel"]),
        ("```sh\npip install --find-links dist kernel-edge\n```\n", ["pip install --find-links dist kernel-edge"]),
        ("```sh\npip install dist/kernel_rest-0.1.0-py3.whl\n```\n", ["pip install dist/kernel_rest-0.1.0-py3.whl"]),
        ("```dockerfile\nRUN pip install kernel && true\n```\n", ["pip install kernel"]),
        ("Run `pip install 'kernel[alb]'` first.\n", ["pip install 'kernel[alb]'"]),
        ('```sh\npip install --no-index --find-links dist "kernel[rest]"\n```\n', []),
        ("```sh\npip install uvicorn-worker pydantic\n```\n", []),
        ("```text\nprinted: pip install kernel\n```\n", []),
    ],
)
def test_the_check_finds_unsafe_commands(markdown, unsafe):
    assert [command for command in install_commands(markdown) if installs_ours(command) and not is_safe(command)] == unsafe
