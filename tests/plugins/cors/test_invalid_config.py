"""A CORSConfig that could split or merge headers is refused when the app is built, with a message saying what to give."""

from __future__ import annotations

import re

import pytest
from kernel_cors import CORSConfig


@pytest.mark.parametrize(
    ("kwargs", "value"),
    [
        ({"allow_origin": "https://a.example, https://b.example"}, "'https://a.example, https://b.example'"),
        ({"allow_origin": ""}, "''"),
        ({"extra_origins": ["https://b.example\r\nX-Injected: 1"]}, "'https://b.example\\r\\nX-Injected: 1'"),
        ({"extra_origins": [None]}, "None"),
    ],
)
def test_a_bad_origin_is_refused_with_what_to_give_instead(kwargs, value):
    message = (
        f"Invalid CORS origin {value}: give one origin per string, such as 'https://example.com',"
        " and more of them in extra_origins"
    )
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        CORSConfig(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "value"),
    [
        ({"allow_headers": ["X-Ok", "X-Bad\r\nSet-Cookie: a=b"]}, "'X-Bad\\r\\nSet-Cookie: a=b'"),
        ({"expose_headers": [""]}, "''"),
        ({"expose_headers": [7]}, "7"),
    ],
)
def test_a_bad_header_name_is_refused_and_named(kwargs, value):
    with pytest.raises(ValueError, match=f"^{re.escape(f'Invalid header name in CORS configuration: {value}')}$"):
        CORSConfig(**kwargs)
