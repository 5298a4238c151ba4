"""Request validation and response serialization from type hints, for kernel apps.

Installed with ``pip install --no-index --find-links dist "kernel[validation]"`` from the
wheelhouse ``scripts/wheelhouse`` builds and switched on per app with
``enable_validation=True``. The plugin is loaded by every app when installed,
so this module stays light: pydantic is imported the first time an app with
validation enabled handles a request (or the markers are imported).

Public names: the markers :class:`Query`, :class:`Path`, :class:`Header`,
:class:`Body`, :class:`Form` and :class:`File` (also importable from
``kernel``) and :class:`Cookie` (here only: ``kernel.Cookie`` is the cookie a
response sets), :class:`UploadFile`, and the errors
:class:`RequestValidationError`, :class:`ResponseValidationError` and
:class:`RequestUnsupportedContentType`; and :class:`SchemaValidationMiddleware`
(JSON Schema checks of request and response bodies, also importable from
``kernel``), which works whether or not the app enables validation.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from kernel.plugin_api import DEPENDENCY_ARGUMENTS, hookimpl
from kernel_validation.errors import RequestUnsupportedContentType, RequestValidationError, ResponseValidationError

if TYPE_CHECKING:
    from kernel.plugin_api import ApiGatewayResolver, BaseRequest, Route
    from kernel_validation.analysis import RoutePlan
    from kernel_validation.forms import UploadFile
    from kernel_validation.params import Body, Cookie, File, Form, Header, Param, ParamLocation, Path, Query
    from kernel_validation.schema_middleware import SchemaValidationMiddleware

__all__ = [
    "Body",
    "Cookie",
    "File",
    "Form",
    "Header",
    "Param",
    "ParamLocation",
    "Path",
    "Query",
    "RequestUnsupportedContentType",
    "RequestValidationError",
    "ResponseValidationError",
    "SchemaValidationMiddleware",
    "UploadFile",
]

_LAZY = {
    **dict.fromkeys(
        ("Body", "Cookie", "File", "Form", "Header", "Param", "ParamLocation", "Path", "Query"), "kernel_validation.params"
    ),
    "SchemaValidationMiddleware": "kernel_validation.schema_middleware",
    "UploadFile": "kernel_validation.forms",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kernel_validation' has no attribute {name!r}")


# The analysis of each route, made on its first validated request (see
# kernel_validation.analysis.route_plan); weak, so discarded apps free theirs.
_plans: WeakKeyDictionary[Route, RoutePlan] = WeakKeyDictionary()


@hookimpl
def before_handle(app: ApiGatewayResolver, request: BaseRequest, route: Route, arguments: dict[str, Any]) -> None:
    """Validate the request against the route function's type hints and pass the converted values.

    Does nothing unless the app was built with ``enable_validation=True`` or
    the route with ``enable_validation=True`` (a route's False wins over the app's True).
    Raises :class:`RequestValidationError` (answered 422) before the route runs.
    """
    if not (app.validation_enabled if route.enable_validation is None else route.enable_validation):
        return None
    overrides = app.dependency_overrides
    plan = None if overrides else _plans.get(route)
    if plan is None:
        from kernel_validation.analysis import route_plan

        plan = route_plan(route, overrides)
        plan.json_deserializer = app.json_body_deserializer
        status = route.custom_response_validation_http_code or app.response_validation_error_http_code
        if status is not None:
            plan.response_error_status = int(status)
    if route.body_encoder is None and not app.has_custom_serializer:
        route.body_encoder = plan.encoder
    dependencies = plan.validate(request, arguments)
    if dependencies is not None:
        app.context[DEPENDENCY_ARGUMENTS] = dependencies
    return None
