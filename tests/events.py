"""Realistic Lambda events for the tests, built by each source plugin's own builder.

Every source plugin declares how its service turns an HTTP request into an
event (``source.build_event``, see :class:`kernel.source.Source`); these
functions only give the tests short names and the defaults they were
written against (a REST API on its ``prod`` stage, a test's body sent as
text). The same builders serve :class:`kernel.testing.Client`, ``kernel
serve`` and the benchmarks.
"""

from __future__ import annotations

from typing import Any

import kernel_alb
import kernel_bedrock
import kernel_function_url
import kernel_http
import kernel_lattice
import kernel_rest


def _positional(args: tuple[Any, ...]) -> dict[str, Any]:
    # The parts tests may give positionally, after the method and path.
    return dict(zip(("headers", "query", "body", "is_base64", "cookies"), args, strict=False))


def rest_event(
    method: str = "GET",
    path: str = "/",
    *args: Any,
    stage: str = "prod",
    resource: str | None = None,
    path_parameters: dict[str, str] | None = None,
    **parts: Any,
) -> dict[str, Any]:
    """An API Gateway REST API proxy event (payload format 1.0); the resource is the path by default."""
    parts.update(_positional(args))
    resource = resource or path
    return kernel_rest.source.event(method, path, stage=stage, resource=resource, path_parameters=path_parameters, **parts)


def http_event(method: str = "GET", path: str = "/", *args: Any, **parts: Any) -> dict[str, Any]:
    """An API Gateway HTTP API event (payload format 2.0); options: stage, path_parameters, raw_path, route_key."""
    parts.update(_positional(args))
    return kernel_http.source.event(method, path, **parts)


def function_url_event(method: str = "GET", path: str = "/", *args: Any, **parts: Any) -> dict[str, Any]:
    """A Lambda Function URL event (payload format 2.0, no stage, no route key); option: url_id."""
    parts.update(_positional(args))
    return kernel_function_url.source.event(method, path, **parts)


def alb_event(method: str = "GET", path: str = "/", *args: Any, encode_query: bool = True, **parts: Any) -> dict[str, Any]:
    """An Application Load Balancer event; option: multi_value.

    ALB passes query strings on as the client wrote them: ``query`` holds the
    values a route should see, percent-encoded as a client would, unless
    ``encode_query`` is False (then they are sent as given).
    """
    parts.update(_positional(args))
    query = parts.get("query")
    if not encode_query and query:
        parts["query"] = "&".join(
            f"{name}={value}" for name, values in query.items() for value in (values if isinstance(values, list) else [values])
        )
    return kernel_alb.source.event(method, path, **parts)


def lattice_event(method: str = "GET", path: str = "/", *args: Any, **parts: Any) -> dict[str, Any]:
    """A VPC Lattice event, payload version 1; option: base64_flag_as_text."""
    parts.update(_positional(args))
    return kernel_lattice.source.event(method, path, **parts)


def lattice_v2_event(method: str = "GET", path: str = "/", *args: Any, **parts: Any) -> dict[str, Any]:
    """A VPC Lattice event, payload version 2."""
    parts.update(_positional(args))
    return kernel_lattice.source_v2.event(method, path, **parts)


def bedrock_event(method: str = "GET", path: str = "/", *args: Any, **parts: Any) -> dict[str, Any]:
    """A Bedrock Agent action-group event; options: parameters, session_attributes, prompt_session_attributes, input_text."""
    parts.update(_positional(args))
    return kernel_bedrock.source.event(method, path, **parts)
