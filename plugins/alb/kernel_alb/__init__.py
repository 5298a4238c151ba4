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
them, percent-encoded. :class:`ALBEvent` decodes names and values (``+`` is a
space, as in HTML forms), so a route reads the same values behind ALB as behind
API Gateway; the raw values stay in ``raw_event``.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any
from urllib.parse import unquote_plus

from kernel import plugin_api  # qualified below: the payload 1.0 helpers shared with the REST source
from kernel.plugin_api import EventPart, ProxyV1Request, Response, Source, field

__all__ = ["ALBEvent", "ALBEventRequestContext", "ALBSource", "alb_response", "is_alb_event", "source"]

_SINGLE_MODE_ADVICE = "Turn on multi-value headers on the ALB target group to send every cookie."


class ALBEventRequestContext(EventPart):
    """``requestContext``: the target group that forwarded the request."""

    elb_target_group_arn = field("elb", "targetGroupArn", doc="The ARN of the target group the Lambda function is registered in.")


def _decoded(params: dict[str, str]) -> dict[str, str]:
    # Only pay for decoding when something is encoded.
    return {
        (unquote_plus(name) if "%" in name or "+" in name else name): (
            unquote_plus(value) if "%" in value or "+" in value else value
        )
        for name, value in params.items()
    }


class ALBEvent(ProxyV1Request):
    """A request forwarded by an Application Load Balancer, as ``app.current_event``.

    The accessors give the same answers in both modes of the target group:
    :attr:`headers` and :attr:`query_string_parameters` hold one value per
    name (the last, as ALB itself keeps in single-value mode), while
    :attr:`multi_value_headers`, :attr:`multi_value_query_string_parameters`
    and :attr:`resolved_query_string_parameters` hold every value the event
    carries. Query string names and values are URL-decoded.
    """

    # ALB answers 502 to a null body: a route's None is sent as "" (JSON content type or not).
    no_body = ""

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
        """Every value of each query string parameter, decoded (``{}`` when there are none).

        In single-value mode each list holds the one value ALB sent.
        """
        multi = self._data.get("multiValueQueryStringParameters")
        if multi is None:
            single = self.query_string_parameters
            return {name: [value] for name, value in single.items()}
        multi = self.string_lists("multiValueQueryStringParameters")
        decoded: dict[str, list[str]] = {}
        for name, values in multi.items():
            if values:
                decoded.setdefault(unquote_plus(name), []).extend(unquote_plus(value) for value in values)
        return decoded

    @cached_property
    def query_string_parameters(self) -> dict[str, str]:
        """Query string parameters, decoded, one value each (the last); ``{}`` when there are none."""
        multi = self._data.get("multiValueQueryStringParameters")
        if multi is not None:
            lists = self.multi_value_query_string_parameters
            return {name: values[-1] for name, values in lists.items()}
        return _decoded(self.strings("queryStringParameters"))

    @property
    def resolved_query_string_parameters(self) -> dict[str, list[str]]:
        return self.multi_value_query_string_parameters

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


class ALBSource(Source):
    """The ALB source, which can also measure responses against ALB's size limit."""

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
