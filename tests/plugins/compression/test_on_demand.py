"""The compression plugin joins an app when the app first uses it, not when the app is built."""

import asyncio
import base64
import gzip
import json
import subprocess
import sys
import textwrap
from pathlib import Path

from kernel import APIGatewayRestResolver, Response
from kernel.plugins import selection_reason
from kernel.testing import Client

REPO = Path(__file__).resolve().parents[3]
PAYLOAD = {"items": [{"id": i, "name": f"item-{i}"} for i in range(50)]}


def compressed_app(**kwargs):
    app = APIGatewayRestResolver(**kwargs)

    @app.get("/plain")
    def plain():
        return {"plain": True}

    @app.get("/report")
    def report():
        return Response(200, "application/json", body=PAYLOAD, compress=True)

    return app


def test_an_app_that_never_compresses_never_imports_the_plugin():
    script = textwrap.dedent(
        """
        import sys
        from kernel import APIGatewayRestResolver
        from kernel.testing import Client

        app = APIGatewayRestResolver()

        @app.get("/plain")
        def plain():
            return {"plain": True}

        response = Client(app).get("/plain", headers={"Accept-Encoding": "gzip"})
        assert response.json() == {"plain": True} and "Content-Encoding" not in response.headers
        print("kernel_compression" in sys.modules)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_first_response_asking_for_gzip_is_compressed_and_loads_the_plugin():
    app = compressed_app()
    assert not app.plugin_manager.has_plugin("compression")
    assert selection_reason(app.plugin_manager).left_out["compression"] == "loaded when the app uses it"
    client = Client(app)

    plain = client.get("/plain", headers={"Accept-Encoding": "gzip"})
    assert (plain.status_code, plain.json()) == (200, {"plain": True})
    assert "Content-Encoding" not in plain.headers
    assert "Vary" not in plain.headers

    for _ in range(2):  # the first such response, and the ones after it
        report = client.get("/report", headers={"Accept-Encoding": "gzip"})
        assert report.status_code == 200
        assert report.headers["Content-Encoding"] == "gzip"
        assert report.headers["Vary"] == "Accept-Encoding"
        assert report.raw["isBase64Encoded"] is True
        assert report.json() == PAYLOAD  # the test client undoes base64 and gzip
    assert app.plugin_manager.has_plugin("compression")
    assert selection_reason(app.plugin_manager).reason_for("compression") == "Response(compress=True)"

    identity = client.get("/report", headers={"Accept-Encoding": "identity"})
    assert identity.json() == PAYLOAD
    assert "Content-Encoding" not in identity.headers
    assert identity.headers["Vary"] == "Accept-Encoding"


def test_the_first_compressed_response_of_an_async_request():
    probe = Client(compressed_app())
    probe.get("/report", headers={"Accept-Encoding": "gzip"})
    app = compressed_app()
    response = asyncio.run(app.resolve_async(probe.raw_event, None))
    assert response["multiValueHeaders"]["Content-Encoding"] == ["gzip"]
    assert json.loads(gzip.decompress(base64.b64decode(response["body"]))) == PAYLOAD


def test_an_app_listing_its_plugins_without_compression_sends_the_body_as_it_is():
    app = compressed_app(plugins=["rest"])
    for _ in range(2):
        report = Client(app).get("/report", headers={"Accept-Encoding": "gzip"})
        assert (report.status_code, report.json()) == (200, PAYLOAD)
        assert "Content-Encoding" not in report.headers
    assert not app.plugin_manager.has_plugin("compression")
