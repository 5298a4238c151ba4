"""Assembling the OpenAPI document of an app.

The routes' part of the document (paths and model schemas) depends only on
the routes, so it is built once per set of routes and kept; each call copies
it, adds what the keywords say (info, servers, security...) and lets plugins
add their part through the ``emit_schema`` hook. Every model, body, parameter
and return type of every route goes through one pydantic JSON-schema pass, so
models shared by several routes are described once, under
``#/components/schemas/``.

Parameters, bodies and return types come from the validation plugin's
analysis of each route (:func:`kernel_validation.analysis.route_plan`): the
document describes exactly what validation checks.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from kernel_validation.analysis import Parameter, RoutePlan, route_plan
from kernel_validation.params import ParamLocation
from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import GenerateJsonSchema

from kernel.plugin_api import DEFAULT_RESPONSE_DESCRIPTION, Route, SchemaValidationError

if TYPE_CHECKING:
    from kernel.plugin_api import BaseApp

REF_PREFIX = "#/components/schemas/"
_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}

# The answers of validation errors, as the validation plugin writes them:
# {"statusCode": 422, "detail": [{"loc": [...], "type": "..."}]}.
_DETAIL = {"items": {"$ref": REF_PREFIX + "ValidationError"}, "type": "array", "title": "Detail"}
VALIDATION_ERROR_SCHEMAS: dict[str, dict[str, Any]] = {
    "HTTPValidationError": {
        "properties": {"statusCode": {"type": "integer", "title": "Status Code"}, "detail": _DETAIL},
        "type": "object",
        "required": ["statusCode", "detail"],
        "title": "HTTPValidationError",
    },
    "ResponseValidationError": {
        "properties": {"statusCode": {"type": "integer", "title": "Status Code"}, "detail": _DETAIL},
        "type": "object",
        "required": ["statusCode", "detail"],
        "title": "ResponseValidationError",
    },
    "ValidationError": {
        "properties": {
            "loc": {"items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}, "type": "array", "title": "Location"},
            "type": {"type": "string", "title": "Error Type"},
        },
        "type": "object",
        "required": ["loc", "type"],
        "title": "ValidationError",
    },
}
#: The schema of the answers of responses that fail validation, when the app
#: or the route gives them a status of their own (such as 500).
RESPONSE_VALIDATION_ERROR_SCHEMA: dict[str, Any] = {
    "properties": {
        "statusCode": {"type": "integer", "title": "Status Code"},
        "detail": {"items": {"$ref": REF_PREFIX + "ValidationError"}, "type": "array", "title": "Detail"},
    },
    "type": "object",
    "required": ["statusCode", "detail"],
    "title": "ResponseValidationError",
}
RESPONSE_VALIDATION_ERROR_RESPONSE: dict[str, Any] = {
    "description": "Response Validation Error",
    "content": {"application/json": {"schema": {"$ref": REF_PREFIX + "ResponseValidationError"}}},
}
VALIDATION_ERROR_RESPONSE: dict[str, Any] = {
    "description": "Validation Error",
    "content": {"application/json": {"schema": {"$ref": REF_PREFIX + "HTTPValidationError"}}},
}


@dataclass
class RoutesPart:
    """The part of the document made from the routes alone."""

    #: The routes it was made from, to know when it is out of date.
    routes: tuple[Route, ...]
    #: Whether the app validated requests when it was made.
    validating: bool
    paths: dict[str, dict[str, Any]]
    schemas: dict[str, Any]
    #: Operation ids used by more than one route, with the functions using them again.
    duplicates: list[tuple[str, Route]]


_parts: WeakKeyDictionary[Any, RoutesPart] = WeakKeyDictionary()
_model_adapters: dict[Any, TypeAdapter[Any]] = {}


def routes_part(app: BaseApp) -> RoutesPart:
    """The paths and schemas of ``app``'s routes, rebuilt only when its routes (or its plugins) changed."""
    routes = tuple(route for route in app.routes if route.include_in_schema)
    validating = validates(app)
    part = _parts.get(app)
    if part is None or part.routes != routes or part.validating != validating:
        part = _parts[app] = _build_routes_part(routes, validating, getattr(app, "response_validation_error_http_code", None))
    return part


def validates(app: BaseApp) -> bool:
    """Whether ``app`` validates requests: its operations may then answer 422, whatever their parameters."""
    import kernel_validation

    return bool(app.plugin_manager.is_registered(kernel_validation))


def build_document(
    app: BaseApp,
    *,
    title: str,
    version: str,
    openapi_version: str,
    summary: str | None = None,
    description: str | None = None,
    tags: Sequence[Any] | None = None,
    servers: Sequence[Any] | None = None,
    terms_of_service: str | None = None,
    contact: Any = None,
    license_info: Any = None,
    security_schemes: dict[str, Any] | None = None,
    security: list[dict[str, list[str]]] | None = None,
    external_documentation: Any = None,
    openapi_extensions: dict[str, Any] | None = None,
    read_only: bool = False,
) -> dict[str, Any]:
    """The OpenAPI document of ``app`` as a JSON-ready dict, after the ``emit_schema`` hook.

    With ``read_only`` (the caller only reads the document, to write it as
    JSON) and no plugin implementing ``emit_schema``, the paths and schemas
    kept for the app's routes are put into it as they are, not copied.
    """
    schemes = {name: _dump(scheme) for name, scheme in (security_schemes or {}).items()}
    part = routes_part(app)
    for operation_id, route in part.duplicates:
        # Powertools' words, so filters written for them keep working.
        message = f"Duplicate Operation ID {operation_id} for function {getattr(route.func, '__name__', route.func)}"
        source = getattr(route.func, "__globals__", {}).get("__file__")
        warnings.warn(message + (f" in {source}" if source else ""), stacklevel=4)

    info: dict[str, Any] = {"title": title, "version": version}
    optional = {
        "summary": summary,
        "description": description,
        "termsOfService": terms_of_service,
        "contact": _dump(contact) if contact else None,
        "license": _dump(license_info) if license_info else None,
    }
    info.update({key: value for key, value in optional.items() if value})
    document: dict[str, Any] = {
        "openapi": _openapi_version(openapi_version),
        "info": info,
        # With no servers the specification means "/", which Swagger UI needs spelled out.
        "servers": [_dump(server) for server in servers] if servers else [{"url": "/"}],
    }
    if openapi_extensions:
        document.update(_extensions(openapi_extensions))
    if external_documentation:
        document["externalDocs"] = _dump(external_documentation)
    emit_schema = app.plugin_manager.hook.emit_schema
    # Anything the caller or a plugin may change is a copy: the routes' part is kept for the next document.
    copy = _copy if not read_only or emit_schema.get_hookimpls() else _same
    document["paths"] = copy(part.paths)
    components: dict[str, Any] = {}
    if part.schemas:
        components["schemas"] = copy(part.schemas)
    if schemes:
        components["securitySchemes"] = schemes
    if components:
        document["components"] = components
    if security:
        document["security"] = [dict(requirement) for requirement in security]
    if tags:
        document["tags"] = [{"name": tag} if isinstance(tag, str) else _dump(tag) for tag in tags]
    emit_schema(app=app, schema=document)
    # Checked last, so that schemes a plugin declares count.
    _check_document_security(document)
    return document


def _extensions(extensions: dict[str, Any]) -> dict[str, Any]:
    for key in extensions:
        if not str(key).startswith("x-"):
            raise SchemaValidationError(f"OpenAPI extension keys start with 'x-', not {key!r}")
    return {key: _dump(value) for key, value in extensions.items()}


def _openapi_version(version: str) -> str:
    if not version.startswith("3.1"):
        # pydantic v2 writes JSON Schema 2020-12, which only OpenAPI 3.1 speaks.
        warnings.warn(f"OpenAPI {version} cannot describe pydantic v2 schemas: writing OpenAPI 3.1.0", stacklevel=4)
        return "3.1.0"
    return version


def _check_document_security(document: dict[str, Any]) -> None:
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    _check_security(document.get("security") or [], schemes, "the app's security")
    for path, item in (document.get("paths") or {}).items():
        for method, operation in item.items():
            if isinstance(operation, dict) and operation.get("security"):
                _check_security(operation["security"], schemes, f"the route {method.upper()} {path}")


def _check_security(requirements: list[dict[str, list[str]]], schemes: dict[str, Any], where: str) -> None:
    for requirement in requirements:
        for name in requirement:
            if name not in schemes:
                declared = ", ".join(sorted(schemes)) or "none"
                raise SchemaValidationError(
                    f"The security scheme {name!r} used by {where} is not declared in security_schemes (declared: {declared})"
                )


def _dump(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    return value


# Keywords holding values rather than schemas: kept exactly as they are.
_VALUES = frozenset({"default", "const", "enum", "examples", "example"})


def _without_none(schema: Any) -> Any:
    """``schema`` without the keywords whose value is None (``"default": null`` of optional fields).

    Powertools writes its documents without them, and a missing ``default``
    tells clients the same as a null one: the value may be left out.
    """
    if isinstance(schema, dict):
        return {key: value if key in _VALUES else _without_none(value) for key, value in schema.items() if value is not None}
    if isinstance(schema, list):
        return [_without_none(item) for item in schema]
    return schema


def _copy(value: Any) -> Any:
    """A deep copy of JSON-shaped data (much faster than ``copy.deepcopy`` for it)."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def _same(value: Any) -> Any:
    return value


# -- the routes' part -------------------------------------------------------------


def _model_adapter(model: Any) -> TypeAdapter[Any]:
    adapter = _model_adapters.get(model)
    if adapter is None:
        adapter = _model_adapters[model] = TypeAdapter(model)
    return adapter


def _build_routes_part(routes: tuple[Route, ...], validating: bool, response_error_status: int | None = None) -> RoutesPart:
    plans = [route_plan(route) for route in routes]

    # One JSON-schema pass over every type of every route; routes sharing a
    # validator (same parameters, same model) share its input.
    inputs: list[tuple[Any, Any, Any]] = []
    keys: dict[Any, Any] = {}  # (route index, part...) -> input key
    wanted: set[Any] = set()

    def want(part: Any, adapter: TypeAdapter[Any], mode: str) -> None:
        key = (id(adapter), mode)
        if key not in wanted:
            wanted.add(key)
            inputs.append((key, mode, adapter.core_schema))
        keys[part] = key

    for index, (route, plan) in enumerate(zip(routes, plans, strict=True)):
        if plan.parameter_adapter is not None:
            want((index, "parameters"), plan.parameter_adapter, "validation")
        if plan.body_adapter is not None:
            want((index, "body"), plan.body_adapter, "validation")
        if plan.return_adapter is not None:
            want((index, "return"), plan.return_adapter, "serialization")
        for status, response in (route.responses or {}).items():
            for media_type, payload in (response.get("content") or {}).items():
                if isinstance(payload, dict) and "model" in payload:
                    want((index, "model", str(status), media_type), _model_adapter(payload["model"]), "serialization")
    generator = GenerateJsonSchema(ref_template=REF_PREFIX + "{model}")
    mapping, generated = generator.generate_definitions(inputs) if inputs else ({}, {})
    schemas = {part: _without_none(mapping[(key, key[1])]) for part, key in keys.items()}
    definitions: dict[str, Any] = {str(name): _without_none(schema) for name, schema in generated.items()}

    paths: dict[str, dict[str, Any]] = {}
    duplicates: list[tuple[str, Route]] = []
    seen_ids: set[str] = set()
    carriers: set[str] = set()
    for index, (route, plan) in enumerate(zip(routes, plans, strict=True)):
        method = route.method.lower()
        if method not in _METHODS:
            continue
        if route.operation_id in seen_ids:
            duplicates.append((route.operation_id, route))
        seen_ids.add(route.operation_id)
        operation = _operation(index, route, plan, schemas, definitions, carriers, validating)
        error_status = route.custom_response_validation_http_code or response_error_status
        if validating and error_status is not None:
            operation["responses"][str(int(error_status))] = RESPONSE_VALIDATION_ERROR_RESPONSE
            definitions["ResponseValidationError"] = RESPONSE_VALIDATION_ERROR_SCHEMA
        paths.setdefault(route.openapi_path, {})[method] = operation
    # The parameters' TypedDicts only carry their schemas: they are not components.
    for name in carriers:
        definitions.pop(name, None)
    if validating and paths:
        definitions.update(VALIDATION_ERROR_SCHEMAS)
    return RoutesPart(
        routes=routes,
        validating=validating,
        paths=paths,
        schemas={name: definitions[name] for name in sorted(definitions)},
        duplicates=duplicates,
    )


def _operation(
    index: int,
    route: Route,
    plan: RoutePlan,
    schemas: dict[Any, Any],
    definitions: dict[str, Any],
    carriers: set[str],
    validating: bool,
) -> dict[str, Any]:
    operation: dict[str, Any] = {}
    if route.tags:
        operation["tags"] = list(route.tags)
    operation["summary"] = route.summary or f"{route.method} {route.openapi_path}"
    if route.description:
        operation["description"] = route.description
    operation["operationId"] = route.operation_id

    parameters = _parameters(index, plan, schemas, definitions, carriers)
    if parameters:
        operation["parameters"] = parameters
    if plan.body:
        operation["requestBody"] = _request_body(index, plan, schemas)
    responses: dict[str, Any] = {}
    if validating:
        responses["422"] = VALIDATION_ERROR_RESPONSE
    returned: dict[str, Any] = {}
    if (index, "return") in schemas:
        schema = schemas[(index, "return")]
        # Inline return schemas are titled like the other unnamed schemas of the document.
        returned["schema"] = schema if "$ref" in schema or "title" in schema else {**schema, "title": "Return"}
    if route.responses:
        for status, declared in route.responses.items():
            response = dict(declared)
            if "content" not in response:
                response["content"] = {"application/json": returned}
            else:
                content = {}
                for media_type, payload in response["content"].items():
                    if isinstance(payload, dict) and "model" in payload:
                        payload = {key: value for key, value in payload.items() if key != "model"}
                        payload["schema"] = schemas[(index, "model", str(status), media_type)]
                    content[media_type] = payload
                response["content"] = content
            responses[str(status)] = response
    else:
        responses[str(route.status_code)] = {
            "description": route.response_description or DEFAULT_RESPONSE_DESCRIPTION,
            "content": {"application/json": returned},
        }
    operation["responses"] = responses
    if getattr(route, "deprecated", False):
        operation["deprecated"] = True
    if route.security:
        operation["security"] = [dict(requirement) for requirement in route.security]
    extensions = getattr(route, "openapi_extensions", None)
    if extensions:
        operation.update(_extensions(extensions))
    return operation


def _parameters(
    index: int, plan: RoutePlan, schemas: dict[Any, Any], definitions: dict[str, Any], carriers: set[str]
) -> list[dict[str, Any]]:
    if plan.parameter_adapter is None:
        return []
    reference = schemas[(index, "parameters")]
    model_schema = reference
    if "$ref" in reference:
        name = reference["$ref"][len(REF_PREFIX) :]
        carriers.add(name)
        model_schema = definitions[name]
    properties = model_schema.get("properties", {})
    required = set(model_schema.get("required", ()))
    out = []
    for key, param in plan.parameter_fields():
        if not param.marker.include_in_schema:
            continue
        if param.group is not None:
            out.extend(_group_parameters(param, properties[key], definitions))
            continue
        entry: dict[str, Any] = {
            "name": param.alias,
            "in": param.location.value,
            "required": param.location is ParamLocation.path or key in required,
            "schema": properties[key],
        }
        if param.marker.description:
            entry["description"] = param.marker.description
        if param.marker.deprecated:
            entry["deprecated"] = True
        if param.marker.openapi_examples:
            entry["examples"] = param.marker.openapi_examples
        out.append(entry)
    return out


def _group_parameters(param: Parameter, schema: dict[str, Any], definitions: dict[str, Any]) -> list[dict[str, Any]]:
    """One parameter per field of a model read from the query, headers or cookies."""
    if "$ref" in schema:
        schema = definitions[schema["$ref"][len(REF_PREFIX) :]]
    required = set(schema.get("required", ()))
    assert param.group is not None
    return [
        {"name": param.group[key], "in": param.location.value, "required": key in required, "schema": field}
        for key, field in schema.get("properties", {}).items()
        if key in param.group
    ]


def _request_body(index: int, plan: RoutePlan, schemas: dict[Any, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if plan.body_required:
        body["required"] = True
    if not plan.embed_body and plan.body[0].marker.description:
        body["description"] = plan.body[0].marker.description
    schema = schemas[(index, "body")]
    if not plan.embed_body and plan.body[0].marker.description and "$ref" in schema:
        # Beside the reference too, as Powertools writes it (OpenAPI 3.1 allows it).
        schema = {**schema, "description": plan.body[0].marker.description}
    media: dict[str, Any] = {"schema": schema}
    if not plan.embed_body and plan.body[0].marker.openapi_examples:
        media["examples"] = plan.body[0].marker.openapi_examples
    body["content"] = {plan.body_media_type: media}
    return body


__all__ = ["REF_PREFIX", "VALIDATION_ERROR_RESPONSE", "VALIDATION_ERROR_SCHEMAS", "build_document", "routes_part"]
