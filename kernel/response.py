"""What a route returns and how it becomes the parts of a Lambda response."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from kernel import content_types
from kernel.cookies import Cookie

ResponseT = TypeVar("ResponseT")


class Response(Generic[ResponseT]):
    """An HTTP response: status, headers, cookies and body.

    :param status_code: the HTTP status, for example ``200``.
    :param content_type: sets the ``Content-Type`` header unless ``headers``
        already has one.
    :param body: ``str``, ``bytes`` (sent base64-encoded) or, with a JSON
        content type, any value the app's serializer accepts.
    :param headers: header names to a value or a list of values.
    :param cookies: cookies to set (:class:`~kernel.cookies.Cookie` or
        ready-made ``Set-Cookie`` strings).
    :param compress: gzip this response when the client accepts it (``True``),
        never (``False``), or as the route says (``None``). Needs the
        ``compression`` plugin.
    """

    def __init__(
        self,
        status_code: int,
        content_type: str | None = None,
        body: ResponseT | None = None,
        headers: Mapping[str, str | list[str]] | None = None,
        cookies: list[Cookie] | None = None,
        compress: bool | None = None,
    ) -> None:
        self.status_code = status_code
        self.body: Any = body
        self.base64_encoded = False
        self.headers: dict[str, Any] = dict(headers) if headers else {}
        self.cookies: list[Any] = cookies or []
        self.compress = compress
        self.content_type = content_type
        if content_type:
            self.headers.setdefault("Content-Type", content_type)

    def is_json(self) -> bool:
        """Whether the ``Content-Type`` header says JSON."""
        content_type = self.headers.get("Content-Type", "")
        if isinstance(content_type, list):
            content_type = content_type[0] if content_type else ""
        return content_type.startswith(content_types.APPLICATION_JSON)

    def __repr__(self) -> str:
        return f"Response(status_code={self.status_code!r}, headers={self.headers!r}, body={self.body!r})"


def encoded_body(response: Response[Any]) -> tuple[str | None, bool]:
    """Return the body as the text Lambda expects, and whether it is base64."""
    body = response.body
    if isinstance(body, bytes):
        return base64.b64encode(body).decode(), True
    return body, response.base64_encoded


def multi_value_headers(response: Response[Any]) -> dict[str, list[str]]:
    """Headers as lists of values, cookies as several ``Set-Cookie`` values."""
    out: dict[str, list[str]] = {}
    for name, value in response.headers.items():
        if value is None:
            continue
        out[name] = [value] if isinstance(value, str) else list(value)
    if response.cookies:
        out.setdefault("Set-Cookie", []).extend(str(cookie) for cookie in response.cookies)
    return out


def joined_headers(response: Response[Any]) -> dict[str, str]:
    """Single-valued headers, several values joined with ``", "`` (cookies left out)."""
    out: dict[str, str] = {}
    for name, value in response.headers.items():
        if value is None:
            continue
        out[name] = value if isinstance(value, str) else ", ".join(value)
    return out
