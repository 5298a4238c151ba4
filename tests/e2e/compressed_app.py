"""A small HTTP API for the browser test of Swagger UI's files: gzipped, and reached under /api.

``kernel serve`` sends it API Gateway HTTP API events; the browser opens
``/api/swagger``, which ``strip_prefixes`` routes to the Swagger route, as a
custom domain's API mapping would. ``compress=True`` gzips the page and the
Swagger UI files, so the test sees base64-encoded gzip travel through the
HTTP API response shape to a real browser.
"""

from __future__ import annotations

from kernel import APIGatewayHttpResolver

app = APIGatewayHttpResolver(enable_validation=True, strip_prefixes=["/api"])
app.enable_swagger(title="Pings", version="1.0.0", compress=True)


@app.get("/pings/<ping_id>", summary="Read a ping")
def get_ping(ping_id: int) -> dict[str, int | str]:
    return {"id": ping_id, "pong": "yes"}
