"""ProxyRequest.header_text, the one-header lookup plugins make, against reading the whole map through ``headers``."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kernel_alb import ALBEvent
from kernel_http import APIGatewayProxyEventV2
from kernel_lattice import VPCLatticeEvent
from kernel_rest import APIGatewayProxyEvent

from kernel.exceptions import BadRequestError
from kernel.request import ProxyRequest

SOURCES = [ProxyRequest, APIGatewayProxyEvent, APIGatewayProxyEventV2, ALBEvent, VPCLatticeEvent]
NAMES = ["Origin", "origin", "ORIGIN", "Accept-Encoding", "accept-encoding", "X-Other", "x-other"]
VALUES = st.one_of(st.sampled_from(["", "gzip", "https://a.example"]), st.none(), st.integers(), st.lists(st.just("a")))


def read(method, name: str) -> str | None:
    """What ``method(name, "default")`` answers: the value, or the message of the 400 for a malformed map."""
    try:
        return method(name, "default")
    except BadRequestError as exc:
        return f"400: {exc.msg}"


@pytest.mark.parametrize("source", SOURCES, ids=lambda source: source.__name__)
@settings(max_examples=150, derandomize=True, deadline=None)
@given(headers=st.dictionaries(st.sampled_from(NAMES), VALUES, max_size=4), name=st.sampled_from(NAMES))
def test_header_text_reads_one_header_alone_and_else_the_whole_map(source, headers, name):
    event = {"headers": headers}
    answer = read(source(event).header_text, name)
    whole = read(source(event).get_header_value, name)
    alone = headers.get(name)
    if alone is None:
        alone = headers.get(name.lower())
    if type(alone) is str:
        # Found as asked for, or in lower case: read even when another entry is malformed.
        assert answer == alone
    else:
        # Missing there, or malformed itself: read as the whole map answers (400 for a malformed one).
        assert answer == whole
    spellings = [key for key in headers if key.lower() == name.lower()]
    if len(spellings) <= 1 and all(type(value) is str for value in headers.values()):
        # A well-formed map spelling the header once: the same answer either way.
        assert answer == whole


@pytest.mark.parametrize("source", SOURCES, ids=lambda source: source.__name__)
@pytest.mark.parametrize("headers", [["origin"], "origin", 5])
def test_header_text_of_a_map_that_is_not_a_map_reads_as_headers_does(source, headers):
    request = source({"headers": headers})
    with pytest.raises(BadRequestError, match="'headers' is not a map of strings"):
        request.headers  # noqa: B018
    with pytest.raises(BadRequestError, match="'headers' is not a map of strings"):
        request.header_text("Origin")
