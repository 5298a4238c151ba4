"""From a route function's signature to the validators that check its requests.

A route is analysed once, the first time it is needed (its first request, or
the first OpenAPI document), and the result is kept for the route's lifetime:
one pydantic validator (of a TypedDict) for all path, query and header
parameters together, and one for the body. A request then costs one dictionary
built from the event and one or two calls into pydantic's compiled core. The
``openapi`` plugin reads the same analysis to describe the route, so the two
never disagree.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin
from weakref import WeakKeyDictionary

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined, to_jsonable_python
from typing_extensions import NotRequired, TypedDict

from kernel import RequestEntityTooLargeError
from kernel.plugin_api import BaseRequest, CallPlan, Response, Route, call_plan
from kernel_validation import _plans
from kernel_validation.errors import RequestUnsupportedContentType, RequestValidationError, ResponseValidationError
from kernel_validation.params import Body, File, Form, Header, Param, ParamLocation, Path, Query

_PATH_PARAM = re.compile(r"<(\w+)>")
_NOT_WORD = re.compile(r"\W")
# Numbers a client sends must be numbers JSON can carry back: no NaN or infinity
# (JSON's 1e400 parses as infinity), whatever a bare ``float`` would allow.
_CONFIG = ConfigDict(allow_inf_nan=False)
_SEQUENCES = (list, tuple, set, frozenset, typing.Sequence, typing.AbstractSet)

_ERROR_OPTIONS = {"include_url": False, "include_context": False, "include_input": False}


@dataclass
class Parameter:
    """One parameter of a route function and where its value comes from."""

    #: The Python name of the function's parameter.
    name: str
    #: Where the value is read.
    location: ParamLocation
    #: The name in the request (query key, header name, path name, body key).
    alias: str
    #: The type, without the marker (other ``Annotated`` metadata kept).
    annotation: Any
    #: The marker, given or implied (``Query()`` for a bare scalar...).
    marker: Param
    #: The keywords of the pydantic field (default, title, documentation) used
    #: to validate it: :attr:`field_info` is made from them when first needed.
    field_kwargs: dict[str, Any]
    #: Whether every value of a repeated query parameter or header is wanted.
    is_list: bool = False
    #: The ``Depends()`` function that declares it, or None for the route function's own.
    owner: Callable[..., Any] | None = None
    #: For a model read as a group of query, header or cookie parameters:
    #: each field's name in the request, by field name (None otherwise).
    group: dict[str, str] | None = None
    _field_info: FieldInfo | None = field(default=None, repr=False, compare=False)

    @property
    def field_info(self) -> FieldInfo:
        """The pydantic field (default, title, documentation) used to validate it."""
        # Made on first use: routes whose validators are shared with another
        # route's (the same parameters) never need theirs, and a FieldInfo
        # costs as much as the rest of the parameter's analysis.
        if self._field_info is None:
            self._field_info = Field(**self.field_kwargs)
        return self._field_info

    @property
    def required(self) -> bool:
        """Whether the request must carry the value."""
        return "default" not in self.field_kwargs and "default_factory" not in self.field_kwargs

    @property
    def shape(self) -> Any:
        """What its validator and its schema depend on, as a key telling equal parameters apart (may not hash).

        Constraints are compared by type and ``repr`` (pydantic's metadata of
        ``pattern`` or ``strict`` compares by identity), field keywords by
        type, value and ``repr`` (``0`` and ``False`` are equal and hash alike).
        """
        metadata = tuple((type(item), repr(item)) for item in self.marker.metadata)
        keywords = tuple((key, type(value), value, repr(value)) for key, value in self.field_kwargs.items())
        return (self.location, self.alias, self.is_list, self.annotation, metadata, keywords)

    @property
    def validation_type(self) -> Any:
        """The annotation with the marker's constraints, as pydantic validates it."""
        return _annotated(self.annotation, self.marker.metadata)


@dataclass
class RoutePlan:
    """Everything known about a route's inputs and output, and how to check them."""

    route: Route
    #: Path, query and header parameters, in signature order.
    parameters: list[Parameter]
    #: Body parameters, in signature order.
    body: list[Parameter]
    #: Whether the body is an object holding each body parameter under its alias.
    embed_body: bool
    #: The return annotation, or ``None`` when there is none to check against.
    return_annotation: Any
    #: The media type of the body in the OpenAPI document.
    body_media_type: str = "application/json"
    #: Whether the function takes ``**kwargs``, which then receive the path
    #: parameters it does not name.
    takes_extra: bool = False
    #: Whether the body parameters are form fields (``Form()``, ``File()``),
    #: read from a form body (or a JSON object).
    form_body: bool = False
    #: The app's parser of JSON bodies (None: pydantic reads the JSON text itself).
    json_deserializer: Callable[[str], Any] | None = None
    #: The status of a returned value that fails validation: the route's
    #: ``custom_response_validation_http_code``, else the app's
    #: ``response_validation_error_http_code``, else 422.
    response_error_status: int = 422
    #: Validates path, query and headers together, as one TypedDict keyed by
    #: :meth:`parameter_fields` (None without any).
    parameter_adapter: TypeAdapter[Any] | None = None
    #: Validates the body: a TypedDict keyed by alias when embedded, else the
    #: body parameter's own type (None without a body).
    body_adapter: TypeAdapter[Any] | None = None
    _keys: dict[str, Parameter] = field(default_factory=dict)
    _body_keys: dict[str, Parameter] = field(default_factory=dict)
    _path: list[tuple[str, str]] = field(default_factory=list)
    _query: list[tuple[str, str, bool]] = field(default_factory=list)
    _headers: list[tuple[str, str, bool]] = field(default_factory=list)
    _cookies: list[tuple[str, str]] = field(default_factory=list)
    #: Models read as groups of query, header or cookie parameters: their key,
    #: where, and each field's (name, name in the request, whether a list).
    _groups: list[tuple[str, ParamLocation, list[GroupField]]] = field(default_factory=list)
    _encoder: Callable[[Any], Any] | None = None
    _return_adapter: TypeAdapter[Any] | None = None

    def parameter_fields(self) -> list[tuple[str, Parameter]]:
        """Path, query and header parameters with their keys in :attr:`parameter_adapter`."""
        return list(self._keys.items())

    @property
    def body_required(self) -> bool:
        """Whether a request without a body fails validation."""
        return any(param.required for param in self.body)

    # -- requests ---------------------------------------------------------------

    def validate(self, request: BaseRequest, arguments: dict[str, Any]) -> dict[Any, dict[str, Any]] | None:
        """Replace ``arguments`` with the route function's validated keyword arguments.

        Returns the validated arguments of the route's dependencies, by
        dependency function (None when they declare none). Raises
        :class:`RequestValidationError` listing every problem found in the
        path, query, headers and body, or :class:`RequestUnsupportedContentType`.
        """
        errors: list[dict[str, Any]] = []
        values: dict[Any, Any] = {}
        if self.parameter_adapter is not None:
            self._validate_parameters(request, arguments, values, errors)
        body_text = None
        if self.body:
            body_text = self._validate_body(request, values, errors)
        if errors:
            raise RequestValidationError(errors, body=body_text)
        if self.takes_extra:
            for name, value in arguments.items():
                values.setdefault(name, value)
        dependencies = values.pop(_DEPENDENCIES, None) if _DEPENDENCIES in values else None
        arguments.clear()
        arguments.update(values)
        return dependencies

    def _validate_parameters(
        self, request: BaseRequest, arguments: dict[str, Any], values: dict[str, Any], errors: list[dict[str, Any]]
    ) -> None:
        data: dict[str, Any] = {}
        for key, name in self._path:
            if name in arguments:
                data[key] = arguments[name]
        if self._query:
            query = request.resolved_query_string_parameters
            for key, name, is_list in self._query:
                found = query.get(name)
                if found:
                    data[key] = found if is_list else _scalar(found, request.is_repeated_query_parameter, name)
        if self._headers:
            headers = {name.lower(): value for name, value in (request.resolved_headers_field or {}).items()}
            for key, name, is_list in self._headers:
                value = headers.get(name)
                if value is None:
                    continue
                if isinstance(value, list):
                    if value:
                        data[key] = value if is_list else _scalar(value, request.is_repeated_header, name)
                else:
                    # One value: the service joined a repeated header with commas.
                    data[key] = value.split(",") if is_list else value
        if self._cookies:
            cookies = _cookies(request)
            for key, name in self._cookies:
                if name in cookies:
                    data[key] = cookies[name]
        if self._groups:
            self._read_groups(request, data)
        assert self.parameter_adapter is not None
        try:
            validated = self.parameter_adapter.validator.validate_python(data)
        except ValidationError as exc:
            for error in exc.errors(**_ERROR_OPTIONS):
                param = self._keys[str(error["loc"][0])]
                rest = error["loc"][1:]
                if param.group and rest:
                    # A model's field is named as the request names it (x_trace: the x-trace header).
                    rest = (param.group.get(str(rest[0]), rest[0]), *rest[1:])
                # Header names are case-insensitive: an error names them in lower case, as Powertools does.
                name = param.alias.lower() if param.location is ParamLocation.header else param.alias
                errors.append({**error, "loc": (param.location.value, name, *rest)})
            return
        keys = self._keys
        for key, value in validated.items():
            param = keys[key]
            # Inline for the route's own parameters: routes without dependencies pay no call per value.
            if param.owner is None:
                values[param.name] = value
            else:
                _put(values, param, value)

    def _read_groups(self, request: BaseRequest, data: dict[str, Any]) -> None:
        for key, location, fields in self._groups:
            found: dict[str, Any]
            repeated: Callable[[str], bool]
            if location is ParamLocation.query:
                found = request.resolved_query_string_parameters
                repeated = request.is_repeated_query_parameter
            elif location is ParamLocation.header:
                found = {name.lower(): value for name, value in (request.resolved_headers_field or {}).items()}
                repeated = request.is_repeated_header
            else:
                found = _cookies(request)
                repeated = _never
            group: dict[str, Any] = {}
            for name, wire_name, is_list, by_name in fields:
                value = found.get(wire_name)
                if value is None and by_name is not None:
                    wire_name = by_name
                    value = found.get(by_name)
                if value is None:
                    continue
                if isinstance(value, list):
                    if value:
                        # A model's scalar field sent several times takes the first value (where a
                        # route's own scalar answers 422), as on Powertools.
                        group[name] = value if is_list else _first(_scalar(value, repeated, wire_name))
                else:
                    group[name] = [value] if is_list else value
            data[key] = group

    def _validate_body(self, request: BaseRequest, values: dict[str, Any], errors: list[dict[str, Any]]) -> str | None:
        content_type = request.header_text("content-type")
        if content_type and not _is_json(content_type):
            if self.form_body:
                self._validate_form(request, content_type, values, errors)
                return None
            raise RequestUnsupportedContentType(content_type)
        text = request.decoded_body
        if not text:
            if self.embed_body:
                # Each missing field is reported at ["body", alias], as Powertools does.
                text = "{}"
            elif self.body_required:
                errors.append({"loc": ("body",), "type": "missing", "msg": "Field required"})
                return text
            else:
                param = self.body[0]
                _put(values, param, param.field_info.get_default(call_default_factory=True))
                return None
        assert self.body_adapter is not None
        try:
            if self.json_deserializer is None:
                value = self.body_adapter.validator.validate_json(text)
            else:
                # The app's own JSON parser (json_body_deserializer) reads the body.
                value = self.body_adapter.validator.validate_python(request.json_body)
        except ValidationError as exc:
            for error in exc.errors(**_ERROR_OPTIONS):
                errors.append({**error, "loc": ("body", *error["loc"])})
            return text
        if self.embed_body:
            keys = self._body_keys
            for key, item in value.items():
                _put(values, keys[key], item)
        elif self.body[0].owner is None:
            values[self.body[0].name] = value
        else:
            _put(values, self.body[0], value)
        return text

    def _validate_form(
        self, request: BaseRequest, content_type: str, values: dict[str, Any], errors: list[dict[str, Any]]
    ) -> None:
        from kernel_validation import forms

        media = forms.media_type(content_type)
        try:
            if media == forms.URLENCODED:
                fields = forms.read_urlencoded(request)
            elif media == forms.MULTIPART:
                fields = forms.read_multipart(request, content_type)
            else:
                raise RequestUnsupportedContentType(content_type)
        except forms.MalformedForm as exc:
            errors.append({"loc": ("body",), "type": exc.kind, "msg": str(exc)})
            return
        data: dict[str, Any] = {}
        for param in self.body:
            found = fields.get(param.alias)
            if not found:
                continue
            if isinstance(param.marker, File):
                if param.marker.max_size is not None:
                    for item in found:
                        if isinstance(item, forms.UploadFile) and len(item.content) > param.marker.max_size:
                            raise RequestEntityTooLargeError(
                                f"The file {param.alias!r} is larger than {param.marker.max_size} bytes"
                            )
                if _strip(param.annotation) is bytes or _sequence_of(param.annotation) is bytes:
                    found = [item.content if isinstance(item, forms.UploadFile) else item for item in found]
            # A single-valued parameter sent several times takes the first value, as on Powertools.
            data[param.alias] = found if param.is_list else found[0]
        assert self.body_adapter is not None
        try:
            value = self.body_adapter.validator.validate_python(data)
        except ValidationError as exc:
            for error in exc.errors(**_ERROR_OPTIONS):
                errors.append({**error, "loc": ("body", *error["loc"])})
            return
        keys = self._body_keys
        for key, item in value.items():
            _put(values, keys[key], item)

    # -- responses --------------------------------------------------------------

    @property
    def return_adapter(self) -> TypeAdapter[Any] | None:
        """The validator of the return annotation (None without one)."""
        if self._return_adapter is None and self.return_annotation is not None:
            annotation = self.return_annotation
            self._return_adapter = _shared(("return", annotation), lambda: TypeAdapter(annotation))
        return self._return_adapter

    @property
    def encoder(self) -> Callable[[Any], Any]:
        """Turns what the route returned into JSON-ready data, checked against its annotation."""
        if self._encoder is None:
            adapter = self.return_adapter
            if adapter is None:
                self._encoder = to_jsonable_python
            else:
                validate = adapter.validate_python
                dump = adapter.dump_python

                def encode(body: Any) -> Any:
                    try:
                        value = validate(body)
                    except ValidationError as exc:
                        errors = [{**e, "loc": ("response", *e["loc"])} for e in exc.errors(**_ERROR_OPTIONS)]
                        raise ResponseValidationError(errors, body=body, status_code=self.response_error_status) from None
                    # Fields are written under their aliases, as Powertools writes them.
                    return dump(value, mode="json", by_alias=True)

                self._encoder = encode
        return self._encoder


# The key under which a request's validated values hold its dependencies' arguments.
_DEPENDENCIES = object()


def _put(values: dict[Any, Any], param: Parameter, value: Any) -> None:
    if param.owner is None:
        values[param.name] = value
    else:
        values.setdefault(_DEPENDENCIES, {}).setdefault(param.owner, {})[param.name] = value


def route_plan(route: Route, overrides: Mapping[Any, Any] | None = None) -> RoutePlan:
    """The analysis of ``route``, made on first use and kept as long as the route.

    With ``overrides`` (an app's ``dependency_overrides``), the analysis of
    the route with those dependencies replaced: the parameters an override
    declares are read in place of those of the dependency it replaces.
    """
    if overrides:
        try:
            key = tuple(overrides.items())
            variants = _override_plans.setdefault(route, {})
            plan = variants.get(key)
            if plan is None:
                plan = variants[key] = analyse(route, overrides)
        except TypeError:  # an override that cannot be hashed: analyse for this request
            plan = analyse(route, overrides)
        return plan
    plan = _plans.get(route)
    if plan is None:
        plan = _plans[route] = analyse(route)
    return plan


# Analyses of routes under dependency overrides (tests), by the overrides.
_override_plans: WeakKeyDictionary[Route, dict[Any, RoutePlan]] = WeakKeyDictionary()


def _signature(func: Callable[..., Any], what: str) -> tuple[inspect.Signature, dict[str, Any]]:
    signature = inspect.signature(func)
    try:
        # A partial or a callable object keeps its hints on the function it wraps.
        hinted: Any = func
        if isinstance(func, type):
            hinted = func.__init__  # type: ignore[misc]  # a class dependency takes its constructor's parameters
        elif not (inspect.isfunction(func) or inspect.ismethod(func)):
            hinted = getattr(func, "func", type(func).__call__)
        hints = typing.get_type_hints(hinted, include_extras=True)
    except NameError as exc:
        # With ``from __future__ import annotations`` hints are text, resolved in
        # the function's module: a class defined inside another function is not found.
        raise TypeError(
            f"The type hints of the {what} {getattr(func, '__qualname__', func)!r} cannot be resolved ({exc});"
            " define the types they name at module level"
        ) from None
    return signature, hints


def _declared(
    func: Callable[..., Any],
    injection: CallPlan,
    what: str,
    path_names: set[str],
    owner: Callable[..., Any] | None,
    into: tuple[list[Parameter], list[Parameter]],
) -> tuple[inspect.Signature, dict[str, Any]]:
    """Add the request parameters ``func`` declares (not those the kernel injects) to ``into``; return its signature and hints."""
    if injection.signature is not None and injection.hints is not None:
        # The kernel read them for its own plan: reading them again would double the cost.
        signature, hints = injection.signature, injection.hints
    else:
        signature, hints = _signature(func, what)
    injected = {*injection.request_params, *(dependency.name for dependency in injection.dependencies)}
    parameters, body = into
    for param in signature.parameters.values():
        if param.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD) or param.name in injected:
            continue
        parsed = _parameter(param, hints.get(param.name, Any), path_names)
        parsed.owner = owner
        (body if parsed.location is ParamLocation.body else parameters).append(parsed)
    return signature, hints


def analyse(route: Route, overrides: Mapping[Any, Any] | None = None) -> RoutePlan:
    """Analyse a route function's signature (and its dependencies') and build its validators."""
    func = route.func
    path_names = set(_PATH_PARAM.findall(route.path))
    parameters: list[Parameter] = []
    body: list[Parameter] = []
    injection = call_plan(func)
    signature, hints = _declared(func, injection, "route function", path_names, None, (parameters, body))
    # Each dependency's own parameters, once per dependency function, depth first.
    seen: set[Any] = set()
    pending = list(reversed(injection.dependencies))
    while pending:
        dependency = pending.pop()
        function = dependency.depends.dependency
        use = overrides.get(function, function) if overrides else function
        sub_plan = dependency.plan if use is function else call_plan(use)
        pending.extend(reversed(sub_plan.dependencies))
        if function in seen:
            continue
        seen.add(function)
        # Keyed by the function replaced: the kernel looks arguments up by it.
        _declared(use, sub_plan, "dependency", path_names, function, (parameters, body))
    embed = len(body) > 1 or any(isinstance(p.marker, Body) and p.marker.embed for p in body)
    plan = RoutePlan(
        route=route,
        parameters=parameters,
        body=body,
        embed_body=embed,
        return_annotation=_return_annotation(hints.get("return", inspect.Signature.empty)),
        takes_extra=any(p.kind is inspect.Parameter.VAR_KEYWORD for p in signature.parameters.values()),
    )
    if body and isinstance(body[0].marker, Body):
        plan.body_media_type = body[0].marker.media_type
    if any(isinstance(param.marker, Form) for param in body):
        plan.form_body = True
        plan.embed_body = True
        files = any(isinstance(param.marker, File) for param in body)
        plan.body_media_type = "multipart/form-data" if files else "application/x-www-form-urlencoded"
    _build_validators(plan)
    return plan


def _parameter(param: inspect.Parameter, annotation: Any, path_names: set[str]) -> Parameter:
    marker: Param | None = None
    if get_origin(annotation) is Annotated:
        inner, *metadata = get_args(annotation)
        markers = [item for item in metadata if isinstance(item, Param)]
        if markers:
            marker = markers[-1]
            rest = [item for item in metadata if not isinstance(item, Param)]
            annotation = _annotated(inner, rest)
    default = param.default
    if isinstance(default, Param):
        marker = marker or default
        default = inspect.Parameter.empty
    if marker is None:
        if param.name in path_names:
            marker = Path()
        elif _is_complex(annotation) or _is_sequence(annotation):
            # A list without a marker is read from the body, as Powertools reads it;
            # Query() or Header() make it a repeated parameter.
            marker = Body()
        else:
            marker = Query()
    location = marker.in_
    if location is ParamLocation.header:
        assert isinstance(marker, Header)
        name = marker.alias or (param.name.replace("_", "-") if marker.convert_underscores else param.name)
    else:
        name = marker.alias or param.name
    field_kwargs: dict[str, Any] = {"title": marker.title or name.replace("_", " ").title()}
    if location is not ParamLocation.path:
        if marker.default is not PydanticUndefined:
            field_kwargs["default"] = marker.default
        elif marker.default_factory is not None:
            field_kwargs["default_factory"] = marker.default_factory
        elif default is not inspect.Parameter.empty:
            field_kwargs["default"] = default
    for attribute in ("description", "examples", "deprecated", "json_schema_extra", "discriminator"):
        value = getattr(marker, attribute)
        if value is not None:
            field_kwargs[attribute] = value
    return Parameter(
        name=param.name,
        location=location,
        alias=name,
        annotation=annotation,
        marker=marker,
        field_kwargs=field_kwargs,
        is_list=_is_sequence(annotation),
        group=_group(marker, annotation),
    )


def _group(marker: Param, annotation: Any) -> dict[str, str] | None:
    """For a model read from the query, headers or cookies: each field's name in the request."""
    model = _strip(annotation)
    if marker.in_ not in (ParamLocation.query, ParamLocation.header, ParamLocation.cookie):
        return None
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return None
    names = {}
    for name, info in model.model_fields.items():
        wire = info.alias or name
        if marker.in_ is ParamLocation.header:
            assert isinstance(marker, Header)
            wire = (wire.replace("_", "-") if marker.convert_underscores else wire).lower()
        names[info.alias or name] = wire
    return names


#: A grouped model's field: its key in the model's input, its name in the request, whether it is a
#: list, and the name it is also found by (a model that validates by name, as on Powertools) or None.
GroupField = tuple[str, str, bool, "str | None"]


def _group_fields(param: Parameter) -> list[GroupField]:
    model = _strip(param.annotation)
    assert param.group is not None
    config = model.model_config
    by_name = bool(config.get("validate_by_name") or config.get("populate_by_name"))
    # Read by alias when a field has one: that is the key the model validates.
    return [
        (
            info.alias or name,
            param.group[info.alias or name],
            _is_sequence(info.annotation),
            (name.lower() if param.location is ParamLocation.header else name) if by_name and info.alias else None,
        )
        for name, info in model.model_fields.items()
    ]


def _cookies(request: BaseRequest) -> dict[str, str]:
    """The request's cookies by name: the source's own field, or the ``Cookie`` headers."""
    jar = getattr(request, "resolved_cookies_field", None)
    if isinstance(jar, dict):
        return jar
    cookies: dict[str, str] = {}
    headers = request.resolved_headers_field or {}
    for name, value in headers.items():
        if name.lower() != "cookie":
            continue
        for line in value if isinstance(value, list) else [value]:
            for pair in line.split(";"):
                key, sep, item = pair.partition("=")
                if sep and key.strip():
                    cookies[key.strip()] = item.strip()
    return cookies


def _sequence_of(annotation: Any) -> Any:
    """The item type of a list annotation, or None."""
    stripped = _strip(annotation)
    if get_origin(stripped) in _SEQUENCES:
        args = get_args(stripped)
        return args[0] if args else None
    return None


def _build_validators(plan: RoutePlan) -> None:
    route_id = _NOT_WORD.sub("_", plan.route.operation_id)
    if plan.parameters:
        for index, param in enumerate(plan.parameters):
            # Internal keys: a query parameter and a header may share a name.
            key = f"p{index}"
            plan._keys[key] = param
            if param.group is not None:
                plan._groups.append((key, param.location, _group_fields(param)))
            elif param.location is ParamLocation.path:
                plan._path.append((key, param.alias))
            elif param.location is ParamLocation.cookie:
                plan._cookies.append((key, param.alias))
            elif param.location is ParamLocation.query:
                plan._query.append((key, param.alias, param.is_list))
            else:
                plan._headers.append((key, param.alias.lower(), param.is_list))
        keys = plan._keys
        shape = tuple(param.shape for param in plan.parameters)
        plan.parameter_adapter = _shared(
            ("parameters", shape),
            # The fields are made only when no route with the same parameters made the validator.
            lambda: _typed_dict_adapter(f"Parameters_{route_id}", {key: _typed_dict_field(p) for key, p in keys.items()}),
        )
    if plan.body and plan.embed_body:
        plan._body_keys = {param.alias: param for param in plan.body}
        fields = {param.alias: _typed_dict_field(param) for param in plan.body}
        plan.body_adapter = _typed_dict_adapter(f"Body_{route_id}", fields)
    elif plan.body:
        annotation = plan.body[0].validation_type
        plan.body_adapter = _shared(("body", annotation), lambda: _adapter(annotation))


def _typed_dict_field(param: Parameter) -> Any:
    annotated = _annotated(param.validation_type, [param.field_info])
    return annotated if param.required else _NOT_REQUIRED[annotated]


# Typing constructs used with values known only at run time (type checkers want literals).
_NOT_REQUIRED: Any = NotRequired
_TYPED_DICT: Any = TypedDict


def _typed_dict_adapter(name: str, fields: dict[str, Any]) -> TypeAdapter[Any]:
    # A TypedDict validates like a model but costs a third to build, which
    # counts on a cold start: every route's validators are built on first use.
    typed_dict = _TYPED_DICT(name, fields)
    typed_dict.__pydantic_config__ = _CONFIG
    return TypeAdapter(typed_dict)


# Validators by what they validate. Routes of one app often share parameter
# shapes (``item_id: int``), bodies and return types; building a validator is
# what makes a route's first request (and the first OpenAPI document) slow, so
# each is built once per process. Embedded bodies are not shared: their
# validator's name is the route's body component in the OpenAPI document.
_validators: dict[Any, TypeAdapter[Any]] = {}


def _shared(key: Any, build: Callable[[], TypeAdapter[Any]]) -> TypeAdapter[Any]:
    try:
        adapter = _validators.get(key)
    except TypeError:  # metadata that cannot be hashed: build one for this route
        return build()
    if adapter is None:
        adapter = _validators[key] = build()
    return adapter


def _adapter(annotation: Any) -> TypeAdapter[Any]:
    try:
        return TypeAdapter(annotation, config=_CONFIG)
    except Exception:
        # Models and dataclasses bring their own configuration, which rules.
        return TypeAdapter(annotation)


def _return_annotation(annotation: Any) -> Any:
    """The type the returned body is checked against, or None to only make it JSON-ready."""
    if annotation is inspect.Signature.empty or annotation is Any or annotation is None or annotation is type(None):
        return None
    if annotation is Response:
        return None
    origin = get_origin(annotation)
    if origin is Response:
        args = get_args(annotation)
        return _return_annotation(args[0]) if args else None
    if origin is tuple:
        # ``-> tuple[Item, int]`` documents a ``(body, status)`` return.
        args = get_args(annotation)
        if len(args) == 2 and args[1] is int:
            return _return_annotation(args[0])
    return annotation


def _annotated(annotation: Any, metadata: list[Any]) -> Any:
    """``Annotated[annotation, *metadata]``, or ``annotation`` without metadata."""
    if not metadata:
        return annotation
    arguments = (annotation, *metadata)
    return Annotated[arguments]


def _strip(annotation: Any) -> Any:
    """The type under ``Annotated`` and ``Optional``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin is Union or origin is UnionType:
            members = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def _is_sequence(annotation: Any) -> bool:
    stripped = _strip(annotation)
    return stripped in _SEQUENCES or get_origin(stripped) in _SEQUENCES


def _is_complex(annotation: Any) -> bool:
    """Whether a parameter without a marker is read from the body rather than the query."""
    stripped = _strip(annotation)
    origin = get_origin(stripped)
    if origin is Union or origin is UnionType:
        return any(_is_complex(arg) for arg in get_args(stripped))
    if origin in _SEQUENCES:
        return any(_is_complex(arg) for arg in get_args(stripped) if arg is not Ellipsis)
    if stripped in (dict, Mapping) or origin in (dict, Mapping, typing.Mapping):
        return True
    if isinstance(stripped, type):
        if issubclass(stripped, BaseModel) or dataclasses.is_dataclass(stripped):
            return True
        if typing.is_typeddict(stripped):
            return True
    return False


def _scalar(values: list[str], repeated: Callable[[str], bool], name: str) -> Any:
    """A scalar parameter's value from the list the request holds.

    Several values the client sent are all kept, so validation answers 422
    as Powertools does; several values a source split from one string on its
    commas are joined back into that string.
    """
    if len(values) == 1:
        return values[0]
    return values if repeated(name) else ",".join(values)


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) else value


def _never(name: str) -> bool:
    return False


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


__all__ = ["Parameter", "RoutePlan", "analyse", "route_plan"]
