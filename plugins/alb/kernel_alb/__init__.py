"""The Application Load Balancer event source (Lambda targets of a target group).

Installed with ``pip install --no-index --find-links dist "kernel[alb]"`` from the
wheelhouse ``scripts/wheelhouse`` builds; the entry point ``alb`` makes it
the source of ``ALBResolver`` and lets an unpinned ``App()`` recognise ALB
events (their ``requestContext`` names the load balancer: ``elb``).

A target group sends events in one of two modes, and expects the answer in
the same mode:

- single-value (the default): ``headers`` and ``queryStringParameters`` hold
  one string per name (the last one, when a client repeats a name); the
  response carries ``headers``, one string each.
- multi-value (the target group attribute ``lambda.multi_value_headers.enabled``):
  ``multiValueHeaders`` and ``multiValueQueryStringParameters`` hold lists;
  the response carries ``multiValueHeaders``.

Unlike API Gateway, ALB passes query strings on exactly as the client wrote
them, percent-encoded, and :class:`ALBEvent` hands them over that way, as
Powertools does. ``ALBResolver(decode_query_parameters=True)`` decodes the
names and values validation reads (:class:`QueryDecoding`); its other setting,
``enable_response_size_validation``, is :mod:`kernel_alb.response_size`.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any
from urllib.parse import unquote

from kernel import plugin_api  # qualified below: the payload 1.0 helpers shared with the REST source
from kernel.plugin_api import EventPart, ProxyV1Request, Response, Source, field, hookimpl

__all__ = ["ALBEvent", "ALBEventRequestContext", "ALBSource", "alb_response", "is_alb_event", "source"]

_SINGLE_MODE_ADVICE = "Turn on multi-value headers on the ALB target group to send every cookie."


class ALBEventRequestContext(EventPart):
    """``requestContext``: the target group that forwarded the request."""

    elb_target_group_arn = field("elb", "targetGroupArn", doc="The ARN of the target group the Lambda function is registered in.")


class ALBEvent(ProxyV1Request):
    """A request forwarded by an Application Load Balancer, as ``app.current_event``.

    The accessors give the same answers in both modes of the target group:
    :attr:`headers` and :attr:`query_string_parameters` hold one value per
    name (the last, as ALB itself keeps in single-value mode), while
    :attr:`multi_value_headers`, :attr:`multi_value_query_string_parameters`
    and :attr:`resolved_query_string_parameters` hold every value the event
    carries. Query string names and values are as ALB sent them (percent-encoded).
    """

    # ALB answers 502 to a null body: a route's None is sent as "" (JSON content type or not).
    no_body = ""

    #: Whether :attr:`resolved_query_string_parameters` (what validation reads)
    #: percent-decodes names and values: ``ALBResolver(decode_query_parameters=True)``
    #: sets it on each request of its app.
    decode_query_parameters = False

    @property
    def is_multi_value(self) -> bool:
        """Whether the target group sends multi-value headers (and so expects them back)."""
        return self._data.get("multiValueHeaders") is not None

    # The maps' entries are checked here, on first use, rather than on every request.

    @cached_property
    def headers(self) -> dict[str, str]:
        """Request headers, one value each (ALB sends the names in lower case)."""
        if self.is_multi_value:
            return plugin_api.CaseInsensitiveDict({name: values[-1] for name, values in self._multi_headers.items() if values})
        return plugin_api.CaseInsensitiveDict(self.strings("headers"))

    @cached_property
    def _multi_headers(self) -> dict[str, list[str]]:
        return plugin_api.CaseInsensitiveDict(self.string_lists("multiValueHeaders"))

    @cached_property
    def multi_value_headers(self) -> dict[str, list[str]]:
        """Request headers with every value; in single-value mode, one value in each list."""
        if self.is_multi_value:
            return self._multi_headers
        return plugin_api.CaseInsensitiveDict({name: [value] for name, value in self.headers.items()})

    @property
    def resolved_headers_field(self) -> dict[str, Any]:
        return self._multi_headers or self.headers

    @cached_property
    def multi_value_query_string_parameters(self) -> dict[str, list[str]]:
        """Every value of each query string parameter, as sent (``{}`` when there are none).

        In single-value mode each list holds the one value ALB sent.
        """
        if self._data.get("multiValueQueryStringParameters") is None:
            return {name: [value] for name, value in self.query_string_parameters.items()}
        return self.string_lists("multiValueQueryStringParameters")

    @cached_property
    def query_string_parameters(self) -> dict[str, str]:
        """Query string parameters as sent, one value each (the last); ``{}`` when there are none."""
        if self._data.get("multiValueQueryStringParameters") is not None:
            return {name: values[-1] for name, values in self.multi_value_query_string_parameters.items() if values}
        return self.strings("queryStringParameters")

    @cached_property
    def resolved_query_string_parameters(self) -> dict[str, list[str]]:
        """The query string parameters validation reads: lists of values, decoded when the app asks.

        In single-value mode a value is split on its commas; in multi-value
        mode each value the event lists is one. With :attr:`decode_query_parameters`
        names and values are percent-decoded (``+`` stays a plus).
        """
        params: dict[str, list[str]] = {}
        single = self._data.get("queryStringParameters")
        if single:
            params = {name: value.split(",") for name, value in self.strings("queryStringParameters").items()}
        if self._data.get("multiValueQueryStringParameters"):
            params.update(self.string_lists("multiValueQueryStringParameters"))
        if not self.decode_query_parameters:
            return params
        return {unquote(name): [unquote(value) for value in values] for name, values in params.items()}

    def get_multi_value_query_string_values(self, name: str, default_values: list[str] | None = None) -> list[str]:
        """Every value of the query string parameter ``name``, as sent (``default_values`` or ``[]`` without it)."""
        values = self.multi_value_query_string_parameters.get(name)
        return (default_values or []) if values is None else values

    def is_repeated_query_parameter(self, name: str) -> bool:
        # Only multi-value mode keeps repeats apart; a single value's commas are not repeats.
        multi = self._data.get("multiValueQueryStringParameters")
        return bool(multi) and len(self.resolved_query_string_parameters.get(name) or ()) > 1

    @cached_property
    def request_context(self) -> ALBEventRequestContext:
        """``requestContext``: the target group that forwarded the request."""
        return ALBEventRequestContext(self._data.get("requestContext"))


def is_alb_event(event: Any) -> bool:
    """Whether ``event`` comes from an Application Load Balancer (its context names the ``elb``)."""
    if type(event) is not dict:
        return False
    context = event.get("requestContext")
    return type(context) is dict and "elb" in context


def alb_response(app: Any, request: ALBEvent, response: Response[Any]) -> dict[str, Any]:
    """The response a target group expects, in the mode the request came in.

    ``body`` is never null (ALB answers 502 to a null body). No
    ``statusDescription`` is sent: ALB does not require one, and Powertools
    sends none either, so the dict is the one an app migrating from it expects.
    """
    result = plugin_api.proxy_response(response, empty_body="")
    if request.is_multi_value:
        result["multiValueHeaders"] = plugin_api.multi_value_headers(response)
    else:
        result["headers"] = plugin_api.single_value_headers(response, _SINGLE_MODE_ADVICE)
    return result


class QueryDecoding:
    """A plugin marking each request of its app to have its query parameters decoded for validation.

    ``ALBResolver(decode_query_parameters=True)`` adds it to its app; an app
    without the setting does not have it, so it pays nothing.
    """

    def __repr__(self) -> str:
        return "<QueryDecoding>"

    @hookimpl(tryfirst=True)
    def before_handle(self, request: Any) -> None:
        """Mark the request before validation (another ``before_handle``) reads its parameters."""
        request.decode_query_parameters = True


class ALBSource(Source):
    """The ALB source, with the plugins that carry ``ALBResolver``'s own settings."""

    def query_decoding(self) -> object:
        """A new plugin percent-decoding the query parameters validation reads (see :class:`QueryDecoding`)."""
        return QueryDecoding()

    def response_size_limit(self) -> object:
        """A new plugin that raises ResponseSizeExceededError for a response dict over ALB's 1 MiB.

        ``ALBResolver(enable_response_size_validation=True)`` adds it to its
        app (see :mod:`kernel_alb.response_size`, imported only then).
        """
        from kernel_alb.response_size import ResponseSizeLimit

        return ResponseSizeLimit()


source = ALBSource(
    "alb",
    ALBEvent,
    recognise=is_alb_event,
    check=plugin_api.check_proxy_v1_event,
    render=alb_response,
    build_event="kernel_alb.events:alb_event",
    options={
        "multi_value": "emulate a target group with multi-value headers on (true/1; default false: one value per name)",
    },
)
