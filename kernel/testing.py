"""A test client: call an app the way its event source would, and read the answer as HTTP.

::

    from kernel.testing import Client

    client = Client(app)                     # the app's own source, or Client(app, source="edge")
    response = client.post("/orders", json={"id": 1}, headers={"Origin": "https://a.example"})
    assert response.status_code == 201
    assert response.json() == {"id": 1}
    client.raw_event                         # the exact event the app received
    client.raw_response                      # the exact dict Lambda would get back

The client asks the source plugin to build the event its service would send
for the request (the same builder ``kernel serve`` uses, see
:class:`kernel.source.Source`), runs ``app.resolve()`` on it, and decodes the
response dict: base64 bodies, gzip, multi-value headers and cookies. Any
source that declares an event builder works, third-party ones included.
"""

from __future__ import annotations

import gzip
import json as json_module
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from kernel.compat import DEFAULT_SOURCE
from kernel.events import HttpRequest
from kernel.hooks import source_plugins
from kernel.lambda_context import LocalContext

__all__ = ["Client", "Headers", "TestResponse"]

_MISSING: Any = object()


class Headers(Mapping[str, str]):
    """Response headers: names compare without case; a repeated header keeps every value.

    ``headers["Vary"]`` joins the values of a repeated header with ``", "``;
    :meth:`get_list` gives them one by one (``Set-Cookie`` is only read that way).
    """

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._pairs = list(pairs)

    def get_list(self, name: str) -> list[str]:
        """Every value of the header ``name``, in order (``[]`` when absent)."""
        wanted = name.lower()
        return [value for key, value in self._pairs if key.lower() == wanted]

    def __getitem__(self, name: str) -> str:
        values = self.get_list(name)
        if not values:
            raise KeyError(name)
        return ", ".join(values)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(key.lower() for key, _ in self._pairs))

    def __len__(self) -> int:
        return len({key.lower() for key, _ in self._pairs})

    def items_list(self) -> list[tuple[str, str]]:
        """The header pairs as the response carried them."""
        return list(self._pairs)

    def __repr__(self) -> str:
        return f"Headers({self._pairs!r})"


class TestResponse:
    """A response dict read back as HTTP.

    :ivar status_code: the status.
    :ivar headers: the headers (:class:`Headers`).
    :ivar content: the body bytes, base64- and gzip-decoded.
    :ivar raw: the response dict the app returned.
    """

    __test__ = False  # not a pytest test class, despite its name

    def __init__(self, status_code: int, headers: Headers, content: bytes, raw: dict[str, Any]) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content
        self.raw = raw

    @property
    def text(self) -> str:
        """The body as UTF-8 text."""
        return self.content.decode("utf-8")

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json_module.loads(self.content)

    @property
    def cookies(self) -> dict[str, str]:
        """The cookies the response sets, by name (the value of each ``Set-Cookie``)."""
        jar: dict[str, str] = {}
        for line in self.headers.get_list("set-cookie"):
            name, _, rest = line.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0].strip()
        return jar

    def __repr__(self) -> str:
        return f"<TestResponse {self.status_code}>"


class Client:
    """Drive an app with the events of one source.

    :param app: the app (anything with ``resolve(event, context)`` and a
        ``plugin_manager``).
    :param source: the source plugin's name. By default the source the app
        is pinned to; for an app that takes any source, the reference's
        default (API Gateway REST) when the app has it, else its first source.
    :param event_options: the source's own options for every event
        (``stage="prod"`` for ``rest``, ``multi_value=True`` for ``alb``...).
    """

    __test__ = False

    def __init__(self, app: Any, source: str | None = None, **event_options: Any) -> None:
        self.app = app
        self.source_name = source or getattr(app, "source", None) or self._default_source(app)
        plugin = app.plugin_manager.get_plugin(self.source_name)
        if plugin is None:
            raise LookupError(f"The app has no event source {self.source_name!r}")
        if not getattr(plugin, "can_build_events", False):
            raise LookupError(f"The event source {self.source_name!r} declares no event builder, so the client cannot drive it")
        self.source = plugin
        self.event_options = event_options
        #: The event of the last request.
        self.raw_event: dict[str, Any] | None = None
        #: The response dict of the last request.
        self.raw_response: dict[str, Any] | None = None

    @staticmethod
    def _default_source(app: Any) -> str:
        manager = app.plugin_manager
        names = [manager.get_name(plugin) for plugin in source_plugins(manager)]
        if DEFAULT_SOURCE in names or not names:
            return DEFAULT_SOURCE
        return sorted(name for name in names if name)[0]

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str | list[str]] | Iterable[tuple[str, str]] | str | None = None,
        headers: Mapping[str, str | list[str]] | Iterable[tuple[str, str]] | None = None,
        json: Any = _MISSING,
        body: str | bytes | None = None,
        cookies: Mapping[str, str] | None = None,
        is_base64: bool | None = None,
        context: Any = None,
        **event_options: Any,
    ) -> TestResponse:
        """Send one request; ``path`` may carry a query string (``/items?page=2``).

        ``json`` sends a JSON body (with ``Content-Type: application/json``
        unless given); ``body`` sends text or bytes as they are, base64-encoded
        in the event when ``is_base64`` or, by default, when the content type
        is not text. ``cookies`` go in one ``Cookie`` header.
        """
        path, _, raw_query = path.partition("?")
        header_pairs = list(headers.items() if isinstance(headers, Mapping) else headers or [])
        if json is not _MISSING:
            body = json_module.dumps(json)
            if not any(name.lower() == "content-type" for name, _ in header_pairs):
                header_pairs.append(("Content-Type", "application/json"))
        request = HttpRequest.build(
            method,
            path,
            headers=header_pairs,
            query=raw_query if raw_query and query is None else query,
            body=body,
            is_base64=is_base64,
            cookies=[f"{name}={value}" for name, value in (cookies or {}).items()],
        )
        event = self.source.build_event(request, **{**self.event_options, **event_options})
        self.raw_event = event
        if context is None:
            context = LocalContext(request.request_id)
        response = self.app.resolve(event, context)
        self.raw_response = response
        status, pairs, content = self.source.read_response(response)
        decoded = Headers(pairs)
        if content and "gzip" in decoded.get("content-encoding", "").lower():
            content = gzip.decompress(content)
        return TestResponse(status, decoded, content, response)

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        """Send a GET request (see :meth:`request`)."""
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> TestResponse:
        """Send a POST request (see :meth:`request`)."""
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> TestResponse:
        """Send a PUT request (see :meth:`request`)."""
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> TestResponse:
        """Send a PATCH request (see :meth:`request`)."""
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> TestResponse:
        """Send a DELETE request (see :meth:`request`)."""
        return self.request("DELETE", path, **kwargs)

    def head(self, path: str, **kwargs: Any) -> TestResponse:
        """Send a HEAD request (see :meth:`request`)."""
        return self.request("HEAD", path, **kwargs)

    def options(self, path: str, **kwargs: Any) -> TestResponse:
        """Send an OPTIONS request (see :meth:`request`)."""
        return self.request("OPTIONS", path, **kwargs)
