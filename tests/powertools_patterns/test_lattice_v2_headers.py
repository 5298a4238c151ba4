"""VPC Lattice v2 headers: the event lists each header's values, and routes read them as on Powertools.

``current_event.headers`` and ``get_header_value()`` give the lists as the
event has them; validation's ``Header()`` parameters join a scalar's values
with commas and keep a list's; CORS and cookies read the values inside the lists.
"""

# No "from __future__ import annotations": the markers in the hints name `lib`, a local.

from typing import Annotated

import pytest

from tests.events import lattice_v2_event
from tests.powertools_patterns.harness import answer

# Powertools deprecates its get_header_value (the tests call it to compare answers).
pytestmark = pytest.mark.filterwarnings("ignore:The `get_header_value` function is deprecated")

ORIGIN = "https://app.example.com"
# A Lattice answer has no `cookies` list; a CORS route's answers say they vary on Origin (migrating.md).
READER = ("lattice-cookies", "cors-vary")
VALIDATOR = ("lattice-cookies",)


def header_reader(lib):
    app = lib.VPCLatticeV2Resolver(cors=lib.CORSConfig(allow_origin=ORIGIN))

    @app.get("/headers")
    def headers():
        event = app.current_event
        return {
            "tags": event.headers.get("x-tag"),
            "tags_any_case": event.headers.get("X-Tag"),
            "one": event.get_header_value("x-one"),
            "missing": event.get_header_value("x-missing", default_value="none"),
            "cookies": event.resolved_cookies_field,
            "names": sorted(name for name in event.headers if name in ("x-one", "x-tag")),
        }

    return app


def header_validator(lib):
    app = lib.VPCLatticeV2Resolver(enable_validation=True)

    @app.get("/validated")
    def validated(
        x_tag: Annotated[str | None, lib.Header()] = None,
        x_tags: Annotated[list[str] | None, lib.Header()] = None,
        x_one: Annotated[str | None, lib.Header()] = None,
        x_count: Annotated[int | None, lib.Header()] = None,
    ):
        return {"x_tag": x_tag, "x_tags": x_tags, "x_one": x_one, "x_count": x_count}

    return app


def test_headers_and_get_header_value_give_the_event_s_lists():
    event = lattice_v2_event(
        "GET",
        "/headers",
        headers={"X-Tag": ["red", "blue"], "X-One": "solo", "Cookie": ["session=abc", "theme=dark"], "Origin": ORIGIN},
    )
    response = answer(header_reader, event, allow=READER)
    assert response["body"] == {
        "tags": ["red", "blue"],
        "tags_any_case": ["red", "blue"],
        "one": ["solo"],
        "missing": "none",
        "cookies": {"session": "abc", "theme": "dark"},
        "names": ["x-one", "x-tag"],
    }
    # CORS found the origin inside its list.
    assert response["headers"]["Access-Control-Allow-Origin"] == ORIGIN


def test_a_header_sent_as_one_string_holding_commas_stays_one_value():
    event = lattice_v2_event("GET", "/headers", headers={"X-Tag": "red,blue"})
    assert answer(header_reader, event, allow=READER)["body"]["tags"] == ["red,blue"]


def test_a_plain_string_value_stays_a_string_whatever_the_case_of_its_name():
    # AWS documents lists; events with plain strings are seen too, and named in any case.
    event = lattice_v2_event("GET", "/headers", headers={"x-tag": ["red", "blue"]})
    event["headers"]["X-One"] = "solo"
    response = answer(header_reader, event, allow=READER)
    assert (response["body"]["one"], response["body"]["tags"]) == ("solo", ["red", "blue"])


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            {"X-Tag": ["red", "blue"], "X-Tags": ["red", "blue"], "X-One": "solo"},
            {"x_tag": "red,blue", "x_tags": ["red", "blue"], "x_one": "solo"},
        ),
        ({"X-Tag": "red,blue", "X-Tags": "red,blue"}, {"x_tag": "red,blue", "x_tags": ["red,blue"], "x_one": None}),
        ({"X-Tag": ["red"], "X-Tags": ["red"]}, {"x_tag": "red", "x_tags": ["red"], "x_one": None}),
        ({}, {"x_tag": None, "x_tags": None, "x_one": None}),
    ],
)
def test_header_parameters_read_the_lists_as_powertools(headers, expected):
    response = answer(header_validator, lattice_v2_event("GET", "/validated", headers=headers), allow=VALIDATOR)
    assert response["statusCode"] == 200
    assert response["body"] == {**expected, "x_count": None}


@pytest.mark.parametrize("count", [["1", "2"], ["x"]])
def test_a_header_that_does_not_validate_is_answered_422_as_on_powertools(count):
    response = answer(header_validator, lattice_v2_event("GET", "/validated", headers={"X-Count": count}), allow=VALIDATOR)
    assert response["statusCode"] == 422
    assert [error["loc"] for error in response["body"]["detail"]] == [["header", "x-count"]]
