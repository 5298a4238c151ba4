"""The Amazon VPC Lattice event source, payload versions 1 and 2.

Installed with ``pip install kernel[lattice]``. The entry point ``lattice``
serves both versions: ``VPCLatticeResolver`` pins an app to version 1,
``VPCLatticeV2Resolver`` to version 2, and an unpinned ``App()`` (or
``App(source="lattice")``) tells them apart by shape:

- version 1 has snake_case fields, ``method`` and ``raw_path`` (the path with
  the query string);
- version 2 has ``"version": "2.0"``, ``method`` and ``path``. HTTP API events
  also say ``"version": "2.0"`` but carry the method in ``requestContext.http``.

Both answer with one string per header (several values joined with ``", "``)
and, since a single ``Set-Cookie`` header fits, the last cookie only.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from kernel import hookimpl
from kernel.request import BaseRequest, EventPart, string_map
from kernel.response import Response, encoded_body, single_value_headers
from kernel.sources import ProxyEventType

__all__ = [
    "VPCLatticeEvent",
    "VPCLatticeEventV2",
    "VPCLatticeEventV2Identity",
    "VPCLatticeEventV2RequestContext",
    "check_v1_event",
    "check_v2_event",
    "is_v1_event",
    "is_v2_event",
]

_BOOLEAN_TEXT = {"true": True, "false": False}


class _VPCLatticeEventBase(BaseRequest):
    """What both payload versions share."""

    @property
    def method(self) -> str:
        """The HTTP method, as sent."""
        return self._data["method"]

    @property
    def http_method(self) -> str:
        return self._data["method"]

    @property
    def body(self) -> str | None:
        return self._data.get("body")


class VPCLatticeEvent(_VPCLatticeEventBase):
    """A VPC Lattice request, payload version 1, as ``app.current_event``.

    :attr:`is_base64_encoded` is a boolean even when the service sends it as
    the text ``"true"`` or ``"false"``.
    """

    @property
    def raw_path(self) -> str:
        """The path as sent, query string included."""
        return self._data["raw_path"]

    @cached_property
    def path(self) -> str:
        """:attr:`raw_path` without the query string."""
        return self.raw_path.partition("?")[0]

    @property
    def headers(self) -> dict[str, str]:
        """Request headers; a repeated header arrives as one comma-separated value."""
        return self._data.get("headers") or {}

    @property
    def query_string_parameters(self) -> dict[str, str] | None:
        return self._data.get("query_string_parameters") or None

    @property
    def is_base64_encoded(self) -> bool | None:
        value = self._data.get("is_base64_encoded")
        if type(value) is str:
            return _BOOLEAN_TEXT[value.lower()]
        return value


class VPCLatticeEventV2Identity(EventPart):
    """``requestContext.identity``: who called, as VPC Lattice authenticated them."""

    @property
    def source_vpc_arn(self) -> str | None:
        return self.get("sourceVpcArn")

    @property
    def get_type(self) -> str | None:
        """The kind of authentication (``AWS_IAM``...); named so as not to shadow ``type``."""
        return self.get("type")

    @property
    def principal(self) -> str | None:
        return self.get("principal")

    @property
    def principal_org_id(self) -> str | None:
        return self.get("principalOrgID")

    @property
    def session_name(self) -> str | None:
        return self.get("sessionName")

    @property
    def x509_subject_cn(self) -> str | None:
        return self.get("X509SubjectCn")

    @property
    def x509_issuer_ou(self) -> str | None:
        return self.get("X509IssuerOu")

    @property
    def x509_san_dns(self) -> str | None:
        return self.get("x509SanDns")

    @property
    def x509_san_uri(self) -> str | None:
        return self.get("X509SanUri")

    @property
    def x509_san_name_cn(self) -> str | None:
        return self.get("X509SanNameCn")


class VPCLatticeEventV2RequestContext(EventPart):
    """``requestContext``: the service network, service and target group, the caller and the time."""

    @property
    def service_network_arn(self) -> str | None:
        return self.get("serviceNetworkArn")

    @property
    def service_arn(self) -> str | None:
        return self.get("serviceArn")

    @property
    def target_group_arn(self) -> str | None:
        return self.get("targetGroupArn")

    @property
    def identity(self) -> VPCLatticeEventV2Identity:
        return VPCLatticeEventV2Identity(self.get("identity"))

    @property
    def region(self) -> str | None:
        return self.get("region")

    @property
    def time_epoch(self) -> str | None:
        """When the request arrived, in microseconds since the epoch, as sent (a string)."""
        return self.get("timeEpoch")


def _lists(value: Any) -> dict[str, list[str]] | None:
    """A v2 map as lists of strings, ``{}`` for None, None when malformed.

    AWS documents lists of values; events with plain strings are seen too,
    so each value may be either.
    """
    if value is None:
        return {}
    if type(value) is not dict:
        return None
    out: dict[str, list[str]] = {}
    for name, item in value.items():
        if type(name) is not str:
            return None
        if type(item) is str:
            out[name] = [item]
        elif type(item) is list and all(type(part) is str for part in item):
            out[name] = item
        else:
            return None
    return out


class VPCLatticeEventV2(_VPCLatticeEventBase):
    """A VPC Lattice request, payload version 2, as ``app.current_event``.

    The event carries every value of a header or query string parameter in a
    list. :attr:`headers` and :attr:`query_string_parameters` give one string
    per name (values joined: headers with ``", "``, cookies with ``"; "``,
    query values with ``","`` as API Gateway does); :attr:`multi_value_headers`
    and :attr:`resolved_query_string_parameters` keep the lists.
    """

    @property
    def version(self) -> str:
        return self._data["version"]

    @property
    def path(self) -> str:
        return self._data["path"]

    @cached_property
    def multi_value_headers(self) -> dict[str, list[str]]:
        """Request headers with every value."""
        return _lists(self._data.get("headers")) or {}

    @cached_property
    def headers(self) -> dict[str, str]:
        # Cookie values are separated by semicolons; every other header by commas.
        return {
            name: ("; " if name.lower() == "cookie" else ", ").join(values) for name, values in self.multi_value_headers.items()
        }

    @property
    def resolved_headers_field(self) -> dict[str, Any]:
        return self.multi_value_headers

    @cached_property
    def resolved_query_string_parameters(self) -> dict[str, list[str]]:
        return _lists(self._data.get("queryStringParameters")) or {}

    @cached_property
    def query_string_parameters(self) -> dict[str, str] | None:
        lists = self.resolved_query_string_parameters
        return {name: ",".join(values) for name, values in lists.items()} or None

    @cached_property
    def request_context(self) -> VPCLatticeEventV2RequestContext:
        return VPCLatticeEventV2RequestContext(self._data.get("requestContext"))

    @property
    def is_base64_encoded(self) -> bool | None:
        return self._data.get("isBase64Encoded")


def is_v1_event(event: Any) -> bool:
    """Whether ``event`` has the shape of a VPC Lattice payload version 1 event."""
    return type(event) is dict and "raw_path" in event and "method" in event


def is_v2_event(event: Any) -> bool:
    """Whether ``event`` has the shape of a VPC Lattice payload version 2 event."""
    return type(event) is dict and event.get("version") == "2.0" and "method" in event and "path" in event


def _check_common(event: Any) -> str | None:
    if type(event) is not dict:
        return "the event is not an object"
    method = event.get("method")
    if type(method) is not str or not method:
        return "'method' is missing or not a string"
    body = event.get("body")
    if body is not None and type(body) is not str:
        return "'body' is not a string"
    return None


def check_v1_event(event: Any) -> str | None:
    """Return what makes a version 1 ``event`` malformed, or None when routing can rely on it."""
    problem = _check_common(event)
    if problem is not None:
        return problem
    path = event.get("raw_path")
    if type(path) is not str or path[:1] != "/":
        return "'raw_path' is missing or not an absolute path"
    if string_map(event.get("headers")) is None:
        return "'headers' is not a map of strings"
    if string_map(event.get("query_string_parameters")) is None:
        return "'query_string_parameters' is not a map of strings"
    encoded = event.get("is_base64_encoded")
    if not (encoded is None or type(encoded) is bool or (type(encoded) is str and encoded.lower() in _BOOLEAN_TEXT)):
        return "'is_base64_encoded' is not a boolean"
    return None


def check_v2_event(event: Any) -> str | None:
    """Return what makes a version 2 ``event`` malformed, or None when routing can rely on it."""
    problem = _check_common(event)
    if problem is not None:
        return problem
    if event.get("version") != "2.0":
        return "'version' is not \"2.0\""
    path = event.get("path")
    if type(path) is not str or path[:1] != "/":
        return "'path' is missing or not an absolute path"
    if _lists(event.get("headers")) is None:
        return "'headers' is not a map of strings or string lists"
    if _lists(event.get("queryStringParameters")) is None:
        return "'queryStringParameters' is not a map of strings or string lists"
    encoded = event.get("isBase64Encoded")
    if encoded is not None and type(encoded) is not bool:
        return "'isBase64Encoded' is not a boolean"
    context = event.get("requestContext")
    if context is not None and type(context) is not dict:
        return "'requestContext' is not an object"
    return None


def _parse(event: Any, version: int) -> BaseRequest:
    data = event if type(event) is dict else {}
    if version == 2:
        request: BaseRequest = VPCLatticeEventV2(data)
        problem = check_v2_event(event)
    else:
        request = VPCLatticeEvent(data)
        problem = check_v1_event(event)
    return request if problem is None else request.reject(f"Malformed event: {problem}")


@hookimpl
def parse_event(app: Any, event: dict[str, Any]) -> BaseRequest | None:
    """Wrap VPC Lattice events of the version the app wants, or of either version when it is unpinned."""
    if app.source == "lattice":
        proxy_type = app._proxy_type
        if proxy_type is ProxyEventType.VPCLatticeEventV2:
            return _parse(event, 2)
        if proxy_type is ProxyEventType.VPCLatticeEvent:
            return _parse(event, 1)
        # App(source="lattice"): either version, told apart by shape; anything else is malformed v2.
        return _parse(event, 1 if is_v1_event(event) else 2)
    if is_v2_event(event):
        return _parse(event, 2)
    if is_v1_event(event):
        return _parse(event, 1)
    return None


@hookimpl(trylast=True)
def build_response(request: BaseRequest, response: Response[Any]) -> dict[str, Any] | None:
    """The response VPC Lattice expects from a Lambda target, for both payload versions.

    The shape is the one Powertools sends, without its ``cookies`` list (VPC
    Lattice reads no such field): the last cookie goes in ``Set-Cookie``.
    """
    # Exact types first: isinstance() on a Mapping subclass goes through ABCMeta.
    kind = type(request)
    if kind is not VPCLatticeEventV2 and kind is not VPCLatticeEvent and not isinstance(request, _VPCLatticeEventBase):
        return None
    body, is_base64 = encoded_body(response)
    return {
        "statusCode": response.status_code,
        "body": body,
        "isBase64Encoded": is_base64,
        "headers": single_value_headers(response),
    }
