"""gzip response compression for kernel apps.

Installed with ``pip install --no-index --find-links dist "kernel[compression]"`` from the
wheelhouse ``scripts/wheelhouse`` builds. A response is gzipped when
its route says ``compress=True`` or the response itself says
``Response(compress=True)`` (the response's choice wins either way), and the
request's ``Accept-Encoding`` accepts gzip. The body becomes gzip bytes, which
the event source sends base64-encoded, with ``Content-Encoding: gzip``.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kernel.plugin_api import add_vary, header_key, hookimpl

if TYPE_CHECKING:
    from kernel.plugin_api import BaseRequest, Response, Route

__all__ = ["COMPRESSION_LEVEL", "accepts_gzip", "gzip_bytes"]

#: The compression level, on ISA-L's scale of 0 to 3: 1. ISA-L's deflate (through
#: the ``isal`` package) at level 1 compresses JSON two to four times as fast as
#: zlib's fastest level, into about as many bytes (see docs/compression.md).
COMPRESSION_LEVEL = 1

# gzip's wrapper around the deflate stream, with the largest window (what any reader accepts).
_GZIP_WBITS = 31

# RFC 9110 qvalue: 0, 0.x, 0.xx, 0.xxx, 1, 1.0, 1.00, 1.000.
_QVALUE = re.compile(r"0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?")
# RFC 9110 asks to treat x-gzip as gzip.
_GZIP = ("gzip", "x-gzip")
# Statuses that carry no content, so nothing to compress.
_NO_CONTENT = (204, 304)


def _weight(params: str) -> float:
    """The q weight among an Accept-Encoding element's parameters (1 when absent, 0 when malformed)."""
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            value = value.strip()
            # A weight we cannot read is no consent to receive gzip.
            return float(value) if _QVALUE.fullmatch(value) else 0.0
    return 1.0


# accepts_gzip's answers by header value: clients send a handful of distinct values, so the
# parse runs once per value. Bounded, since the values come from clients.
_ACCEPTS: dict[str, bool] = {}
_ACCEPTS_LIMIT = 256


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an ``Accept-Encoding`` header value lets us send gzip.

    Codings compare without case and ``x-gzip`` counts as ``gzip``. gzip is
    accepted when it is listed with a weight above zero, or when it is not
    listed and ``*`` is, with a weight above zero. A zero (or unreadable)
    weight on any ``gzip`` element refuses it. No header, an empty one, or
    ``identity`` alone accept nothing but the uncompressed body.
    """
    if not accept_encoding:
        return False
    known = _ACCEPTS.get(accept_encoding)
    if known is not None:
        return known
    answer = _accepts_gzip(accept_encoding)
    if len(_ACCEPTS) >= _ACCEPTS_LIMIT:
        _ACCEPTS.clear()
    _ACCEPTS[accept_encoding] = answer
    return answer


def _accepts_gzip(accept_encoding: str) -> bool:
    gzip_weights: list[float] = []
    star_weights: list[float] = []
    for element in accept_encoding.split(","):
        coding, _, params = element.partition(";")
        coding = coding.strip().lower()
        if coding in _GZIP:
            gzip_weights.append(_weight(params))
        elif coding == "*":
            star_weights.append(_weight(params))
    if gzip_weights:
        return min(gzip_weights) > 0
    return bool(star_weights) and min(star_weights) > 0


def gzip_bytes(data: bytes, level: int = COMPRESSION_LEVEL) -> bytes:
    """``data`` in the gzip format (RFC 1952), with no file name and a zero timestamp.

    :param level: ISA-L's compression level, 0 (fastest) to 3 (smallest).
    :raises ValueError: for another level (zlib's 4 to 9 included).
    """
    if not 0 <= level <= 3:
        raise ValueError(f"gzip level {level!r} is not one of ISA-L's, 0 to 3")
    compress = _compress or _load_compressor()
    return compress(data, level, _GZIP_WBITS)


_compress: Callable[[bytes, int, int], bytes] | None = None


def _load_compressor() -> Callable[[bytes, int, int], bytes]:
    # Imported on the first body compressed, not when the plugin loads: an app whose
    # clients never accept gzip never pays for it.
    global _compress
    from isal import isal_zlib

    _compress = isal_zlib.compress
    return _compress


def _raw_body(response: Response[Any]) -> bytes | None:
    """The response body as the bytes the client would receive, or None if it cannot be known."""
    body = response.body
    if isinstance(body, str):
        if not response.base64_encoded:
            return body.encode("utf-8")
        # The route encoded the body itself: compress what it stands for, not its base64 text.
        try:
            return base64.b64decode(body, validate=True)
        except binascii.Error:
            return None
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    return None


@hookimpl
def build_response(app: Any, request: BaseRequest, route: Route | None, response: Response[Any]) -> None:
    """gzip the body when the route or the response asks for it and the client accepts it.

    It takes every argument of the hook, ``app`` unused, so the prepared
    per-request path calls it directly, with no adapter selecting arguments.
    """
    wanted = response.compress
    if wanted is None:
        wanted = route is not None and route.compress
    if not wanted or not response.body or response.status_code in _NO_CONTENT:
        return
    # An encoded body (gzip, br...) from the route is sent as it is, never encoded twice.
    if header_key(response.headers, "Content-Encoding") is not None:
        return
    # The choice between gzip and plain depends on Accept-Encoding, whichever it is.
    add_vary(response, "Accept-Encoding")
    if not accepts_gzip(request.header_text("Accept-Encoding")):
        return
    raw = _raw_body(response)
    if raw is None:
        return
    response.body = gzip_bytes(raw)
    response.base64_encoded = False
    response.headers["Content-Encoding"] = "gzip"
    # A length the route computed describes the uncompressed body.
    length = header_key(response.headers, "Content-Length")
    if length is not None:
        del response.headers[length]
