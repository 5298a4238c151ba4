"""CORS, compression and cache-control enabled together never break a source, headers or not."""

import pytest
from kernel_cors import CORSConfig

from tests.sources import CASES


@pytest.mark.parametrize("source", CASES, ids=str)
def test_features_leave_the_body_readable(source):
    app = source.app(plugins=source.plugin_list("cors", "compression"), cors=CORSConfig())

    @app.get("/claims", compress=True, cache_control="max-age=60")
    def claims():
        return {"claims": [1, 2, 3]}

    reply = source.read(app(source.make_event("GET", "/claims"), None))
    assert reply.status == 200
    assert reply.json() == {"claims": [1, 2, 3]}
    # No Accept-Encoding was sent, so nothing may be compressed.
    assert reply.header("Content-Encoding") is None
