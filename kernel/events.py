"""HTTP requests described once, for the event builders of every source.

A source plugin builds the Lambda event its service would send for an HTTP
request (see :class:`kernel.source.Source`). The request reaches the builder
as an :class:`HttpRequest`, whoever made it: the test client
(:mod:`kernel.testing`), ``kernel serve`` (:mod:`kernel.asgi`), the
benchmarks or a test. The helpers here are what builders are made of, and
:func:`read_response` reads the response dicts of the services that answer
in the usual Lambda proxy shape.

Only the standard library is imported here.
"""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "HttpRequest",
    "encode_body",
    "epoch_millis",
    "flag_option",
    "object_option",
    "query_pairs",
    "read_response",
    "request_time",
]

Headers = Mapping[str, str | list[str]] | Iterable[tuple[str, str]]

DEFAULT_REQUEST_ID = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"


def _pairs(values: Headers | None) -> list[tuple[str, str]]:
    """``(name, value)`` pairs from a mapping (a list value repeats the name) or from pairs."""
    if values is None:
        return []
    if isinstance(values, Mapping):
        return [(name, item) for name, value in values.items() for item in (value if isinstance(value, list) else [value])]
    return [(name, value) for name, value in values]


class HttpRequest:
    """One HTTP request, as a client sent it.

    :param method: the HTTP method, upper case.
    :param path: the path as sent (percent-encoded where the client encoded it).
    :param query_string: the raw query string, without ``?``.
    :param headers: the header pairs in order, names as sent.
    :param body: the body bytes (``b""`` for none).
    :param is_base64: whether the service would base64-encode the body;
        ``None`` decides from the content type (see :func:`encode_body`).
    :param request_id: the invocation's request id.
    :param source_ip: the client's address.
    """

    __slots__ = ("body", "headers", "is_base64", "method", "now", "path", "query_string", "request_id", "source_ip")

    def __init__(
        self,
        method: str = "GET",
        path: str = "/",
        query_string: str = "",
        headers: tuple[tuple[str, str], ...] = (),
        body: bytes = b"",
        is_base64: bool | None = None,
        request_id: str = DEFAULT_REQUEST_ID,
        source_ip: str = "203.0.113.10",
        now: float | None = None,
    ) -> None:
        self.method = method
        self.path = path
        self.query_string = query_string
        self.headers = headers
        self.body = body
        self.is_base64 = is_base64
        self.request_id = request_id
        self.source_ip = source_ip
        self.now = time.time() if now is None else now

    def __repr__(self) -> str:
        return f"<HttpRequest {self.method} {self.path}{'?' + self.query_string if self.query_string else ''}>"

    @classmethod
    def build(
        cls,
        method: str = "GET",
        path: str = "/",
        *,
        headers: Headers | None = None,
        query: Headers | str | None = None,
        body: str | bytes | None = None,
        is_base64: bool | None = None,
        cookies: Iterable[str] | None = None,
        **details: Any,
    ) -> HttpRequest:
        """A request from the parts a test or a client names.

        ``headers`` and ``query`` are mappings (a list value repeats the name)
        or pairs; query values are the decoded ones, percent-encoded here as a
        client would send them (a string is taken as the raw query string).
        ``cookies`` are ``name=value`` strings sent in one ``Cookie`` header.
        """
        pairs = _pairs(headers)
        if cookies:
            pairs.append(("Cookie", "; ".join(cookies)))
        if isinstance(query, str):
            raw_query = query
        else:
            # Imported here: building events serves tests and `kernel serve`, never a Lambda cold
            # start, and urllib.parse (with ipaddress) is a noticeable share of one.
            from urllib.parse import quote, urlencode

            raw_query = urlencode(_pairs(query), quote_via=quote)
        data = body.encode() if isinstance(body, str) else (body or b"")
        return cls(method.upper(), path, raw_query, tuple(pairs), data, is_base64, **details)

    # -- what builders read ------------------------------------------------------

    def header_lists(self, lower: bool = False) -> dict[str, list[str]]:
        """Headers by name, every value of each, in order (names lower-cased if ``lower``)."""
        result: dict[str, list[str]] = {}
        for name, value in self.headers:
            result.setdefault(name.lower() if lower else name, []).append(value)
        return result

    def header(self, name: str, default: str | None = None) -> str | None:
        """The last value of the header ``name`` (any case), or ``default``."""
        wanted = name.lower()
        found = default
        for key, value in self.headers:
            if key.lower() == wanted:
                found = value
        return found

    def query_lists(self, decode: bool = True) -> dict[str, list[str]]:
        """Query parameters by name, every value of each (see :func:`query_pairs`)."""
        result: dict[str, list[str]] = {}
        for name, value in query_pairs(self.query_string, decode=decode):
            result.setdefault(name, []).append(value)
        return result

    def cookies(self) -> list[str]:
        """The ``name=value`` cookies of every ``Cookie`` header, in order."""
        found: list[str] = []
        for name, value in self.headers:
            if name.lower() == "cookie":
                found.extend(part.strip() for part in value.split(";") if part.strip())
        return found

    def encoded_body(self) -> tuple[str | None, bool]:
        """The body as an event carries it: ``(None, False)`` without one, else text or base64."""
        if not self.body:
            return None, False
        if self.is_base64 is None:
            return encode_body(self.body, self.header("content-type"))
        if self.is_base64:
            return base64.b64encode(self.body).decode("ascii"), True
        return self.body.decode("utf-8", "surrogateescape"), False

    def request_time(self) -> str:
        """The request time in the ``09/Apr/2015:12:34:56 +0000`` form API Gateway writes."""
        return request_time(self.now)

    def epoch_millis(self) -> int:
        """The request time in milliseconds since the epoch."""
        return epoch_millis(self.now)


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def flag_option(name: str, value: Any) -> bool:
    """A builder's boolean option, given as a boolean or as text (``kernel serve --event-option``).

    Raises :class:`ValueError` for text that is not ``true``/``false`` (or
    ``1``/``0``, ``yes``/``no``, ``on``/``off``).
    """
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(f"{name} takes true or false, not {value!r}")
    return bool(value)


def object_option(name: str, value: Any) -> dict[str, Any] | None:
    """A builder's option that is a JSON object: a dict, ``None``, or its JSON text (from the command line).

    Raises :class:`ValueError` for anything else.
    """
    if isinstance(value, str):
        import json

        try:
            value = json.loads(value)
        except ValueError:
            raise ValueError(f"{name} takes a JSON object, not {value!r}") from None
    if value is not None and not isinstance(value, dict):
        raise ValueError(f"{name} takes a JSON object, not {value!r}")
    return value


def request_time(now: float) -> str:
    """``now`` in the ``09/Apr/2015:12:34:56 +0000`` form API Gateway writes."""
    return time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now))


def epoch_millis(now: float) -> int:
    """``now`` in milliseconds."""
    return int(now * 1000)


def query_pairs(query_string: str | bytes, decode: bool = True) -> list[tuple[str, str]]:
    """The query string's ``(name, value)`` pairs in order, blank values kept.

    :param decode: percent-decode names and values (``+`` is a space), as
        API Gateway does; ``False`` keeps them as sent, as ALB does.

    Raises :class:`ValueError` when the query string is not ASCII or does not
    decode to UTF-8.
    """
    if isinstance(query_string, bytes):
        try:
            query_string = query_string.decode("ascii")
        except UnicodeDecodeError:
            raise ValueError("Query string is not valid: it must be ASCII, percent-encoded") from None
    if not decode:
        pairs = []
        for part in query_string.split("&"):
            if part:
                name, _, value = part.partition("=")
                pairs.append((name, value))
        return pairs
    from urllib.parse import parse_qsl

    try:
        return parse_qsl(query_string, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ValueError("Query string does not decode to UTF-8 text") from None


_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript", "application/x-www-form-urlencoded")


def encode_body(body: bytes, content_type: str | None) -> tuple[str, bool]:
    """The body as an event carries it: ``(text, False)`` or ``(base64, True)``.

    Text content types whose bytes are UTF-8 travel as text; everything else
    (images, ``application/octet-stream``, undeclared or undecodable bytes)
    base64-encoded, as the services do for binary payloads.
    """
    kind = (content_type or "").split(";")[0].strip().lower()
    textual = kind.startswith(_TEXT_TYPES) or kind.endswith(("+json", "+xml"))
    if textual or (not kind and not body):
        try:
            return body.decode("utf-8"), False
        except UnicodeDecodeError:
            pass
    return base64.b64encode(body).decode("ascii"), True


def read_response(response: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    """Read a Lambda HTTP response dict: status, header pairs and body bytes.

    Reads ``statusCode``, ``headers`` (one value each), ``multiValueHeaders``
    (lists; for a name in both, the lists win, as API Gateway merges them),
    ``cookies`` (each a ``Set-Cookie`` header), ``body`` and
    ``isBase64Encoded``. Raises :class:`ValueError` for a dict no service
    would accept.
    """
    if not isinstance(response, dict):
        raise ValueError(f"The handler returned {type(response).__name__}, not a response dict")
    status = response.get("statusCode")
    if isinstance(status, str) and status.isdigit():
        status = int(status)
    if isinstance(status, bool) or not isinstance(status, int):
        raise ValueError(f"The response has no valid statusCode: {status!r}")
    single = response.get("headers") or {}
    multi = response.get("multiValueHeaders") or {}
    if not isinstance(single, dict) or not isinstance(multi, dict):
        raise ValueError("The response headers are not objects")
    lower_multi = {str(name).lower() for name in multi}
    headers: list[tuple[str, str]] = []
    for name, value in single.items():
        if str(name).lower() not in lower_multi:
            headers.append((str(name), _header_text(value)))
    for name, values in multi.items():
        if not isinstance(values, list):
            raise ValueError(f"multiValueHeaders[{name!r}] is not a list")
        headers.extend((str(name), _header_text(value)) for value in values)
    cookies = response.get("cookies") or []
    if not isinstance(cookies, list):
        raise ValueError("The response cookies are not a list")
    headers.extend(("Set-Cookie", str(cookie)) for cookie in cookies)
    return status, headers, _body_bytes(response.get("body"), response.get("isBase64Encoded"))


def _body_bytes(body: Any, is_base64: Any) -> bytes:
    if body is None:
        return b""
    if not isinstance(body, str):
        raise ValueError(f"The response body is {type(body).__name__}, not a string")
    if is_base64:
        try:
            return base64.b64decode(body, validate=True)
        except binascii.Error:
            raise ValueError("The response body is not valid base64") from None
    return body.encode("utf-8")


def _header_text(value: Any) -> str:
    # Services accept numbers and booleans as header values and send their text.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise ValueError(f"A response header value is {type(value).__name__}, not a string")
