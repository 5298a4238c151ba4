"""Kernel's public signatures are Powertools': names, order, kinds and defaults.

Powertools 3.37 is installed next to kernel: each test reads
``inspect.signature`` on both. A kernel-only parameter (``plugins=``,
``method_not_allowed=``...) is listed here by name, must be keyword-only and
come after every Powertools parameter, so a positional call valid on Powertools
means the same on kernel (docs/migrating.md lists them).
"""

from __future__ import annotations

import inspect
from typing import Annotated, Any

import pytest

pt = pytest.importorskip("aws_lambda_powertools.event_handler")
import aws_lambda_powertools.event_handler.api_gateway as pt_api  # noqa: E402

import kernel  # noqa: E402

ROUTE_METHODS = ["route", "get", "post", "put", "delete", "patch", "head"]
RESOLVERS = [
    "ApiGatewayResolver",
    "APIGatewayRestResolver",
    "APIGatewayHttpResolver",
    "LambdaFunctionUrlResolver",
    "VPCLatticeResolver",
    "VPCLatticeV2Resolver",
    "ALBResolver",
    "BedrockAgentResolver",
]
#: Kernel-only constructor parameters: keyword-only, after Powertools' own.
EXTRA_CONSTRUCTOR_PARAMETERS = {"plugins", "method_not_allowed", "source", "cors", "strip_prefixes"}


def _shape(func: Any) -> list[tuple[str, Any, Any]]:
    return [(p.name, p.kind, p.default) for p in inspect.signature(func).parameters.values()]


def _compare(kernel_func: Any, powertools_func: Any, extras: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    ours = _shape(kernel_func)
    theirs = _shape(powertools_func)
    assert ours[: len(theirs)] == theirs
    rest = ours[len(theirs) :]
    assert {name for name, _, _ in rest} <= extras
    assert all(kind is inspect.Parameter.KEYWORD_ONLY for _, kind, _ in rest)


@pytest.mark.parametrize("name", ROUTE_METHODS)
def test_route_decorators_of_an_app_take_powertools_parameters_in_order(name: str) -> None:
    _compare(getattr(kernel.APIGatewayRestResolver, name), getattr(pt.APIGatewayRestResolver, name))


@pytest.mark.parametrize("name", ROUTE_METHODS)
def test_route_decorators_of_a_router_take_powertools_parameters_in_order(name: str) -> None:
    _compare(getattr(kernel.Router, name), getattr(pt_api.Router, name))


@pytest.mark.parametrize("name", RESOLVERS)
def test_resolver_constructors_take_powertools_parameters_then_keyword_only_extras(name: str) -> None:
    theirs = getattr(pt, name, None) or getattr(pt_api, name)
    _compare(getattr(kernel, name).__init__, theirs.__init__, EXTRA_CONSTRUCTOR_PARAMETERS)


def _rest_event(path: str, query: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "resource": path,
        "path": path,
        "httpMethod": "GET",
        "headers": {"Origin": "https://example.com"},
        "multiValueHeaders": {"Origin": ["https://example.com"]},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: [v] for k, v in (query or {}).items()} or None,
        "pathParameters": None,
        "requestContext": {"httpMethod": "GET", "path": path, "resourcePath": path, "stage": "prod"},
        "body": None,
        "isBase64Encoded": False,
    }


def _http_event(path: str) -> dict[str, Any]:
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"origin": "https://example.com"},
        "requestContext": {
            "http": {"method": "GET", "path": path, "protocol": "HTTP/1.1", "sourceIp": "1.2.3.4", "userAgent": "t"},
            "stage": "$default",
            "requestId": "r",
        },
        "isBase64Encoded": False,
    }


@pytest.mark.parametrize("name", ["ApiGatewayResolver", "APIGatewayRestResolver", "APIGatewayHttpResolver"])
def test_positional_arguments_of_a_resolver_start_with_proxy_type_on_both_libraries(name: str) -> None:
    answers = []
    for module in (kernel, pt_api):
        cors = module.CORSConfig(allow_origin="https://example.com")
        app = getattr(module, name)(module.ProxyEventType.APIGatewayProxyEventV2, cors)

        @app.get("/items")
        def items() -> dict[str, str]:
            return {"a": "b"}

        answer = app.resolve(_http_event("/items"), None)
        answers.append((answer["statusCode"], answer["body"], answer["headers"].get("Access-Control-Allow-Origin")))
    assert answers[0] == answers[1] == (200, '{"a":"b"}', "https://example.com")


@pytest.mark.parametrize("proxy_type", [(), (None,)])
def test_an_api_gateway_resolver_without_proxy_type_serves_rest_events_on_both_libraries(proxy_type: tuple[None, ...]) -> None:
    answers = []
    for module in (kernel, pt_api):
        app = module.ApiGatewayResolver(*proxy_type)

        @app.get("/items")
        def items() -> dict[str, str]:
            return {"a": "b"}

        answer = app.resolve(_rest_event("/items"), None)
        answers.append((answer["statusCode"], answer["body"], "multiValueHeaders" in answer))
    assert answers[0] == answers[1] == (200, '{"a":"b"}', True)
    assert kernel.ApiGatewayResolver(None).source == "rest"


def test_alb_resolver_takes_powertools_own_settings_and_keeps_them() -> None:
    app = kernel.ALBResolver(None, None, None, None, False, None, None, True, True)
    assert (app.source, app.decode_query_parameters, app.enable_response_size_validation) == ("alb", True, True)
    default = kernel.ALBResolver()
    assert (default.decode_query_parameters, default.enable_response_size_validation) == (False, False)


def test_a_positional_cors_flag_means_cors_on_both_libraries() -> None:
    answers = []
    for module in (kernel, pt):
        app = module.APIGatewayRestResolver(cors=module.CORSConfig(allow_origin="https://example.com"))

        @app.get("/plain", False)
        def plain() -> dict[str, str]:
            return {"a": "b"}

        @app.get("/shared", True)
        def shared() -> dict[str, str]:
            return {"a": "b"}

        plain_headers = app.resolve(_rest_event("/plain"), None)["multiValueHeaders"]
        shared_headers = app.resolve(_rest_event("/shared"), None)["multiValueHeaders"]
        answers.append(("Access-Control-Allow-Origin" in plain_headers, shared_headers["Access-Control-Allow-Origin"]))
    assert answers[0] == answers[1] == (False, ["https://example.com"])


@pytest.mark.parametrize("app_validation", [False, True])
def test_route_enable_validation_overrides_the_app_setting(app_validation: bool) -> None:
    app = kernel.APIGatewayRestResolver(enable_validation=app_validation)

    @app.get("/on", enable_validation=True)
    def on(n: int) -> dict[str, int]:
        return {"n": n}

    @app.get("/off", enable_validation=False)
    def off(n: int = 0) -> dict[str, int]:
        return {"n": n}

    @app.get("/app")
    def follows_app(n: int = 0) -> dict[str, int]:
        return {"n": n}

    bad = {"n": "x"}
    refused = app.resolve(_rest_event("/on", bad), None)
    assert refused["statusCode"] == 422
    assert '"loc":["query","n"]' in refused["body"]
    assert app.resolve(_rest_event("/on", {"n": "3"}), None)["body"] == '{"n":3}'
    assert app.resolve(_rest_event("/off", bad), None)["body"] == '{"n":0}'
    follows = app.resolve(_rest_event("/app", bad), None)
    assert follows["statusCode"] == (422 if app_validation else 200)


def test_route_enable_validation_in_an_app_that_lists_its_plugins_needs_validation() -> None:
    app = kernel.App(plugins=["rest"])
    with pytest.raises(kernel.PluginNotFoundError) as info:
        app.get("/items", enable_validation=True)(lambda: {})
    assert info.value.name == "validation"
    assert app.routes == []


PLUGIN_METHODS = ["get_openapi_schema", "get_openapi_json_schema", "configure_openapi", "enable_swagger"]
#: Defaults that differ on purpose (docs/migrating.md): the document's title names
#: no product, and Swagger's document keywords default to None ("what
#: configure_openapi recorded, else the openapi plugin's default").
DIFFERENT_DEFAULTS = {
    "get_openapi_schema": {"title"},
    "get_openapi_json_schema": {"title"},
    "configure_openapi": {"title"},
    "enable_swagger": {"title", "version", "openapi_version"},
}


@pytest.mark.parametrize("name", PLUGIN_METHODS)
def test_app_methods_of_plugins_show_powertools_parameters(name: str) -> None:
    def shape(func: Any) -> list[tuple[str, Any, Any]]:
        return [(n, k, "<differs>" if n in DIFFERENT_DEFAULTS[name] else d) for n, k, d in _shape(func)]

    assert shape(getattr(kernel.APIGatewayRestResolver, name)) == shape(getattr(pt.APIGatewayRestResolver, name))
    # Bound to an app, ``self`` is gone, as for any method.
    bound = inspect.signature(getattr(kernel.App(), name))
    assert "self" not in bound.parameters
    assert "title" in bound.parameters


def test_an_app_method_of_a_plugin_shows_its_plugin_s_parameters_without_import_kernel_importing_it() -> None:
    import subprocess
    import sys

    code = (
        "import inspect, sys, kernel\n"
        "loaded = [m for m in sys.modules if m.startswith(('kernel_openapi', 'kernel_swagger'))]\n"
        "assert not loaded, loaded\n"
        "print(list(inspect.signature(kernel.App.get_openapi_json_schema).parameters)[:3])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['self', 'title', 'version']"


def test_app_methods_of_plugins_are_called_as_before() -> None:
    app = kernel.APIGatewayRestResolver()
    app.configure_openapi("Orders", "2.0.0")

    @app.get("/orders")
    def orders() -> list[str]:
        return []

    assert app.get_openapi_schema().info.title == "Orders"
    assert '"version": "2.0.0"' in app.get_openapi_json_schema()


def _powertools_class(name: str) -> Any:
    from aws_lambda_powertools.event_handler import middlewares
    from aws_lambda_powertools.shared import cookies

    for module in (pt_api, middlewares, cookies):
        if hasattr(module, name):
            return getattr(module, name)
    raise LookupError(name)


@pytest.mark.parametrize("name", ["Response", "CORSConfig", "BedrockResponse", "Cookie", "BaseMiddlewareHandler"])
def test_public_classes_are_built_with_powertools_parameters(name: str) -> None:
    ours, theirs = getattr(kernel, name), _powertools_class(name)
    assert _shape(ours) == _shape(theirs)
    if name == "BaseMiddlewareHandler":
        assert _shape(ours.handler) == _shape(theirs.handler)
        assert _shape(ours.__call__) == _shape(theirs.__call__)


MARKERS = ["Path", "Query", "Header", "Body", "Form", "File"]
#: A value of the right type for the markers' keywords that take no number.
SAMPLES: dict[str, Any] = {
    "default_factory": list,
    "annotation": int,
    "media_type": "text/plain",
    "pattern": "^a",
    "discriminator": "kind",
    "examples": [1],
    "openapi_examples": {"one": {"value": 1}},
    "json_schema_extra": {"x-a": 1},
    "deprecated": True,
    "include_in_schema": False,
    "strict": True,
    "allow_inf_nan": False,
    "embed": True,
    "convert_underscores": False,
}


@pytest.mark.parametrize("name", MARKERS)
def test_markers_take_every_keyword_of_powertools_markers_as_field_settings(name: str) -> None:
    from aws_lambda_powertools.event_handler.openapi import params as pt_params

    ours = inspect.signature(getattr(kernel, name)).parameters
    for parameter in inspect.signature(getattr(pt_params, name)).parameters.values():
        if parameter.kind is inspect.Parameter.VAR_KEYWORD or parameter.name == "default":
            continue
        if parameter.name in ours:
            assert ours[parameter.name].kind is inspect.Parameter.KEYWORD_ONLY
            continue
        # Taken through ``**extra`` and handed to pydantic's Field, not written into the schema.
        marker = getattr(kernel, name)(**{parameter.name: SAMPLES.get(parameter.name, 1)})
        assert parameter.name not in (marker.json_schema_extra or {})


#: Kernel-only marker parameters: keyword-only, after Powertools' own and before ``**extra``.
EXTRA_MARKER_PARAMETERS = {"File": {"max_size"}}


@pytest.mark.parametrize("name", [*MARKERS, "Cookie"])
def test_marker_signatures_are_powertools(name: str) -> None:
    from aws_lambda_powertools.event_handler.openapi import params as pt_params
    from kernel_validation import params as kernel_params

    theirs = _shape(getattr(pt_params, name))
    ours = _shape(getattr(kernel_params, name))
    extras = EXTRA_MARKER_PARAMETERS.get(name, set())
    assert [shape for shape in ours if shape[0] not in extras] == theirs
    # The extras stand between Powertools' keywords and its **extra, keyword-only.
    where = [index for index, shape in enumerate(ours) if shape[0] in extras]
    assert where == list(range(len(theirs) - 1, len(theirs) - 1 + len(extras)))
    assert all(ours[index][1] is inspect.Parameter.KEYWORD_ONLY for index in where)


def test_the_explicit_pydantic_keywords_reach_the_field() -> None:
    from kernel_validation import params as kernel_params

    query = kernel_params.Query(
        validation_alias="page-size", serialization_alias="pageSize", alias_priority=2, multiple_of=5, strict=True
    )
    assert (query.alias, query.validation_alias, query.serialization_alias, query.alias_priority) == (
        "page-size",
        "page-size",
        "pageSize",
        2,
    )
    assert query.json_schema_extra is None
    assert {type(item).__name__ for item in query.metadata} >= {"MultipleOf", "Strict"}
    # Left out, the pydantic-only keywords keep pydantic's own defaults.
    plain = kernel_params.Query()
    assert (plain.alias_priority, plain.validation_alias, plain.default_factory) == (None, None, None)
    assert kernel_params.Path().is_required()
    assert kernel_params.Query(...).is_required()
    assert kernel_params.Form(openapi_examples={"one": {"value": 1}}).openapi_examples == {"one": {"value": 1}}
    assert kernel_params.File(max_size=10, media_type="multipart/mixed").max_size == 10


def test_a_marker_given_annotation_validates_as_on_powertools() -> None:
    app = kernel.APIGatewayRestResolver(enable_validation=True)

    @app.get("/items")
    def items(limit: Annotated[int, kernel.Query(annotation=int, gt=0)] = 5) -> dict[str, int]:
        return {"limit": limit}

    assert app.resolve(_rest_event("/items", {"limit": "3"}), None)["body"] == '{"limit":3}'
    assert app.resolve(_rest_event("/items", {"limit": "0"}), None)["statusCode"] == 422
    assert "annotation" not in app.get_openapi_json_schema()
