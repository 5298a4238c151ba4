"""The Amazon VPC Lattice event source, payload versions 1 and 2: two sources in one distribution.

Installed with ``pip install --no-index --find-links dist "kernel[lattice]"`` from the
wheelhouse ``scripts/wheelhouse`` builds. A Lattice target group sends
one payload version, chosen when it is created, so each version is a source
of its own: the entry point ``lattice`` (:data:`source`) serves version 1 and
pins ``VPCLatticeResolver``, ``lattice-v2`` (:data:`source_v2`) serves
version 2 and pins ``VPCLatticeV2Resolver``. An unpinned ``App()`` with both
installed tells them apart by shape:

- version 1 has snake_case fields, ``method`` and ``raw_path`` (the path with
  the query string);
- version 2 has ``method`` and ``path`` (and ``"version": "2.0"``, which
  some events leave out: the shape decides). HTTP API events carry their
  method in ``requestContext.http``, REST and ALB ones in ``httpMethod``.

Both answer with one string per header (several values joined with ``", "``)
and, since a single ``Set-Cookie`` header fits, the last cookie only.
"""

from __future__ import annotations

from typing import Any

from kernel.plugin_api import Kind, Response, Source, event_check, kinds, optional, proxy_response, required, single_value_headers
from kernel_lattice.request import (
    _BOOLEAN_TEXT,
    VPCLatticeEvent,
    VPCLatticeEventV2,
    VPCLatticeEventV2Identity,
    VPCLatticeEventV2RequestContext,
    well_formed_lists,
)

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


def is_v1_event(event: Any) -> bool:
    """Whether ``event`` has the shape of a VPC Lattice payload version 1 event."""
    return type(event) is dict and "raw_path" in event and "method" in event


def is_v2_event(event: Any) -> bool:
    """Whether ``event`` has the shape of a VPC Lattice payload version 2 event, with or without its ``version``."""
    return type(event) is dict and "method" in event and "path" in event and "raw_path" not in event


#: A version 1 ``is_base64_encoded``: a boolean, or its text (the service sends either).
BASE64_FLAG = Kind("a boolean", lambda value: type(value) is bool or (type(value) is str and value.lower() in _BOOLEAN_TEXT))
#: Version 2 maps: each entry a string or a list of strings.
LISTS = Kind("a map of strings or string lists", well_formed_lists)


#: What makes a version 1 event malformed (None when routing can rely on it).
check_v1_event = event_check(
    required(kinds.NAME, "method"),
    optional(kinds.STRING, "body"),
    required(kinds.ABSOLUTE_PATH, "raw_path"),
    # The headers' entries are checked when first read (VPCLatticeEvent.headers):
    # a plugin reading one header (CORS's Origin) does not check them all on every request.
    optional(kinds.MAP("strings"), "headers"),
    optional(kinds.STRINGS, "query_string_parameters"),
    optional(BASE64_FLAG, "is_base64_encoded"),
)

#: What makes a version 2 event malformed (None when routing can rely on it).
check_v2_event = event_check(
    required(kinds.NAME, "method"),
    optional(kinds.STRING, "body"),
    required(kinds.ABSOLUTE_PATH, "path"),
    optional(LISTS, "headers", "queryStringParameters"),
    optional(kinds.BOOLEAN, "isBase64Encoded"),
    optional(kinds.OBJECT, "requestContext"),
)


def lattice_response(app: Any, request: Any, response: Response[Any]) -> dict[str, Any]:
    """The response VPC Lattice expects from a Lambda target, for both payload versions.

    The shape is the one Powertools sends, without its ``cookies`` list (VPC
    Lattice reads no such field): the last cookie goes in ``Set-Cookie``.
    """
    return proxy_response(response, headers=single_value_headers(response))


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
