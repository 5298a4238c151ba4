"""The exact REST response dicts of compressed and uncompressed answers."""

import base64
import gzip

from kernel import APIGatewayRestResolver
from tests.events import rest_event

BODY = '{"message":"' + "hello " * 50 + '"}'


def make_app():
    app = APIGatewayRestResolver(plugins=["rest", "compression"])

    @app.get("/data", compress=True, cache_control="max-age=5")
    def data():
        return {"message": "hello " * 50}

    return app


def test_compressed_dict():
    reply = make_app()(rest_event("GET", "/data", headers={"Accept-Encoding": "gzip, deflate"}), None)
    assert gzip.decompress(base64.b64decode(reply["body"])) == BODY.encode()
    assert reply == {
        "statusCode": 200,
        "body": reply["body"],
        "isBase64Encoded": True,
        "multiValueHeaders": {
            "Content-Type": ["application/json"],
            "Cache-Control": ["max-age=5"],
            "Vary": ["Accept-Encoding"],
            "Content-Encoding": ["gzip"],
        },
    }


def test_uncompressed_dict():
    reply = make_app()(rest_event("GET", "/data", headers={"Accept-Encoding": "br"}), None)
    assert reply == {
        "statusCode": 200,
        "body": BODY,
        "isBase64Encoded": False,
        "multiValueHeaders": {
            "Content-Type": ["application/json"],
            "Cache-Control": ["max-age=5"],
            "Vary": ["Accept-Encoding"],
        },
    }
