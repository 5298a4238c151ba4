"""What a route returns and how it is sent: return values, serializers, bytes, headers, cookies."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import json
import uuid

import pytest

from kernel import Cookie, Response, SameSite, content_types
from tests.kernel.helpers import call, json_response, rest_app

# -- return values ------------------------------------------------------------


def test_dict_return_is_json_with_200():
    app = rest_app()

    @app.get("/x")
    def x():
        return {"message": "hi", "n": [1, 2]}

    assert call(app, "GET", "/x") == {
        "statusCode": 200,
        "body": '{"message":"hi","n":[1,2]}',
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["application/json"]},
    }


def test_tuple_return_sets_the_status():
    app = rest_app()

    @app.post("/x")
    def x():
        return {"created": 1}, 201

    assert call(app, "POST", "/x") == json_response(201, {"created": 1})


def test_list_and_scalar_returns_are_json_too():
    app = rest_app()

    @app.get("/list")
    def as_list():
        return [1, "two"]

    @app.get("/none")
    def as_none():
        return None

    assert call(app, "GET", "/list") == json_response(200, [1, "two"])
    assert call(app, "GET", "/none") == json_response(200, None)


def test_response_object_is_sent_as_given():
    app = rest_app()

    @app.get("/x")
    def x():
        return Response(
            status_code=203,
            content_type=content_types.TEXT_HTML,
            body="<p>hi</p>",
            headers={"X-Trace": "abc"},
        )

    assert call(app, "GET", "/x") == {
        "statusCode": 203,
        "body": "<p>hi</p>",
        "isBase64Encoded": False,
        "multiValueHeaders": {"X-Trace": ["abc"], "Content-Type": ["text/html"]},
    }


def test_response_with_json_content_type_and_dict_body_is_serialised():
    app = rest_app()

    @app.get("/x")
    def x():
        return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body={"a": [1]})

    assert call(app, "GET", "/x") == json_response(200, {"a": [1]})


def test_response_without_body_or_content_type():
    app = rest_app()

    @app.head("/x")
    def x():
        return Response(status_code=204, headers={"Content-Length": "0"})

    assert call(app, "HEAD", "/x") == {
        "statusCode": 204,
        "body": None,
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Length": ["0"]},
    }


def test_content_type_header_given_explicitly_wins_over_content_type_argument():
    app = rest_app()

    @app.get("/x")
    def x():
        return Response(200, content_type="text/plain", body="hi", headers={"Content-Type": "text/csv"})

    assert call(app, "GET", "/x")["multiValueHeaders"] == {"Content-Type": ["text/csv"]}


def test_bytes_body_is_base64_encoded():
    app = rest_app()
    png = b"\x89PNG\r\n\x1a\n\x00\xff"

    @app.get("/logo.png")
    def logo():
        return Response(status_code=200, content_type="image/png", body=png)

    assert call(app, "GET", "/logo.png") == {
        "statusCode": 200,
        "body": "iVBORw0KGgoA/w==",
        "isBase64Encoded": True,
        "multiValueHeaders": {"Content-Type": ["image/png"]},
    }


def test_headers_with_list_values_are_sent_as_several_values():
    app = rest_app()

    @app.get("/x")
    def x():
        return Response(200, "text/plain", "ok", headers={"X-Multi": ["a", "b"], "X-One": "c"})

    assert call(app, "GET", "/x")["multiValueHeaders"] == {
        "X-Multi": ["a", "b"],
        "X-One": ["c"],
        "Content-Type": ["text/plain"],
    }


# -- cookies ------------------------------------------------------------------


def test_cookies_are_several_set_cookie_values():
    app = rest_app()

    @app.get("/login")
    def login():
        return Response(
            status_code=200,
            content_type="text/plain",
            body="ok",
            cookies=[
                Cookie("session", "abc"),
                Cookie(
                    "prefs",
                    "dark",
                    path="/",
                    domain="example.com",
                    secure=False,
                    http_only=True,
                    max_age=3600,
                    expires=datetime.datetime(2030, 1, 2, 3, 4, 5),
                    same_site=SameSite.STRICT_MODE,
                    custom_attributes=["Partitioned"],
                ),
                "plain=text; Path=/x",
            ],
        )

    assert call(app, "GET", "/login") == {
        "statusCode": 200,
        "body": "ok",
        "isBase64Encoded": False,
        "multiValueHeaders": {
            "Content-Type": ["text/plain"],
            "Set-Cookie": [
                "session=abc; Secure",
                "prefs=dark; Path=/; Domain=example.com; Expires=Wed, 02 Jan 2030 03:04:05 GMT; "
                "Max-Age=3600; HttpOnly; SameSite=Strict; Partitioned",
                "plain=text; Path=/x",
            ],
        },
    }


@pytest.mark.parametrize(
    ("cookie", "expected"),
    [
        (Cookie("a", "1"), "a=1; Secure"),
        (Cookie("a", "1", secure=False), "a=1"),
        (Cookie("a", "1", max_age=0), "a=1; Max-Age=0; Secure"),
        (Cookie("a", "1", max_age=-5), "a=1; Max-Age=0; Secure"),
        (Cookie("a", "1", same_site=SameSite.LAX_MODE), "a=1; Secure; SameSite=Lax"),
        (Cookie("a", "1", same_site=SameSite.NONE_MODE), "a=1; Secure; SameSite=None"),
        (Cookie("a", "1", same_site=SameSite.DEFAULT_MODE), "a=1; Secure"),
        (Cookie("a", "1", http_only=True, secure=False), "a=1; HttpOnly"),
    ],
)
def test_cookie_rendering(cookie, expected):
    assert str(cookie) == expected


def test_cookies_and_a_set_cookie_header_are_both_sent():
    app = rest_app()

    @app.get("/x")
    def x():
        return Response(200, "text/plain", "ok", headers={"Set-Cookie": "from=header"}, cookies=[Cookie("from", "cookie")])

    assert call(app, "GET", "/x")["multiValueHeaders"]["Set-Cookie"] == ["from=header", "from=cookie; Secure"]


# -- serializers --------------------------------------------------------------


class Color(enum.Enum):
    RED = "red"


class Size(enum.IntEnum):
    LARGE = 3


@dataclasses.dataclass
class Point:
    x: int
    y: int


def test_default_serializer_handles_common_types():
    app = rest_app()

    @app.get("/x")
    def x():
        return {
            "point": Point(1, 2),
            "color": Color.RED,
            "size": Size.LARGE,
            "when": datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc),
            "day": datetime.date(2024, 5, 6),
            "time": datetime.time(7, 8),
            "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "price": decimal.Decimal("10.50"),
            "unicode": "caf\u00e9",
        }

    body = call(app, "GET", "/x")["body"]
    assert body == (
        '{"point":{"x":1,"y":2},"color":"red","size":3,"when":"2024-05-06T07:08:09+00:00",'
        '"day":"2024-05-06","time":"07:08:00","id":"12345678-1234-5678-1234-567812345678",'
        '"price":"10.50","unicode":"caf\\u00e9"}'
    )


def test_default_serializer_turns_nan_decimal_into_null():
    app = rest_app()

    @app.get("/x")
    def x():
        return {"v": decimal.Decimal("NaN"), "w": decimal.Decimal("Infinity")}

    # NaN is no JSON: null, as for a float NaN (tests/kernel/test_serialization_floats.py);
    # an infinite Decimal is text, as every Decimal.
    assert call(app, "GET", "/x")["body"] == '{"v":null,"w":"Infinity"}'


def test_default_serializer_rejects_unknown_objects():
    app = rest_app()

    @app.get("/x")
    def x():
        return {"v": object()}

    with pytest.raises(TypeError, match="not JSON serializable"):
        call(app, "GET", "/x")


def test_custom_serializer_is_used_for_json_bodies():
    calls = []

    def serializer(value):
        calls.append(value)
        return json.dumps(value, indent=1, sort_keys=True)

    app = rest_app(serializer=serializer)

    @app.get("/x")
    def x():
        return {"b": 1, "a": 2}

    @app.get("/text")
    def text():
        return Response(200, "text/plain", "untouched")

    assert call(app, "GET", "/x")["body"] == '{\n "a": 2,\n "b": 1\n}'
    assert call(app, "GET", "/text")["body"] == "untouched"
    # Error answers go through it too; text bodies never do.
    assert call(app, "GET", "/missing")["body"] == '{\n "message": "Not found",\n "statusCode": 404\n}'
    assert calls == [{"b": 1, "a": 2}, {"statusCode": 404, "message": "Not found"}]
    assert app.has_custom_serializer is True
    assert app.serializer is serializer


def test_json_string_body_is_sent_as_is():
    app = rest_app()

    @app.get("/x")
    def x():
        return Response(200, content_types.APPLICATION_JSON, '{"already":"json"}')

    assert call(app, "GET", "/x")["body"] == '{"already":"json"}'
