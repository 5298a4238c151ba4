"""The exact REST response dicts of CORS answers, as API Gateway receives them."""

from kernel_cors import CORSConfig

from kernel import APIGatewayRestResolver
from tests.events import rest_event

CONFIG = CORSConfig(allow_origin="https://a.example", expose_headers=["X-A", "X-B"], max_age=10, allow_credentials=True)
CORS = {
    "Access-Control-Allow-Origin": ["https://a.example"],
    "Access-Control-Allow-Headers": ["Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Api-Key"],
    "Access-Control-Expose-Headers": ["X-A,X-B"],
    "Access-Control-Max-Age": ["10"],
    "Access-Control-Allow-Credentials": ["true"],
}


def make_app():
    app = APIGatewayRestResolver(plugins=["rest", "cors"], cors=CONFIG)

    @app.get("/items")
    def items():
        return {"a": 1}

    @app.post("/items", cors=False)
    def create():
        return {"a": 1}

    @app.put("/items/<item_id>")
    def put(item_id):
        return {"a": 1}

    return app


def test_preflight_dict():
    reply = make_app()(rest_event("OPTIONS", "/items", headers={"Origin": "https://a.example"}), None)
    assert reply == {
        "statusCode": 204,
        "body": "",
        "isBase64Encoded": False,
        "multiValueHeaders": {"Access-Control-Allow-Methods": ["GET,OPTIONS,PUT"], **CORS, "Vary": ["Origin"]},
    }


def test_simple_request_dict():
    reply = make_app()(rest_event("GET", "/items", headers={"Origin": "https://a.example"}), None)
    assert reply == {
        "statusCode": 200,
        "body": '{"a":1}',
        "isBase64Encoded": False,
        "multiValueHeaders": {"Content-Type": ["application/json"], **CORS, "Vary": ["Origin"]},
    }
