"""Powertools 3.37 and kernel run the same apps over the same events and must answer alike.

The apps (:mod:`tests.fidelity.apps`) are written once against the name
table of :mod:`tests.powertools_patterns.names`, so both libraries run
exactly the same code, as an app migrated by changing its imports would. Events are built by each
source plugin's own builder (the shapes AWS documents), from requests
hypothesis generates around the paths each app serves, plus every such path
with every method.

The answers must be equal once the differences named in
:mod:`tests.known_differences` are set aside; each of those is explained
in docs/migrating.md, in the section it names. Answers are compared as a
client reads them (:func:`~tests.powertools_patterns.harness.readable`:
base64 and gzip undone, JSON parsed).
"""

from __future__ import annotations

import copy
import json
import warnings
from dataclasses import dataclass, field
from typing import Any

import kernel_alb
import kernel_function_url
import kernel_http
import kernel_lattice
import kernel_rest
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import known_differences
from tests.fidelity.apps import AREAS
from tests.powertools_patterns.harness import readable
from tests.powertools_patterns.names import library

POWERTOOLS = library("powertools")
KERNEL = library("kernel")

#: source label -> (resolver class name, the plugin's Source, its event options)
SOURCES: dict[str, tuple[str, Any, dict[str, Any]]] = {
    "rest": ("APIGatewayRestResolver", kernel_rest.source, {"stage": "prod"}),
    "http": ("APIGatewayHttpResolver", kernel_http.source, {}),
    "alb": ("ALBResolver", kernel_alb.source, {}),
    "alb-multi": ("ALBResolver", kernel_alb.source, {"multi_value": True}),
    "function-url": ("LambdaFunctionUrlResolver", kernel_function_url.source, {}),
    "lattice": ("VPCLatticeResolver", kernel_lattice.source, {}),
    "lattice-v2": ("VPCLatticeV2Resolver", kernel_lattice.source_v2, {}),
}

#: What stands for a response dict's None body, once read.
NO_BODY = "<no body>"

METHODS = ("GET", "GET", "GET", "POST", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")


@dataclass(frozen=True)
class Case:
    """One request, in one area, to one source."""

    area: str
    source: str
    method: str
    path: str
    query: dict[str, list[str]] = field(default_factory=dict)
    headers: dict[str, list[str]] = field(default_factory=dict)
    body: str | None = None

    def event(self) -> dict[str, Any]:
        _, source, options = SOURCES[self.source]
        return source.event(self.method, self.path, query=self.query, headers=self.headers, body=self.body, **options)


_apps: dict[tuple[str, str, str], Any] = {}


def app_for(lib: Any, area: str, source: str) -> Any:
    key = (lib.name, area, source)
    if key not in _apps:
        build, _ = AREAS[area]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _apps[key] = build(lib, SOURCES[source][0])
    return _apps[key]


def answer(lib: Any, case: Case, event: dict[str, Any]) -> Any:
    app = app_for(lib, case.area, case.source)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            response = app.resolve(copy.deepcopy(event), None)
        except Exception as exc:  # Powertools fails some invocations that kernel answers
            return ("raised", type(exc).__name__)
    # Plain types: Powertools returns its multi-value headers in a defaultdict.
    read = readable(json.loads(json.dumps(response)))
    if response.get("body") is None:  # readable() would not tell it from a JSON null
        read["body"] = NO_BODY
    return read


def check(case: Case) -> None:
    event = case.event()
    theirs = answer(POWERTOOLS, case, event)
    ours = answer(KERNEL, case, event)
    theirs, ours, _ = known_differences.set_aside(case, theirs, ours)
    assert ours == theirs, f"{case}\nPowertools: {theirs}\nkernel:     {ours}"


# -- strategies ----------------------------------------------------------------------------

_segment = st.text(alphabet="abcxyz0129._-", min_size=1, max_size=6)
_values = st.lists(st.text(alphabet="ab1 ,%", max_size=4), min_size=1, max_size=2)
_headers = st.fixed_dictionaries(
    {},
    optional={
        "Origin": st.sampled_from(["https://app.example.com", "https://admin.example.com", "https://evil.example.com", ""]).map(
            lambda value: [value]
        ),
        "Accept-Encoding": st.sampled_from(["gzip", "gzip, deflate, br", "identity", "br"]).map(lambda value: [value]),
        "X-Tag": st.lists(st.sampled_from(["red", "blue", "a,b"]), min_size=1, max_size=2),
        "X-Deny": st.just(["1"]),
        "Content-Type": st.sampled_from(["application/json", "text/plain"]).map(lambda value: [value]),
        "Access-Control-Request-Method": st.sampled_from(["GET", "POST"]).map(lambda value: [value]),
        "Cookie": st.just(["session=abc; theme=dark"]),
    },
)
_bodies = st.one_of(
    st.none(),
    st.sampled_from(
        [
            json.dumps({"id": 1, "name": "pen", "price": 2.5}),
            json.dumps({"item": {"id": 2, "name": "cup", "price": 3}}),
            json.dumps({"id": "x", "price": -1}),
            json.dumps([1, 2]),
            "{}",
        ]
    ),
)


def requests(area: str, source: str) -> st.SearchStrategy[Case]:
    _, probes = AREAS[area]
    paths = st.one_of(st.sampled_from(probes), st.lists(_segment, max_size=3).map(lambda parts: "/" + "/".join(parts)))
    return st.builds(
        Case,
        area=st.just(area),
        source=st.just(source),
        method=st.sampled_from(METHODS),
        path=paths,
        query=st.dictionaries(st.sampled_from(["q", "limit", "tag", "verbose", "x"]), _values, max_size=3),
        headers=_headers,
        body=_bodies,
    )


# -- the tests -------------------------------------------------------------------------------


def probe_cases() -> list[Case]:
    cases = []
    for area, (_, probes) in AREAS.items():
        for source in SOURCES:
            for path in probes:
                for method in ("GET", "POST", "DELETE", "OPTIONS"):
                    cases.append(Case(area, source, method, path, headers={"Origin": ["https://app.example.com"]}))
    return cases


@pytest.mark.parametrize("case", probe_cases(), ids=lambda case: f"{case.area}-{case.source}-{case.method}-{case.path}")
def test_every_route_answers_alike(case):
    check(case)


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("area", AREAS)
def test_generated_requests_are_answered_alike(area, source):
    @settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(requests(area, source))
    def run(case):
        check(case)

    run()
