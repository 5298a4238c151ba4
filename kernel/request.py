"""The request object users see as ``app.current_event``.

Every event source wraps its raw event in a subclass of :class:`BaseRequest`.
Nothing is parsed up front: each accessor reads the event on first use and
caches what it computed on the instance, so a route that only looks at the
path pays for nothing else.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterator, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from kernel.exceptions import InvalidBodyError, InvalidJSONBodyError

RequestT = TypeVar("RequestT", bound="BaseRequest")


V = TypeVar("V")


class CaseInsensitiveDict(dict[str, V]):
    """A dict of header names whose keys are stored in lower case and looked up in any case.

    ``headers["Content-Type"]``, ``headers.get("content-type")`` and
    ``"CONTENT-TYPE" in headers`` all find the same header, as HTTP names
    compare without case (and as Powertools' request classes give them).
    """

    def __init__(self, data: Mapping[str, V] | None = None) -> None:
        # One comprehension handed to dict: a request's headers are built on every request that reads them.
        super().__init__({key.lower(): value for key, value in data.items()} if data else ())

    def __getitem__(self, key: str) -> V:
        return super().__getitem__(key.lower())

    def __setitem__(self, key: str, value: V) -> None:
        super().__setitem__(key.lower(), value)

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key.lower() if isinstance(key, str) else key)

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)

    def pop(self, key: str, *default: Any) -> Any:
        return super().pop(key.lower(), *default)

    def setdefault(self, key: str, default: Any = None) -> Any:
        return super().setdefault(key.lower(), default)

    def copy(self) -> CaseInsensitiveDict[V]:
        return CaseInsensitiveDict(self)

    @classmethod
    def of_lower_case(cls, data: Mapping[str, V]) -> CaseInsensitiveDict[V]:
        """A map of ``data``, whose names are lower case already (not lowercased a second time)."""
        headers = cls.__new__(cls)
        dict.update(headers, data)
        return headers


class field:
    """A read-only accessor of one value of an event, declared on a request or an :class:`EventPart`.

    ``request_id = field("requestId")`` reads ``"requestId"`` from the event
    (or from the part); several keys walk into nested objects
    (``field("validity", "notAfter")``). A missing key, or a path through
    something that is not an object, gives ``default`` (a fresh ``{}`` or
    ``[]`` each time when the default is one). ``wrap`` is applied to the
    value found, for nested parts: ``identity = field("identity", wrap=Identity)``.
    """

    def __init__(self, *keys: str, default: Any = None, wrap: Callable[[Any], Any] | None = None, doc: str | None = None) -> None:
        if not keys:
            raise TypeError("field() needs the key of the value to read")
        self.keys = keys
        self.default = default
        self.wrap = wrap
        self.name = keys[-1]
        self.__doc__ = doc or f"The event's ``{'.'.join(keys)}``."

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value: Any = instance._data
        for key in self.keys:
            value = value.get(key) if type(value) is dict else None
        if value is None:
            default = self.default
            value = type(default)() if type(default) in (dict, list) else default
        return value if self.wrap is None else self.wrap(value)


class EventView(Mapping[str, Any]):
    """A read-only mapping over one object of an event, kept as :attr:`raw_event`."""

    _data: dict[str, Any]

    @property
    def raw_event(self) -> dict[str, Any]:
        """The object as it appears in the event."""
        return self._data

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


class BaseRequest(EventView):
    """Accessors every event source offers; a source's subclass adds its own.

    The request is also a read-only mapping over the raw event, so
    ``current_event["path"]`` and ``current_event.get("body")`` work.

    Subclasses implement :attr:`http_method` and :attr:`path`, and
    :attr:`headers`, :attr:`query_string_parameters`,
    :attr:`resolved_query_string_parameters`, :attr:`body` and
    :attr:`is_base64_encoded` when their event does not name them as the
    Lambda proxy payloads do.
    """

    #: Why the event was rejected as malformed, or None (see :meth:`reject`).
    problem: str | None = None

    #: The body a response gets when its route gave none (``None``): ``None``
    #: is serialised as JSON ``null`` under a JSON content type, as API
    #: Gateway sources answer; a source whose service refuses a null body
    #: (ALB) sets ``""``, sent as it is.
    no_body: str | None = None

    #: Parses the body for :attr:`json_body`; an instance given another one keeps it as its own.
    _json_deserializer: Callable[..., Any] = staticmethod(json.loads)

    def __init__(self, event: dict[str, Any], json_deserializer: Callable[..., Any] | None = None) -> None:
        self._data = event
        if json_deserializer is not None:
            self._json_deserializer = json_deserializer

    # -- the raw event (see EventView) ---------------------------------------

    def __eq__(self, other: object) -> bool:
        if isinstance(other, BaseRequest):
            return self._data == other._data
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def reject(self: RequestT, problem: str) -> RequestT:
        """Mark the event as malformed; the kernel answers 400 with ``problem``."""
        self.problem = problem
        return self

    # -- what each source provides --------------------------------------------

    @property
    def http_method(self) -> str:
        """The HTTP method, as sent (``GET``, ``POST``...)."""
        raise NotImplementedError

    @property
    def path(self) -> str:
        """The request path used for routing."""
        raise NotImplementedError

    @property
    def headers(self) -> dict[str, str]:
        """Request headers, one value each, names in any case: the event's ``headers`` unless a source says otherwise."""
        headers = self.__dict__.get("_headers")
        if headers is None:
            headers = self._headers = CaseInsensitiveDict(self._data.get("headers"))
        return headers

    @property
    def query_string_parameters(self) -> dict[str, str] | None:
        """Query string parameters, one value each (``{}`` when there are none).

        The event's ``queryStringParameters`` unless a source says otherwise.
        """
        return self._data.get("queryStringParameters") or {}

    @property
    def multi_value_query_string_parameters(self) -> dict[str, list[str]]:
        """The event's ``multiValueQueryStringParameters`` (``{}`` when it has none).

        Only the payload 1.0 sources (REST, ALB with multi-value headers) fill
        it; :attr:`resolved_query_string_parameters` has every value on every source.
        """
        return self._data.get("multiValueQueryStringParameters") or {}

    @property
    def resolved_query_string_parameters(self) -> dict[str, list[str]]:
        """Query string parameters with every value of each, from whichever field holds them."""
        return {name: [value] for name, value in (self.query_string_parameters or {}).items()}

    @property
    def resolved_headers_field(self) -> dict[str, Any]:
        """Headers from whichever field the source fills (single- or multi-value)."""
        return self.headers

    @property
    def resolved_cookies_field(self) -> dict[str, str]:
        """The request's cookies by name, read from its ``Cookie`` header (``{}`` without one)."""
        value: Any = self.get_header_value("cookie")
        if not value:
            fields = self.resolved_headers_field or {}
            value = fields.get("cookie") or fields.get("Cookie") or ""
        if isinstance(value, list):
            value = "; ".join(value)
        return parse_cookie_header(value)

    @property
    def body(self) -> str | None:
        """The body as sent, possibly base64-encoded: the event's ``body`` unless a source says otherwise."""
        return self._data.get("body")

    @property
    def is_base64_encoded(self) -> bool | None:
        """Whether :attr:`body` is base64-encoded: the event's ``isBase64Encoded`` unless a source says otherwise."""
        return self._data.get("isBase64Encoded")

    def base_path(self) -> str:
        """The part of the URL path in front of the routed path (a stage), or ``""``."""
        return ""

    def is_repeated_query_parameter(self, name: str) -> bool:
        """Whether the client sent the query parameter ``name`` more than once.

        Validation gives a scalar parameter sent several times every value
        (and so answers 422), but a value that only holds commas as one
        string. The default reads :attr:`resolved_query_string_parameters`,
        right for sources that keep each value apart; a source that joins
        repeats with commas says otherwise.
        """
        return len(self.resolved_query_string_parameters.get(name) or ()) > 1

    def is_repeated_header(self, name: str) -> bool:
        """Whether the header ``name`` (any case) came as several values the event keeps apart.

        False unless the source has a multi-value header map
        (``multiValueHeaders``); elsewhere a repeated header reaches the
        function joined with commas, one value.
        """
        return False

    # -- shared on top of those ---------------------------------------------

    @cached_property
    def decoded_body(self) -> str | None:
        """The body as text, base64-decoded when needed.

        Raises :class:`~kernel.exceptions.InvalidBodyError` (answered 400) when
        the body is not valid base64 or not UTF-8.
        """
        body = self.body
        if body is None or not self.is_base64_encoded:
            return body
        try:
            return base64.b64decode(body, validate=True).decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidBodyError("Request body is not valid UTF-8") from None
        except ValueError:
            # binascii.Error for bad base64 text; a plain ValueError when the
            # body holds a character that is not ASCII, which base64 never has.
            raise InvalidBodyError("Request body is not valid base64") from None

    @cached_property
    def json_body(self) -> Any:
        """The body parsed as JSON (None without a body, or with an empty one).

        Raises :class:`~kernel.exceptions.InvalidJSONBodyError`, answered 400,
        which is also a :class:`json.JSONDecodeError`, when the body is not
        JSON, is nested too deeply to parse, or holds an integer too long to
        read (more digits than ``sys.get_int_max_str_digits()``, 4300 by default).
        """
        body = self.decoded_body
        # ALB sends "" for no body: nothing to parse, as Powertools reads it.
        if not body:
            return None
        try:
            return self._json_deserializer(body)
        except json.JSONDecodeError as exc:
            raise InvalidJSONBodyError(exc) from None
        except RecursionError:
            raise InvalidJSONBodyError(message=InvalidJSONBodyError.TOO_DEEP, doc=body) from None
        except ValueError:
            # json.loads raises a plain ValueError for an integer longer than
            # Python converts; another deserializer's own errors are read as
            # the body not being JSON.
            message = InvalidJSONBodyError.TOO_LONG if self._json_deserializer is json.loads else InvalidJSONBodyError.INVALID
            raise InvalidJSONBodyError(message=message, doc=body) from None

    def get_header_value(self, name: str, default_value: str | None = None, case_sensitive: bool = False) -> str | None:
        """Return one header's value; names compare without case unless ``case_sensitive``."""
        headers = self.headers
        value = headers.get(name)
        if value is not None or case_sensitive or type(headers) is CaseInsensitiveDict:
            return default_value if value is None else value
        # Cached by hand: functools.cached_property takes a lock on first use,
        # and every request is a first use.
        lower = self.__dict__.get("_lower_headers")
        if lower is None:
            lower = self._lower_headers = {key.lower(): item for key, item in headers.items()}
        return lower.get(name.lower(), default_value)

    def header_text(self, name: str, default_value: str | None = None, case_sensitive: bool = False) -> str | None:
        """One header's value as text (any case), or ``default_value``: how plugins read a request header.

        :meth:`get_header_value` answers what the source's ``headers`` map
        holds, which is a list on a source that keeps each header's values
        apart there (VPC Lattice v2); such a source overrides this to join
        them. Here it is :meth:`get_header_value`, the source's own when it
        overrides that.
        """
        return self.get_header_value(name, default_value, case_sensitive)

    def get_query_string_value(self, name: str, default_value: str | None = None) -> str | None:
        """Return one query string parameter's value."""
        params = self.query_string_parameters
        return default_value if params is None else params.get(name, default_value)

    def get_multi_value_query_string_values(self, name: str, default_values: list[str] | None = None) -> list[str]:
        """Return every value of one query string parameter."""
        values = self.resolved_query_string_parameters.get(name)
        if values is None:
            return default_values or []
        return values


def parse_cookie_header(text: str) -> dict[str, str]:
    """``{name: value}`` from a ``Cookie`` header (``a=1; b=2``); pieces without ``=`` are left out."""
    jar: dict[str, str] = {}
    for piece in text.split(";"):
        name, equals, value = piece.strip().partition("=")
        if equals:
            jar[name.strip()] = value.strip()
    return jar


def string_map(value: Any) -> dict[str, str] | None:
    """``value`` if it is a dict of strings, ``{}`` for None, else None (malformed)."""
    # Plain loops: this runs on every request, and generators cost more than the checks.
    if value is None:
        return {}
    if type(value) is not dict:
        return None
    for key, item in value.items():
        if type(item) is not str or type(key) is not str:
            return None
    return value


def lower_string_map(value: Any) -> CaseInsensitiveDict[str] | None:
    """:func:`string_map` and :class:`CaseInsensitiveDict` in one pass: the names of a map of strings lowercased.

    ``{}`` for None, None for a malformed map (as :func:`string_map`).
    """
    if value is None:
        return CaseInsensitiveDict()
    if type(value) is not dict:
        return None
    # One comprehension lowercases the names and leaves out what is not text;
    # a count that differs means a malformed entry or names differing only in
    # case, told apart by string_map (rare: browsers send each header once).
    lowered = {key.lower(): item for key, item in value.items() if type(item) is str and type(key) is str}
    if len(lowered) != len(value) and string_map(value) is None:
        return None
    return CaseInsensitiveDict.of_lower_case(lowered)


def list_map(value: Any) -> dict[str, list[str]] | None:
    """``value`` if it is a dict of lists of strings, ``{}`` for None, else None (malformed)."""
    if value is None:
        return {}
    if type(value) is not dict:
        return None
    for key, items in value.items():
        if type(items) is not list or type(key) is not str:
            return None
        for item in items:
            if type(item) is not str:
                return None
    return value


class ProxyRequest(BaseRequest):
    """What every Lambda proxy payload holds alike: a ``headers`` map of strings, checked when first read.

    The payload 1.0 of API Gateway REST APIs and ALB (:class:`ProxyV1Request`)
    and the payload 2.0 of HTTP APIs and Function URLs name it the same. Its
    entries are checked when it is first read rather than on every request,
    and a plugin reading one header (:meth:`header_text`) looks that header
    up alone.
    """

    @property
    def headers(self) -> dict[str, str]:
        """Request headers, one value each, names in any case; a malformed ``headers`` map is answered 400."""
        headers = self.__dict__.get("_headers")
        if headers is None:
            headers = self._headers = self.lower_strings("headers")
        return headers

    def strings(self, key: str) -> dict[str, str]:
        """The event's map ``key`` of strings (``{}`` when absent); a malformed one is answered 400.

        For the maps sources check when first read rather than on every request.
        """
        return checked(string_map, self._data.get(key), key)

    def lower_strings(self, key: str) -> CaseInsensitiveDict[str]:
        """:meth:`strings` as a :class:`CaseInsensitiveDict`, checked and lowercased in one pass (headers)."""
        return checked(lower_string_map, self._data.get(key), key)

    def string_lists(self, key: str) -> dict[str, list[str]]:
        """The event's map ``key`` of string lists (``{}`` when absent); a malformed one is answered 400."""
        return checked(list_map, self._data.get(key), key, "string lists")

    def header_text(self, name: str, default_value: str | None = None, case_sensitive: bool = False) -> str | None:
        """One header's value, as plugins read it on every request (``Origin``, ``Accept-Encoding``).

        The header is first looked up in the event's own ``headers`` map as
        ``name`` is spelled, then in lower case (how HTTP/2 clients send it,
        and how payload 2.0 events name every header), so one lookup does not
        lowercase and check the whole map. A value found that way is a
        string, as checked; anything else (not found, a value of the wrong
        type, no such map) goes through ``headers``, whose check answers a
        malformed map ``400``.
        """
        raw = self._data.get("headers")
        if type(raw) is dict and not case_sensitive:
            value = raw.get(name)
            if value is None:
                value = raw.get(name.lower())
            if type(value) is str:
                return value
        return self.get_header_value(name, default_value, case_sensitive)


class ProxyV1Request(ProxyRequest):
    """The fields every Lambda proxy payload 1.0 event (API Gateway REST, ALB) names alike.

    Sources of that payload subclass it and add their maps and context; the
    event has passed :func:`kernel.shapes.check_proxy_v1_event`, so these keys hold what
    their types say.
    """

    def is_repeated_header(self, name: str) -> bool:
        multi = self._data.get("multiValueHeaders")
        if type(multi) is not dict:
            return False
        lower = name.lower()
        return any(type(values) is list and len(values) > 1 for key, values in multi.items() if key.lower() == lower)

    @property
    def http_method(self) -> str:
        return self._data["httpMethod"]

    @property
    def path(self) -> str:
        return self._data["path"]


def checked(check: Callable[[Any], Any], value: Any, field: str, kind: str = "strings") -> Any:
    """Run ``check`` (:func:`string_map` or :func:`list_map`) on an event field.

    Sources check the entries of a map when it is first read rather than on
    every request; a malformed one raises
    :class:`~kernel.exceptions.BadRequestError`, answered 400.
    """
    result = check(value)
    if result is None:
        from kernel.exceptions import BadRequestError

        raise BadRequestError(f"Malformed event: {field!r} is not a map of {kind}")
    return result


def snake_case(key: str) -> str:
    """The Python name of an event key: ``sourceIp`` -> ``source_ip``, ``issuerDN`` -> ``issuer_dn``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", key).lower()


class EventPart(EventView):
    """A read-only view of one nested object of an event (a request context...).

    Sources subclass it and declare the values users read. The keys read as
    they are, under their snake_case name, are listed in the class statement;
    the others are :class:`field` descriptors or properties::

        class Identity(EventPart, fields="sourceIp userAgent accountId"):
            client_cert = field("clientCert", default={})

    gives ``identity.source_ip``, ``identity.user_agent``,
    ``identity.account_id`` (``None`` when the key is missing) and
    ``identity.client_cert``.
    """

    def __init_subclass__(cls, fields: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for key in fields.split():
            name = snake_case(key)
            if name not in cls.__dict__:  # an explicit declaration wins
                accessor = field(key)
                accessor.__set_name__(cls, name)
                setattr(cls, name, accessor)

    if TYPE_CHECKING:
        # Values declared through `fields=` are made when the class is: type checkers see them as Any.
        def __getattr__(self, name: str) -> Any: ...

    def __init__(self, data: dict[str, Any] | None) -> None:
        self._data = data if isinstance(data, dict) else {}
