"""The requests of VPC Lattice, payload versions 1 and 2, and the parts users read from them."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from kernel.plugin_api import BaseRequest, CaseInsensitiveDict, EventPart, ProxyRequest, field

_BOOLEAN_TEXT = {"true": True, "false": False}


class _VPCLatticeEventBase(BaseRequest):
    """What both payload versions share."""

    method = field("method", doc="The HTTP method, as sent.")

    @property
    def http_method(self) -> str:
        return self._data["method"]


class VPCLatticeEvent(_VPCLatticeEventBase, ProxyRequest):
    """A VPC Lattice request, payload version 1, as ``app.current_event``.

    :attr:`is_base64_encoded` is a boolean even when the service sends it as
    the text ``"true"`` or ``"false"``. The ``headers`` map's entries are
    checked when it is first read (a malformed one is answered 400 then); a
    plugin reading one header (:meth:`header_text`) looks it up alone.
    """

    raw_path = field("raw_path", doc="The path as sent, query string included.")

    @cached_property
    def path(self) -> str:
        """:attr:`raw_path` without the query string."""
        return self.raw_path.partition("?")[0]

    # headers: the event's, as ProxyRequest reads them; a repeated header arrives as one comma-separated value.

    @property
    def query_string_parameters(self) -> dict[str, str] | None:
        """The event's ``query_string_parameters``, as sent (None when the event has none)."""
        return self._data.get("query_string_parameters")

    @property
    def resolved_headers_field(self) -> dict[str, Any]:
        """The headers, a value holding commas split into a list (the service joins repeats with commas)."""
        return CaseInsensitiveDict({name: value.split(",") if "," in value else value for name, value in self.headers.items()})

    @property
    def is_base64_encoded(self) -> bool | None:
        value = self._data.get("is_base64_encoded")
        if type(value) is str:
            return _BOOLEAN_TEXT[value.lower()]
        return value


class VPCLatticeEventV2Identity(
    EventPart,
    fields="sourceVpcArn principal principalOrgID sessionName X509SubjectCn X509IssuerOu x509SanDns X509SanUri X509SanNameCn",
):
    """``requestContext.identity``: who called, as VPC Lattice authenticated them."""

    get_type = field("type", doc="The kind of authentication (``AWS_IAM``...); named so as not to shadow ``type``.")


class VPCLatticeEventV2RequestContext(EventPart, fields="serviceNetworkArn serviceArn targetGroupArn region"):
    """``requestContext``: the service network, service and target group, the caller and the time."""

    identity = field("identity", wrap=VPCLatticeEventV2Identity)
    time_epoch = field("timeEpoch", doc="When the request arrived, in microseconds since the epoch, as sent (a string).")


def well_formed_lists(value: Any) -> bool:
    """Whether ``value`` is a v2 map: names to a string or a list of strings each (nothing is built to tell)."""
    if type(value) is not dict:
        return False
    for name, item in value.items():
        if type(name) is not str:
            return False
        if type(item) is not str:
            if type(item) is not list:
                return False
            for part in item:
                if type(part) is not str:
                    return False
    return True


def _lists(value: Any) -> dict[str, list[str]] | None:
    """A v2 map as lists of strings, ``{}`` for None, None when malformed.

    AWS documents lists of values; events with plain strings are seen too,
    so each value may be either.
    """
    if value is None:
        return {}
    if not well_formed_lists(value):
        return None
    return {name: [item] if type(item) is str else item for name, item in value.items()}


class VPCLatticeEventV2(_VPCLatticeEventBase):
    """A VPC Lattice request, payload version 2, as ``app.current_event``.

    The event carries every value of a header or query string parameter in a
    list. :attr:`headers` (and so :meth:`get_header_value`) gives the
    header values as the event has them, lists, as Powertools does;
    :meth:`header_text` joins them (with ``", "``, cookies with ``"; "``).
    :attr:`query_string_parameters` gives one string per name (values joined
    with ``","`` as API Gateway does); :attr:`multi_value_headers` and
    :attr:`resolved_query_string_parameters` keep the lists.
    """

    version = field("version")

    @cached_property
    def path(self) -> str:
        """The request path, without the query string the service may leave on it."""
        return self._data["path"].partition("?")[0]

    @cached_property
    def multi_value_headers(self) -> dict[str, list[str]]:
        """Request headers with every value, each in a list."""
        return CaseInsensitiveDict(_lists(self._data.get("headers")))

    @cached_property
    def headers(self) -> dict[str, Any]:
        """Request headers as the event has them: a list of values each (any case finds a name)."""
        # The event's own map (a plain string stays one), once multi_value_headers
        # found it well formed: a malformed map reads empty in both.
        return CaseInsensitiveDict(self._data.get("headers") if self.multi_value_headers else None)

    def header_text(self, name: str, default_value: str | None = None, case_sensitive: bool = False) -> str | None:
        """One header's values joined into one text (any case), or ``default_value``.

        The header is first looked up alone in the event's ``headers`` map, as
        ``name`` is spelled and then in lower case, as plugins read it on every
        request (``Origin``, ``Accept-Encoding``); a header not found that way
        is looked for in :attr:`multi_value_headers`.
        """
        # Cookie values are separated by semicolons; every other header by commas.
        separator = "; " if name.lower() == "cookie" else ", "
        raw = self._data.get("headers")
        if type(raw) is dict:
            values = raw.get(name)
            if values is None:
                values = raw.get(name.lower())
            if type(values) is str:
                return values
            if type(values) is list:
                for value in values:
                    if type(value) is not str:
                        break
                else:
                    return separator.join(values)
        values = self.multi_value_headers.get(name)
        if values is None:
            return default_value
        return separator.join(values)

    @property
    def resolved_headers_field(self) -> dict[str, Any]:
        return self.multi_value_headers

    @cached_property
    def resolved_query_string_parameters(self) -> dict[str, list[str]]:
        return _lists(self._data.get("queryStringParameters")) or {}

    @cached_property
    def query_string_parameters(self) -> dict[str, str]:
        lists = self.resolved_query_string_parameters
        return {name: ",".join(values) for name, values in lists.items()}

    @cached_property
    def request_context(self) -> VPCLatticeEventV2RequestContext:
        return VPCLatticeEventV2RequestContext(self._data.get("requestContext"))
