"""Turning Python values into JSON-ready data: :func:`jsonable_encoder`.

The result holds only dicts, lists, strings, numbers, booleans and None, so
any JSON serializer writes it. Values are converted as follows:

- pydantic models: ``model_dump(mode="json")`` with the keywords given (by
  alias unless ``by_alias=False``);
- dataclasses: their fields, as a dict;
- dicts (keys and values), lists, tuples, sets, frozensets, deques and
  generators: converted item by item;
- ``bytes``: decoded as UTF-8; dates, datetimes and times: ISO 8601 text;
  timedeltas: seconds, as a float; ``Decimal``: an int when it has no
  fractional digits, otherwise a float; enums: their value; UUIDs, paths and
  pydantic secrets: text; compiled regular expressions: their pattern;
- anything else: ``custom_serializer(value)`` when one is given, otherwise
  ``dict(value)`` or, failing that, ``vars(value)``; when neither works,
  :class:`SerializationError`.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections import deque
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from pathlib import PurePath
from types import GeneratorType
from typing import Any
from uuid import UUID

from pydantic import BaseModel, SecretBytes, SecretStr

#: What ``include=``/``exclude=`` take: sets of keys, or dicts of them (nested, for models).
IncEx = Any


class SerializationError(Exception):
    """A value could not be turned into JSON-ready data."""


def _decimal(value: Decimal) -> int | float:
    # An int when the value has no fractional digits, so it reads back exactly.
    exponent = value.as_tuple().exponent
    return int(value) if isinstance(exponent, int) and exponent >= 0 else float(value)


def _same(value: Any) -> Any:
    return value


#: Converters of the values JSON cannot hold as they are, by type (subclasses too).
ENCODERS_BY_TYPE: dict[type[Any], Callable[[Any], Any]] = {
    bool: _same,
    int: _same,
    float: _same,
    str: _same,
    type(None): _same,
    bytes: lambda value: value.decode(),
    datetime.date: lambda value: value.isoformat(),
    datetime.datetime: lambda value: value.isoformat(),
    datetime.time: lambda value: value.isoformat(),
    datetime.timedelta: lambda value: value.total_seconds(),
    Decimal: _decimal,
    Enum: lambda value: value.value,
    PurePath: str,
    re.Pattern: lambda value: value.pattern,
    SecretBytes: str,
    SecretStr: str,
    UUID: str,
}

_SEQUENCES = (list, set, frozenset, tuple, deque, GeneratorType)


def jsonable_encoder(
    obj: Any,
    include: IncEx | None = None,
    exclude: IncEx | None = None,
    by_alias: bool = True,
    exclude_unset: bool = False,
    exclude_defaults: bool = False,
    exclude_none: bool = False,
    custom_serializer: Callable[[Any], str] | None = None,
) -> Any:
    """``obj`` as JSON-ready data (see the module's documentation for each type).

    :param include: keys to keep (of a dict, a model, or the items of a list).
    :param exclude: keys to leave out.
    :param by_alias: write models' fields under their aliases.
    :param exclude_unset: leave out model fields that were not set.
    :param exclude_defaults: leave out model fields equal to their default.
    :param exclude_none: leave out keys whose value is None.
    :param custom_serializer: converts values no rule above handles.
    :raises SerializationError: when a value cannot be converted.
    """
    if include is not None and not isinstance(include, (set, dict)):
        include = set(include)
    if exclude is not None and not isinstance(exclude, (set, dict)):
        exclude = set(exclude)
    options: dict[str, Any] = {
        "by_alias": by_alias,
        "exclude_unset": exclude_unset,
        "exclude_defaults": exclude_defaults,
        "exclude_none": exclude_none,
        "custom_serializer": custom_serializer,
    }
    try:
        if isinstance(obj, BaseModel):
            dumped = obj.model_dump(
                mode="json",
                include=include,
                exclude=exclude,
                by_alias=by_alias,
                exclude_unset=exclude_unset,
                exclude_defaults=exclude_defaults,
                exclude_none=exclude_none,
            )
            return jsonable_encoder(dumped, exclude_none=exclude_none, exclude_defaults=exclude_defaults)
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return jsonable_encoder(dataclasses.asdict(obj), include=include, exclude=exclude, **options)
        encoder = ENCODERS_BY_TYPE.get(type(obj))
        if encoder is None:
            encoder = next((found for kind, found in ENCODERS_BY_TYPE.items() if isinstance(obj, kind)), None)
        if encoder is not None:
            return encoder(obj)
        if isinstance(obj, dict):
            return _encode_dict(obj, include, exclude, options)
        if isinstance(obj, _SEQUENCES):
            return [jsonable_encoder(item, include=include, exclude=exclude, **options) for item in obj]
        if custom_serializer is not None:
            return custom_serializer(obj)
        return jsonable_encoder(_as_mapping(obj), include=include, exclude=exclude, **options)
    except ValueError as error:
        raise SerializationError(f"Unable to serialize the object {obj!r}: it is not a supported type ({error})") from error


def _encode_dict(obj: dict[Any, Any], include: Any, exclude: Any, options: dict[str, Any]) -> dict[Any, Any]:
    keys = set(obj)
    if include is not None:
        keys &= set(include)
    if exclude is not None:
        keys -= set(exclude)
    # Nested values get the options, not include/exclude (which name this level's keys).
    nested = {key: value for key, value in options.items() if key != "exclude_defaults"}
    encoded = {}
    for key, value in obj.items():
        if key not in keys or (value is None and options["exclude_none"]):
            continue
        # SQLAlchemy's instance state (``_sa_instance_state``) is not data.
        if isinstance(key, str) and key.startswith("_sa"):
            continue
        encoded[jsonable_encoder(key, **nested)] = jsonable_encoder(value, **nested)
    return encoded


def _as_mapping(obj: Any) -> dict[Any, Any]:
    try:
        return dict(obj)
    except Exception as first:
        try:
            return vars(obj)
        except Exception as second:
            raise ValueError([first, second]) from second


__all__ = ["ENCODERS_BY_TYPE", "IncEx", "SerializationError", "jsonable_encoder"]
