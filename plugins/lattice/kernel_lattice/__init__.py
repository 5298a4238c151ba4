"""The Amazon VPC Lattice event source, payload versions 1 and 2: two sources in one distribution.

Installed with ``pip install kernel[lattice]``. A Lattice target group sends
one payload version, chosen when it is created, so each version is a source
of its own: the entry point ``lattice`` (:data:`source`) serves version 1 and
pins ``VPCLatticeResolver``, ``lattice-v2`` (:data:`source_v2`) serves
version 2 and pins ``VPCLatticeV2Resolver``. An unpinned ``App()`` with both
installed tells them apart by shape:

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

from kernel.plugin_api import BaseRequest, EventPart, Response, Source, encoded_body, field, single_value_headers, string_map

__all__ = [
    "VPCLatticeEvent",
    "VPCLatticeEventV2",
    "VPCLatticeEventV2Identity",
    "VPCLatticeEventV2RequestContext",
    "check_v1_event",
    "check_v2_event",
    "is_v1_event",
    "is_v2_event",
    "lattice_response",
    "source",
    "source_v2",
]

_BOOLEAN_TEXT = {"true": True, "false": False}


class _VPCLatticeEventBase(BaseRequest):
    """What both payload versions share."""

    method = field("method", doc="The HTTP method, as sent.")

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

    raw_path = field("raw_path", doc="The path as sent, query string included.")

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

    source_vpc_arn = field("sourceVpcArn")
    get_type = field("type", doc="The kind of authentication (``AWS_IAM``...); named so as not to shadow ``type``.")
    principal = field("principal")
    principal_org_id = field("principalOrgID")
    session_name = field("sessionName")
    x509_subject_cn = field("X509SubjectCn")
    x509_issuer_ou = field("X509IssuerOu")
    x509_san_dns = field("x509SanDns")
    x509_san_uri = field("X509SanUri")
    x509_san_name_cn = field("X509SanNameCn")


class VPCLatticeEventV2RequestContext(EventPart):
    """``requestContext``: the service network, service and target group, the caller and the time."""

    service_network_arn = field("serviceNetworkArn")
    service_arn = field("serviceArn")
    target_group_arn = field("targetGroupArn")
    identity = field("identity", wrap=VPCLatticeEventV2Identity)
    region = field("region")
    time_epoch = field("timeEpoch", doc="When the request arrived, in microseconds since the epoch, as sent (a string).")


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

    version = field("version")

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


def lattice_response(app: Any, request: BaseRequest, response: Response[Any]) -> dict[str, Any]:
    """The response VPC Lattice expects from a Lambda target, for both payload versions.

    The shape is the one Powertools sends, without its ``cookies`` list (VPC
    Lattice reads no such field): the last cookie goes in ``Set-Cookie``.
    """
    body, is_base64 = encoded_body(response)
    return {
        "statusCode": response.status_code,
        "body": body,
        "isBase64Encoded": is_base64,
        "headers": single_value_headers(response),
    }


#: Payload version 1, the source of ``VPCLatticeResolver``.
source = Source(
    "lattice",
    VPCLatticeEvent,
    recognise=is_v1_event,
    check=check_v1_event,
    render=lattice_response,
    build_event="kernel_lattice.events:lattice_event",
    options={
        "base64_flag_as_text": 'send is_base64_encoded as the text "true"/"false", as the service sometimes does (default false)',
    },
)

#: Payload version 2, the source of ``VPCLatticeV2Resolver``.
source_v2 = Source(
    "lattice-v2",
    VPCLatticeEventV2,
    recognise=is_v2_event,
    check=check_v2_event,
    render=lattice_response,
    build_event="kernel_lattice.events:lattice_v2_event",
)
