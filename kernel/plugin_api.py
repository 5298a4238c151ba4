"""Everything a plugin may import from the kernel.

A plugin (an event source, a feature) imports from here and from nowhere else
in ``kernel`` except the names users import from ``kernel`` itself; the
layering is checked in CI. What is here:

- the hooks: :data:`hookimpl` (and :data:`hookspec` for plugins that add
  hooks of their own);
- declaring an event source: :class:`Source`, the request base classes
  (:class:`BaseRequest`, :class:`ProxyV1Request`, :class:`EventPart`), the
  :class:`field` accessor, and the checks of event fields (:func:`string_map`,
  :func:`list_map`, :func:`checked`, :func:`check_proxy_v1_event`);
- building events from HTTP requests: :class:`HttpRequest`,
  :func:`encode_body`, :func:`query_pairs`, :func:`read_response`;
- rendering responses: :class:`Response` and its helpers
  (:func:`encoded_body`, :func:`multi_value_headers`,
  :func:`single_value_headers`, :func:`joined_headers`, :func:`header_key`,
  :func:`add_vary`);
- what hooks receive: :class:`BaseApp` (the app; :class:`ApiGatewayResolver`
  for the settings of the reference API, such as ``cors``), :class:`Route`;
- errors a plugin raises: the HTTP errors of :mod:`kernel.exceptions`;
- for plugins that add ``kernel`` subcommands: :func:`load_app`.
"""

from __future__ import annotations

from kernel import content_types
from kernel.app import BaseApp
from kernel.app_loading import load_app
from kernel.compat import ApiGatewayResolver
from kernel.events import HttpRequest, encode_body, epoch_millis, query_pairs, read_response, request_time
from kernel.exceptions import (
    BadRequestError,
    PluginNotFoundError,
    SchemaValidationError,
    ServiceError,
    UnsupportedMediaTypeError,
)
from kernel.hookspecs import hookimpl, hookspec
from kernel.request import (
    BaseRequest,
    EventPart,
    ProxyV1Request,
    check_proxy_v1_event,
    checked,
    field,
    list_map,
    string_map,
)
from kernel.response import (
    Response,
    add_vary,
    encoded_body,
    header_key,
    joined_headers,
    multi_value_headers,
    single_value_headers,
)
from kernel.routing import DEFAULT_RESPONSE_DESCRIPTION, Route
from kernel.source import Source

__all__ = [
    "DEFAULT_RESPONSE_DESCRIPTION",
    "ApiGatewayResolver",
    "BadRequestError",
    "BaseApp",
    "BaseRequest",
    "EventPart",
    "HttpRequest",
    "PluginNotFoundError",
    "ProxyV1Request",
    "Response",
    "Route",
    "SchemaValidationError",
    "ServiceError",
    "Source",
    "UnsupportedMediaTypeError",
    "add_vary",
    "check_proxy_v1_event",
    "checked",
    "content_types",
    "encode_body",
    "encoded_body",
    "epoch_millis",
    "field",
    "header_key",
    "hookimpl",
    "hookspec",
    "joined_headers",
    "list_map",
    "load_app",
    "multi_value_headers",
    "query_pairs",
    "read_response",
    "request_time",
    "single_value_headers",
    "string_map",
]
