"""One release number for the whole workspace, and every internal requirement pinned to it.

The version is written in each pyproject.toml (hatchling reads it from there),
so these tests are what keeps it single: every distribution of the workspace
has the root's version, and every requirement on one of our distributions (a
plugin's on ``kernel``, an extra's on ``kernel-alb``, a plugin's on another
plugin, the example third-party plugin's on ``kernel``) is ``==`` that version.
An unpinned or looser requirement could resolve to the unrelated project that
owns the name ``kernel`` on the public index, or mix releases of ours.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest itself requires tomli before 3.11
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[2]
ROOT_PYPROJECT = REPO / "pyproject.toml"
PLUGIN_PYPROJECTS = sorted((REPO / "plugins").glob("*/pyproject.toml"))
# Not part of the workspace: a third party's plugin, as docs/writing-a-plugin.md shows it.
EXAMPLE_PYPROJECT = REPO / "tests" / "thirdparty" / "kernel-edge" / "pyproject.toml"


def load(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)["project"]


RELEASE = load(ROOT_PYPROJECT)["version"]
OURS = {load(path)["name"] for path in [ROOT_PYPROJECT, *PLUGIN_PYPROJECTS]}


def requirements(project: dict[str, Any]) -> list[Requirement]:
    """Every requirement of a project: its dependencies and those of each extra."""
    listed = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        listed.extend(extra)
    return [Requirement(text) for text in listed]


def unpinned(project: dict[str, Any], release: str) -> list[str]:
    """The requirements on our distributions that are not exactly ``==release``."""
    return [
        str(requirement)
        for requirement in requirements(project)
        if requirement.name in OURS and (str(requirement.specifier) != f"=={release}" or requirement.marker is not None)
    ]


def relative(path: Path) -> str:
    return str(path.relative_to(REPO))


def test_the_release_and_the_distributions_of_the_workspace():
    assert re.fullmatch(r"\d+\.\d+\.\d+", RELEASE)
    assert sorted(OURS) == [
        "kernel",
        "kernel-alb",
        "kernel-bedrock",
        "kernel-bedrock-function",
        "kernel-compression",
        "kernel-cors",
        "kernel-function-url",
        "kernel-http",
        "kernel-lattice",
        "kernel-openapi",
        "kernel-rest",
        "kernel-swagger",
        "kernel-validation",
    ]


def test_the_docs_name_the_release():
    """The pins and wheel names the README and docs/ show are those of this release."""
    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    mentioned = {
        (relative(page), version)
        for page in pages
        for version in re.findall(r"\bkernel(?:[-_][a-z_-]+)?(?:==|-)(\d+\.\d+\.\d+)\b", page.read_text(encoding="utf-8"))
    }
    assert mentioned
    assert {version for _, version in mentioned} == {RELEASE}, sorted(mentioned)


@pytest.mark.parametrize("path", PLUGIN_PYPROJECTS, ids=relative)
def test_every_plugin_has_the_root_version(path):
    assert load(path)["version"] == RELEASE


@pytest.mark.parametrize("path", [ROOT_PYPROJECT, *PLUGIN_PYPROJECTS, EXAMPLE_PYPROJECT], ids=relative)
def test_every_internal_requirement_pins_the_release(path):
    assert unpinned(load(path), RELEASE) == []


@pytest.mark.parametrize("path", [*PLUGIN_PYPROJECTS, EXAMPLE_PYPROJECT], ids=relative)
def test_every_plugin_requires_the_kernel(path):
    assert f"kernel=={RELEASE}" in [str(requirement) for requirement in requirements(load(path))]


def test_every_plugin_has_an_extra_of_its_own_and_all_has_every_plugin():
    extras = load(ROOT_PYPROJECT)["optional-dependencies"]
    plugins = sorted(OURS - {"kernel"})
    named = sorted({Requirement(text).name for name, listed in extras.items() if name != "all" for text in listed} & OURS)
    assert named == plugins
    assert sorted(Requirement(text).name for text in extras["all"] if Requirement(text).name in OURS) == plugins


@pytest.mark.parametrize(
    ("requirement", "found"),
    [
        ("kernel", ["kernel"]),
        ("kernel>=0.1.0", ["kernel>=0.1.0"]),
        ("kernel-http~=0.1.0", ["kernel-http~=0.1.0"]),
        ("kernel-cors==0.2.0", ["kernel-cors==0.2.0"]),
        ("kernel==0.1.0; python_version < '3.12'", ['kernel==0.1.0; python_version < "3.12"']),
        ("kernel==0.1.0", []),
        ("pydantic>=2.7,<3", []),
    ],
)
def test_the_check_catches_loose_pins(requirement, found):
    """The check itself: only an exact pin on the release passes, and third-party requirements are left alone."""
    assert unpinned({"dependencies": [requirement]}, "0.1.0") == found
