"""VPC Lattice v2 events as the service sends them: without "version", and with a query string left on the path."""

from __future__ import annotations

import json

from kernel import App, VPCLatticeV2Resolver
from tests.events import lattice_v2_event


def routed_app(app):
    @app.get("/orders/<order_id>")
    def order(order_id):
        return {"order": order_id, "path": app.current_event.path, "type": type(app.current_event).__name__}

    return app


def test_an_event_without_version_is_served_by_its_v2_shape():
    event = lattice_v2_event("GET", "/orders/7")
    del event["version"]
    expected = {"order": "7", "path": "/orders/7", "type": "VPCLatticeEventV2"}
    for app in (VPCLatticeV2Resolver(plugins=["lattice"]), App(plugins=["lattice", "lattice-v2", "rest", "http", "alb"])):
        response = routed_app(app)(dict(event), None)
        assert (response["statusCode"], json.loads(response["body"])) == (200, expected)


def test_a_path_carrying_its_query_string_is_routed_without_it():
    event = lattice_v2_event("GET", "/orders/7")
    event["path"] = "/orders/7?expand=lines"
    response = routed_app(VPCLatticeV2Resolver(plugins=["lattice"]))(event, None)
    assert (response["statusCode"], json.loads(response["body"])) == (
        200,
        {"order": "7", "path": "/orders/7", "type": "VPCLatticeEventV2"},
    )
