"""CORSConfig on its own: which origins it allows and the headers it builds."""

import pytest
from kernel_cors import CORSConfig

import kernel

DEFAULT_ALLOW_HEADERS = "Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Api-Key"


def test_is_exported_by_kernel():
    assert kernel.CORSConfig is CORSConfig


def test_default_config_allows_any_origin_as_wildcard():
    config = CORSConfig()
    assert config.allowed_origin("https://anything.example") == "*"
    assert config.to_dict("https://anything.example") == {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Headers": DEFAULT_ALLOW_HEADERS,
    }


def test_full_config_headers_for_an_allowed_origin():
    config = CORSConfig(
        allow_origin="https://app.example.com",
        allow_headers=["X-Trace-Id"],
        expose_headers=["X-Request-Id", "X-Rate-Limit"],
        max_age=600,
        allow_credentials=True,
    )
    assert config.to_dict("https://app.example.com") == {
        "Access-Control-Allow-Origin": "https://app.example.com",
        "Access-Control-Allow-Headers": "Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Api-Key,X-Trace-Id",
        "Access-Control-Expose-Headers": "X-Request-Id,X-Rate-Limit",
        "Access-Control-Max-Age": "600",
        "Access-Control-Allow-Credentials": "true",
    }


def test_max_age_zero_is_sent():
    assert CORSConfig(max_age=0).to_dict("https://a.example")["Access-Control-Max-Age"] == "0"


def test_user_headers_are_added_to_the_built_in_ones_once():
    config = CORSConfig(allow_headers=["content-type", "Content-Type", "X-Custom"])
    assert config.allow_headers == {
        "Authorization",
        "Content-Type",
        "X-Amz-Date",
        "X-Api-Key",
        "X-Amz-Security-Token",
        "content-type",
        "X-Custom",
    }


def test_extra_origins_are_allowed_exactly():
    config = CORSConfig(allow_origin="https://a.example", extra_origins=["https://b.example", "http://localhost:3000"])
    assert config.allowed_origin("https://a.example") == "https://a.example"
    assert config.allowed_origin("https://b.example") == "https://b.example"
    assert config.allowed_origin("http://localhost:3000") == "http://localhost:3000"
    assert config.allowed_origin("http://localhost:3001") is None


@pytest.mark.parametrize(
    "origin",
    [
        "https://A.example",  # case
        "http://a.example",  # scheme
        "https://a.example:443",  # explicit port
        "https://a.example:8443",  # other port
        "https://a.example/",  # trailing slash
        "https://a.example.evil.example",  # suffix
        "https://evil.example/https://a.example",
        " https://a.example",
        "https://a.example\r\nSet-Cookie: x=1",
        "https://a.example,https://evil.example",
        "null",
        "",
        None,
    ],
)
def test_only_a_byte_exact_origin_is_allowed(origin):
    config = CORSConfig(allow_origin="https://a.example", allow_credentials=True)
    assert config.allowed_origin(origin) is None
    assert config.to_dict(origin) == {}


def test_wildcard_never_echoes_the_request_origin_nor_credentials():
    config = CORSConfig(allow_origin="*", allow_credentials=True)
    for origin in ("https://evil.example", "null", "https://x.example\r\nX-Injected: 1"):
        headers = config.to_dict(origin)
        assert headers["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in headers


def test_wildcard_with_a_listed_origin_echoes_it_with_credentials():
    config = CORSConfig(allow_origin="*", extra_origins=["https://a.example"], allow_credentials=True)
    assert config.to_dict("https://a.example")["Access-Control-Allow-Origin"] == "https://a.example"
    assert config.to_dict("https://a.example")["Access-Control-Allow-Credentials"] == "true"
    assert config.to_dict("https://b.example")["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("origin", [None, ""])
def test_no_origin_is_not_a_cors_request_even_with_wildcard(origin):
    assert CORSConfig().allowed_origin(origin) is None
    assert CORSConfig().to_dict(origin) == {}


def test_null_origin_is_echoed_only_when_listed():
    config = CORSConfig(allow_origin="null")
    assert config.to_dict("null")["Access-Control-Allow-Origin"] == "null"


def test_credentials_need_true_not_truthy():
    config = CORSConfig(allow_origin="https://a.example", allow_credentials="yes")
    assert "Access-Control-Allow-Credentials" not in config.to_dict("https://a.example")


def test_build_allow_methods_sorts_and_joins():
    assert CORSConfig.build_allow_methods({"POST", "GET", "OPTIONS"}) == "GET,OPTIONS,POST"
    assert CORSConfig.build_allow_methods(["PUT"]) == "PUT"
    assert CORSConfig.build_allow_methods(set()) == ""


@pytest.mark.parametrize(
    "kwargs",
    [
        {"allow_origin": "https://a.example\r\nX-Injected: 1"},
        {"allow_origin": "https://a.example\n"},
        {"allow_origin": "https://a.example, https://b.example"},
        {"allow_origin": "https://a.example https://b.example"},
        {"allow_origin": ""},
        {"extra_origins": ["https://b.example\x00"]},
        {"extra_origins": ["https://b.example,https://c.example"]},
        {"allow_headers": ["X-Ok", "X-Bad\r\nSet-Cookie: a=b"]},
        {"expose_headers": ["X-Bad\n"]},
        {"expose_headers": [""]},
    ],
)
def test_config_that_could_split_or_merge_headers_is_refused(kwargs):
    with pytest.raises(ValueError, match="Invalid"):
        CORSConfig(**kwargs)
