"""Everything a plugin may import from the kernel.

A plugin (an event source, a feature) imports from here and from nowhere else
in ``kernel`` except the names users import from ``kernel`` itself; the
layering is checked in CI. What is here:

- the hooks: :data:`hookimpl` (and :data:`hookspec` for plugins that add
  hooks of their own);
- declaring an event source: :class:`Source`, the request base classes
  (:class:`BaseRequest`, :class:`ProxyRequest`, :class:`ProxyV1Request`,
  :class:`EventPart`), the
  :class:`field` accessor, and the checks of event fields (:func:`string_map`,
  :func:`list_map`, :func:`checked`), and the declared checks of events
  (:func:`event_check` with :func:`required`/:func:`optional` rules and the
  :class:`kinds` of values, ``kinds.NAME``, ``kinds.ABSOLUTE_PATH``...;
  :func:`check_proxy_v1_event`);
- building events from HTTP requests: :class:`HttpRequest`,
  :func:`encode_body`, :func:`query_pairs`, :func:`read_response`, and the
  readers of builder options given as text (:func:`flag_option`,
  :func:`object_option`);
- writing JSON as the kernel does: :func:`json_serializer` (dates,
  decimals, dataclasses... too; compact, or spaced as ``json.dumps`` writes);
- rendering responses: :class:`Response` and its helpers
  (:func:`proxy_response`, :func:`encoded_body`, :func:`multi_value_headers`,
  :func:`single_value_headers`, :func:`joined_headers`, :func:`header_key`,
  :func:`add_vary`, :func:`text_body`);
- dependency injection (:mod:`kernel.injection`): :func:`call_plan` (what
  the kernel injects into a function: its ``Request`` and ``Depends()``
  parameters, as a :class:`CallPlan`), :func:`is_injected`, and the
  request-context key :data:`DEPENDENCY_ARGUMENTS` under which a plugin
  leaves the validated arguments of dependencies;
- what hooks receive: :class:`BaseApp` (the app; :class:`ApiGatewayResolver`
  for the settings of the reference API, such as ``cors``), :class:`Route`;
- errors a plugin raises: the HTTP errors of :mod:`kernel.exceptions`;
- for plugins that add ``kernel`` subcommands: :func:`load_app`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kernel import content_types
from kernel.app import BaseApp
from kernel.compat import ApiGatewayResolver
from kernel.exceptions import (
    BadRequestError,
    PluginNotFoundError,
    ResponseSizeExceededError,
    SchemaValidationError,
    ServiceError,
    UnsupportedMediaTypeError,
)
from kernel.hookspecs import hookimpl, hookspec
from kernel.request import (
    BaseRequest,
    CaseInsensitiveDict,
    EventPart,
    ProxyRequest,
    ProxyV1Request,
    checked,
    field,
    list_map,
    parse_cookie_header,
    string_map,
)
from kernel.response import (
    Response,
    add_vary,
    encoded_body,
    header_key,
    joined_headers,
    multi_value_headers,
    proxy_response,
    single_value_headers,
    text_body,
)
from kernel.routing import DEFAULT_RESPONSE_DESCRIPTION, Route
from kernel.serialization import json_serializer
from kernel.shapes import (
    ABSOLUTE_PATH,
    BOOLEAN,
    MAP,
    NAME,
    OBJECT,
    STRING,
    STRING_LIST,
    STRING_LISTS,
    STRINGS,
    Kind,
    check_proxy_v1_event,
    event_check,
    kinds,
    optional,
    required,
)
from kernel.source import Source

if TYPE_CHECKING:
    from kernel.app_loading import load_app
    from kernel.events import (
        HttpRequest,
        encode_body,
        epoch_millis,
        flag_option,
        object_option,
        query_pairs,
        read_response,
        request_time,
    )
    from kernel.injection import DEPENDENCY_ARGUMENTS, CallPlan, Request, call_plan, is_injected

# Building events and loading apps serve the test client, ``kernel serve`` and
# the CLI, never a function answering Lambda events: their modules are imported
# when a plugin first asks for one of their names.
_LAZY = {
    "HttpRequest": "kernel.events",
    "encode_body": "kernel.events",
    "epoch_millis": "kernel.events",
    "flag_option": "kernel.events",
    "object_option": "kernel.events",
    "query_pairs": "kernel.events",
    "read_response": "kernel.events",
    "request_time": "kernel.events",
    "load_app": "kernel.app_loading",
    # Dependency injection: imported by an app whose routes ask for a Request or a
    # dependency, or by a plugin reading route signatures (validation).
    "DEPENDENCY_ARGUMENTS": "kernel.injection",
    "CallPlan": "kernel.injection",
    "Request": "kernel.injection",
    "call_plan": "kernel.injection",
    "is_injected": "kernel.injection",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "ABSOLUTE_PATH",
    "BOOLEAN",
    "DEFAULT_RESPONSE_DESCRIPTION",
    "DEPENDENCY_ARGUMENTS",
    "MAP",
    "NAME",
    "OBJECT",
    "STRING",
    "STRINGS",
    "STRING_LIST",
    "STRING_LISTS",
    "ApiGatewayResolver",
    "BadRequestError",
    "BaseApp",
    "BaseRequest",
    "CallPlan",
    "CaseInsensitiveDict",
    "EventPart",
    "HttpRequest",
    "Kind",
    "PluginNotFoundError",
    "ProxyRequest",
    "ProxyV1Request",
    "Request",
    "Response",
    "ResponseSizeExceededError",
    "Route",
    "SchemaValidationError",
    "ServiceError",
    "Source",
    "UnsupportedMediaTypeError",
    "add_vary",
    "call_plan",
    "check_proxy_v1_event",
    "checked",
    "content_types",
    "encode_body",
    "encoded_body",
    "epoch_millis",
    "event_check",
    "field",
    "flag_option",
    "header_key",
    "hookimpl",
    "hookspec",
    "is_injected",
    "joined_headers",
    "json_serializer",
    "kinds",
    "list_map",
    "load_app",
    "multi_value_headers",
    "object_option",
    "optional",
    "parse_cookie_header",
    "proxy_response",
    "query_pairs",
    "read_response",
    "request_time",
    "required",
    "single_value_headers",
    "string_map",
    "text_body",
]
