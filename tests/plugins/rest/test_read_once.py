"""A REST request's header maps are checked and built once, on first read: every read gives the same map."""

from __future__ import annotations

from kernel_rest import APIGatewayProxyEvent

from tests.events import rest_event


def test_the_header_maps_are_built_once():
    request = APIGatewayProxyEvent(rest_event("GET", "/", headers={"Accept": "text/html", "X-Multi": ["a", "b"]}))
    headers = request.headers
    multi = request.multi_value_headers
    # Names in lower case, found in any case (as Powertools' CaseInsensitiveDict holds them).
    assert headers == {"accept": "text/html", "x-multi": "b"}
    assert multi == {"accept": ["text/html"], "x-multi": ["a", "b"]}
    assert request.headers is headers
    assert request.multi_value_headers is multi
    assert request.resolved_headers_field is multi
