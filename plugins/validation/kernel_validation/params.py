"""Markers that say where a route parameter comes from and how it is checked.

Use them in ``Annotated`` (``limit: Annotated[int, Query(gt=0, le=100)] = 10``)
or as the default value (``limit: int = Query(10, gt=0)``). Each is a pydantic
``FieldInfo``, so every constraint pydantic's ``Field`` knows works here too.
Without a marker, a parameter named in the rule (``<user_id>``) comes from the
path, a scalar or a list of scalars from the query string, and anything else
(a model, a dataclass, a dict) from the JSON body.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from enum import Enum
from typing import Any, ClassVar

from pydantic import Field
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined


class ParamLocation(str, Enum):
    """Where in the request a parameter is read."""

    path = "path"
    query = "query"
    header = "header"
    cookie = "cookie"
    body = "body"


# What pydantic's Field takes, so a marker takes it too (whatever pydantic's version).
_FIELD_KEYWORDS = frozenset(inspect.signature(Field).parameters) - {"default", "extra"}

# "Not given", as pydantic spells it: the default of the keywords whose absence
# differs from None (Powertools' markers show the same defaults).
_UNSET: Any = PydanticUndefined


def _forwarded(arguments: dict[str, Any], *own: str) -> dict[str, Any]:
    """The keywords a marker's ``__init__`` passes on: its arguments (``locals()``) but its ``own``, ``extra`` merged in."""
    forwarded = {name: value for name, value in arguments.items() if name not in ("self", "__class__", "extra", *own)}
    forwarded.update(arguments["extra"])
    return forwarded


# pydantic marks FieldInfo final for type checkers only; a marker must be a
# FieldInfo so that pydantic and users treat it like ``Field``.
class Param(FieldInfo):  # type: ignore[misc]
    """Base of the markers; ``in_`` says where the value is read.

    The markers take Powertools' parameters, in its order, with its defaults.

    :param default: the value when the request does not carry one; ``...`` (or
        leaving it out) makes the parameter required.
    :param default_factory: makes the default value, called when the request does not carry one.
    :param annotation: the value's type, as pydantic's ``FieldInfo`` takes it;
        the route's own type hint is the one checked.
    :param alias: the name in the request, when it differs from the Python name.
    :param alias_priority,validation_alias,serialization_alias: as on pydantic's
        ``Field`` (a ``validation_alias`` string is also the name in the request).
    :param title: its title in the OpenAPI document (by default made from the name).
    :param description: its description in the OpenAPI document.
    :param examples: example values for the OpenAPI document.
    :param openapi_examples: named OpenAPI Example objects
        (``{"name": {"summary": ..., "value": ...}}``), shown as the
        parameter's (or the body's) ``examples`` in the OpenAPI document.
    :param deprecated: mark it deprecated in the OpenAPI document.
    :param include_in_schema: ``False`` leaves it out of the OpenAPI document.
    :param gt,ge,lt,le,multiple_of,min_length,max_length,pattern,discriminator,strict,allow_inf_nan,max_digits,decimal_places:
        pydantic constraints, checked on every request.
    :param json_schema_extra: more keys for the parameter's JSON schema.
    :param extra: any other keyword pydantic's ``Field`` takes
        (``coerce_numbers_to_str``, ``union_mode``...) is passed to it;
        keywords it does not take are added to the parameter's JSON schema,
        as ``json_schema_extra`` is.
    """

    in_: ClassVar[ParamLocation]
    __slots__ = ("include_in_schema", "openapi_examples")

    def __init__(
        self,
        default: Any = _UNSET,
        *,
        default_factory: Callable[[], Any] | None = _UNSET,
        annotation: Any | None = None,
        alias: str | None = None,
        alias_priority: int | None = _UNSET,
        validation_alias: str | None = _UNSET,
        serialization_alias: str | None = None,
        title: str | None = None,
        description: str | None = None,
        gt: float | None = None,
        ge: float | None = None,
        lt: float | None = None,
        le: float | None = None,
        min_length: int | None = None,
        max_length: int | None = None,
        pattern: str | None = None,
        discriminator: str | None = None,
        strict: bool | None = _UNSET,
        multiple_of: float | None = _UNSET,
        allow_inf_nan: bool | None = _UNSET,
        max_digits: int | None = _UNSET,
        decimal_places: int | None = _UNSET,
        examples: list[Any] | None = None,
        openapi_examples: dict[str, Any] | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        json_schema_extra: dict[str, Any] | None = None,
        **extra: Any,
    ) -> None:
        for name in [name for name in extra if name not in _FIELD_KEYWORDS]:
            json_schema_extra = {**(json_schema_extra or {}), name: extra.pop(name)}
        if alias is None and isinstance(validation_alias, str):
            alias = validation_alias
        given: dict[str, Any] = {
            "default_factory": default_factory,
            "annotation": annotation,
            "alias": alias,
            "alias_priority": alias_priority,
            "validation_alias": validation_alias,
            "serialization_alias": serialization_alias,
            "title": title,
            "description": description,
            "gt": gt,
            "ge": ge,
            "lt": lt,
            "le": le,
            "min_length": min_length,
            "max_length": max_length,
            "pattern": pattern,
            "discriminator": discriminator,
            "strict": strict,
            "multiple_of": multiple_of,
            "allow_inf_nan": allow_inf_nan,
            "max_digits": max_digits,
            "decimal_places": decimal_places,
            "examples": examples,
            "deprecated": deprecated,
            "json_schema_extra": json_schema_extra,
            **extra,
        }
        # ``...`` is the conventional spelling of "required" in markers like these.
        super().__init__(
            default=PydanticUndefined if default is ... else default,
            **{key: value for key, value in given.items() if value is not None and value is not PydanticUndefined},
        )
        self.include_in_schema = include_in_schema
        self.openapi_examples = openapi_examples


class Path(Param):  # type: ignore[misc]
    """A path parameter: the value of ``<name>`` in the route's rule. Always required."""

    in_ = ParamLocation.path

    def __init__(
        self,
        default: Any = ...,
        *,
        default_factory: Callable[[], Any] | None = _UNSET,
        annotation: Any | None = None,
        alias: str | None = None,
        alias_priority: int | None = _UNSET,
        validation_alias: str | None = _UNSET,
        serialization_alias: str | None = None,
        title: str | None = None,
        description: str | None = None,
        gt: float | None = None,
        ge: float | None = None,
        lt: float | None = None,
        le: float | None = None,
        min_length: int | None = None,
        max_length: int | None = None,
        pattern: str | None = None,
        discriminator: str | None = None,
        strict: bool | None = _UNSET,
        multiple_of: float | None = _UNSET,
        allow_inf_nan: bool | None = _UNSET,
        max_digits: int | None = _UNSET,
        decimal_places: int | None = _UNSET,
        examples: list[Any] | None = None,
        openapi_examples: dict[str, Any] | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        json_schema_extra: dict[str, Any] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(**_forwarded(locals()))


class Query(Param):  # type: ignore[misc]
    """A query string parameter; a list type collects every value of a repeated parameter."""

    in_ = ParamLocation.query


class Header(Param):  # type: ignore[misc]
    """A request header, matched without regard to case.

    :param convert_underscores: read ``x_request_id`` from the ``x-request-id``
        header (the default), since header names rarely contain underscores.
    """

    in_ = ParamLocation.header
    __slots__ = ("convert_underscores",)

    def __init__(
        self,
        default: Any = _UNSET,
        *,
        default_factory: Callable[[], Any] | None = _UNSET,
        annotation: Any | None = None,
        alias: str | None = None,
        alias_priority: int | None = _UNSET,
        validation_alias: str | None = _UNSET,
        serialization_alias: str | None = None,
        convert_underscores: bool = True,
        title: str | None = None,
        description: str | None = None,
        gt: float | None = None,
        ge: float | None = None,
        lt: float | None = None,
        le: float | None = None,
        min_length: int | None = None,
        max_length: int | None = None,
        pattern: str | None = None,
        discriminator: str | None = None,
        strict: bool | None = _UNSET,
        multiple_of: float | None = _UNSET,
        allow_inf_nan: bool | None = _UNSET,
        max_digits: int | None = _UNSET,
        decimal_places: int | None = _UNSET,
        examples: list[Any] | None = None,
        openapi_examples: dict[str, Any] | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        json_schema_extra: dict[str, Any] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(**_forwarded(locals(), "convert_underscores"))
        self.convert_underscores = convert_underscores


class Body(Param):  # type: ignore[misc]
    """The JSON request body, or one key of it.

    :param embed: read the value from the key named like the parameter (or its
        alias) of a JSON object body, rather than from the whole body. Several
        body parameters in one function are always embedded.
    :param media_type: the content type documented in the OpenAPI document.
    """

    in_ = ParamLocation.body
    __slots__ = ("embed", "media_type")

    def __init__(
        self,
        default: Any = _UNSET,
        *,
        default_factory: Callable[[], Any] | None = _UNSET,
        annotation: Any | None = None,
        embed: bool = False,
        media_type: str = "application/json",
        alias: str | None = None,
        alias_priority: int | None = _UNSET,
        validation_alias: str | None = _UNSET,
        serialization_alias: str | None = None,
        title: str | None = None,
        description: str | None = None,
        gt: float | None = None,
        ge: float | None = None,
        lt: float | None = None,
        le: float | None = None,
        min_length: int | None = None,
        max_length: int | None = None,
        pattern: str | None = None,
        discriminator: str | None = None,
        strict: bool | None = _UNSET,
        multiple_of: float | None = _UNSET,
        allow_inf_nan: bool | None = _UNSET,
        max_digits: int | None = _UNSET,
        decimal_places: int | None = _UNSET,
        examples: list[Any] | None = None,
        openapi_examples: dict[str, Any] | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        json_schema_extra: dict[str, Any] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(**_forwarded(locals(), "embed", "media_type"))
        self.embed = embed
        self.media_type = media_type


class Cookie(Param):  # type: ignore[misc]
    """A request cookie, by name (``session: Annotated[str, Cookie()]``)."""

    in_ = ParamLocation.cookie


class Form(Body):  # type: ignore[misc]
    """A field of a form body (``application/x-www-form-urlencoded`` or ``multipart/form-data``).

    Each form parameter reads the field named like it (or its alias); a list
    type receives every value of a repeated field. ``openapi_examples``, which
    Powertools' signature leaves to ``**extra`` here, is taken as on the other markers.
    """

    def __init__(
        self,
        default: Any = _UNSET,
        *,
        default_factory: Callable[[], Any] | None = _UNSET,
        annotation: Any | None = None,
        media_type: str = "application/x-www-form-urlencoded",
        alias: str | None = None,
        alias_priority: int | None = _UNSET,
        validation_alias: str | None = _UNSET,
        serialization_alias: str | None = None,
        title: str | None = None,
        description: str | None = None,
        gt: float | None = None,
        ge: float | None = None,
        lt: float | None = None,
        le: float | None = None,
        min_length: int | None = None,
        max_length: int | None = None,
        pattern: str | None = None,
        discriminator: str | None = None,
        strict: bool | None = _UNSET,
        multiple_of: float | None = _UNSET,
        allow_inf_nan: bool | None = _UNSET,
        max_digits: int | None = _UNSET,
        decimal_places: int | None = _UNSET,
        examples: list[Any] | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        json_schema_extra: dict[str, Any] | None = None,
        **extra: Any,
    ) -> None:
        forwarded = _forwarded(locals(), "media_type")
        forwarded.pop("embed", None)
        super().__init__(embed=True, media_type=media_type, **forwarded)


class File(Form):  # type: ignore[misc]
    """A file of a ``multipart/form-data`` body.

    Annotate it ``UploadFile`` for the file with its name and content type,
    or ``bytes`` for its content only; a list of either receives every file
    sent under the name.

    :param max_size: the largest file accepted, in bytes; a larger one is
        answered ``413`` (default: no limit beyond the event's own). Not a
        Powertools parameter: keyword-only, after Powertools' own.
    """

    __slots__ = ("max_size",)

    def __init__(
        self,
        default: Any = _UNSET,
        *,
        default_factory: Callable[[], Any] | None = _UNSET,
        annotation: Any | None = None,
        media_type: str = "multipart/form-data",
        alias: str | None = None,
        alias_priority: int | None = _UNSET,
        validation_alias: str | None = None,
        serialization_alias: str | None = None,
        title: str | None = None,
        description: str | None = None,
        gt: float | None = None,
        ge: float | None = None,
        lt: float | None = None,
        le: float | None = None,
        min_length: int | None = None,
        max_length: int | None = None,
        pattern: str | None = None,
        discriminator: str | None = None,
        strict: bool | None = _UNSET,
        multiple_of: float | None = _UNSET,
        allow_inf_nan: bool | None = _UNSET,
        max_digits: int | None = _UNSET,
        decimal_places: int | None = _UNSET,
        examples: list[Any] | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        json_schema_extra: dict[str, Any] | None = None,
        max_size: int | None = None,
        **extra: Any,
    ) -> None:
        # No schema of its own: UploadFile and bytes are documented as binary strings.
        super().__init__(**_forwarded(locals(), "max_size"))
        self.max_size = max_size
