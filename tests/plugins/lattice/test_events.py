"""The VPC Lattice builders: the events of payload versions 1 and 2 for one HTTP request."""

from __future__ import annotations

import base64

import kernel_lattice
import pytest

from kernel.plugin_api import HttpRequest

REQUEST = HttpRequest.build(
    "POST",
    "/items/x%2Fy",
    headers=[
        ("Host", "svc.example.com"),
        ("User-Agent", "curl/8.5.0"),
        ("X-Many", "1"),
        ("X-Many", "2"),
        ("Content-Type", "application/json"),
    ],
    query="tag=a&tag=b&q=caf%C3%A9+au+lait",
    body=b'{"n": 1}',
    cookies=["a=1", "b=2"],
    source_ip="10.0.0.7",
    now=1_700_000_000.25,
)


def test_v1_event():
    assert kernel_lattice.source.build_event(REQUEST) == {
        "raw_path": "/items/x%2Fy?tag=a&tag=b&q=caf%C3%A9+au+lait",
        "method": "POST",
        "headers": {
            "host": "svc.example.com",
            "user-agent": "curl/8.5.0",
            "x-many": "1,2",
            "cookie": "a=1; b=2",
            "content-type": "application/json",
            "x-forwarded-for": "10.0.0.7",
        },
        "query_string_parameters": {"tag": "b", "q": "café au lait"},
        "body": '{"n": 1}',
        "is_base64_encoded": False,
    }


@pytest.mark.parametrize(("flag", "as_text"), [(True, True), ("true", True), ("1", True), (False, False), ("false", False)])
def test_v1_base64_flag_as_text(flag, as_text):
    binary = HttpRequest.build("PUT", "/logo", headers={"Content-Type": "image/png"}, body=b"\x89PNG")
    event = kernel_lattice.source.build_event(binary, base64_flag_as_text=flag)
    assert event["body"] == base64.b64encode(b"\x89PNG").decode()
    assert event["is_base64_encoded"] == ("true" if as_text else True)
    text = kernel_lattice.source.build_event(REQUEST, base64_flag_as_text=flag)
    assert text["is_base64_encoded"] == ("false" if as_text else False)


def test_v2_event():
    event = kernel_lattice.source_v2.build_event(REQUEST)
    context = event.pop("requestContext")
    assert event == {
        "version": "2.0",
        "path": "/items/x%2Fy",
        "method": "POST",
        "headers": {
            "host": ["svc.example.com"],
            "user-agent": ["curl/8.5.0"],
            "x-many": ["1", "2"],
            "cookie": ["a=1; b=2"],
            "content-type": ["application/json"],
            "x-forwarded-for": ["10.0.0.7"],
        },
        "queryStringParameters": {"tag": ["a", "b"], "q": ["café au lait"]},
        "body": '{"n": 1}',
        "isBase64Encoded": False,
    }
    assert set(context) == {"serviceNetworkArn", "serviceArn", "targetGroupArn", "identity", "region", "timeEpoch"}
    assert context["timeEpoch"] == "1700000000250000"


@pytest.mark.parametrize("source", [kernel_lattice.source, kernel_lattice.source_v2], ids=["v1", "v2"])
def test_without_a_body_or_host(source):
    event = source.build_event(HttpRequest.build("GET", "/"))
    assert event["body"] is None
    host = event["headers"]["host"]
    assert (host if isinstance(host, str) else host[0]).endswith(".vpc-lattice-svcs.us-east-2.on.aws")


def test_the_built_events_are_recognised_by_their_own_source_only():
    v1, v2 = kernel_lattice.source.build_event(REQUEST), kernel_lattice.source_v2.build_event(REQUEST)
    assert (kernel_lattice.is_v1_event(v1), kernel_lattice.is_v2_event(v1)) == (True, False)
    assert (kernel_lattice.is_v1_event(v2), kernel_lattice.is_v2_event(v2)) == (False, True)
    assert kernel_lattice.check_v1_event(v1) is None
    assert kernel_lattice.check_v2_event(v2) is None
