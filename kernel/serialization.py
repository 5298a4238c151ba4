"""The default JSON serializer for response bodies.

It writes only JSON (RFC 8259): a float that is not a number or is infinite
(``NaN``, ``Infinity``, ``-Infinity``, which JSON cannot represent and
``json.dumps`` writes anyway) becomes ``null``, as JavaScript's
``JSON.stringify`` writes it, so every client can parse every body.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any


class Encoder(json.JSONEncoder):
    """``json`` encoder that also takes the values routes commonly return.

    Decimals become strings (no precision is lost), dataclasses and pydantic
    models become objects, enums their value, dates and times ISO 8601 text,
    UUIDs text and sets lists.
    """

    def default(self, o: Any) -> Any:
        # Imported here: this only runs for values JSON cannot encode natively,
        # and these modules would otherwise cost every cold start.
        import dataclasses
        import datetime
        import decimal
        import enum
        import uuid

        if isinstance(o, decimal.Decimal):
            return math.nan if o.is_nan() else str(o)
        if dataclasses.is_dataclass(o) and not isinstance(o, type):
            return dataclasses.asdict(o)
        if isinstance(o, enum.Enum):
            return o.value
        if isinstance(o, (datetime.datetime, datetime.date, datetime.time)):
            return o.isoformat()
        if isinstance(o, uuid.UUID):
            return str(o)
        if isinstance(o, (set, frozenset)):
            return list(o)
        dump = getattr(o, "model_dump", None)  # pydantic v2 models, without importing pydantic
        if callable(dump):
            return dump(mode="json")
        return super().default(o)


def _finite(value: Any) -> Any:
    """``value`` with each float that is not finite, in it or in the dicts, lists and tuples it holds, replaced by None.

    Keys stay text: a non-finite float key is written as ``json`` writes it
    (``"NaN"``, ``"Infinity"``), a string, which JSON allows.
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {_finite_key(key): _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def _finite_key(key: Any) -> Any:
    if isinstance(key, float) and not math.isfinite(key):
        return "NaN" if key != key else "Infinity" if key > 0 else "-Infinity"
    return key


def json_serializer(item_separator: str = ",", key_separator: str = ":") -> Callable[[Any], str]:
    """A serializer writing JSON text of a value, with :class:`Encoder`'s extra types and non-finite floats as ``null``.

    Compact by default (the app's default serializer); ``", "`` and ``": "``
    write the text ``json.dumps`` writes.

    ``json.dumps`` builds an encoder and its C accelerator on every call, which
    costs more than encoding a small body. This builds the C encoder once. It
    skips the circular-reference check: a body that contains itself fails with
    RecursionError instead of ValueError.

    The encoder refuses non-finite floats (ValueError); only then is the body
    encoded a second time, with those floats replaced, so bodies without any
    pay nothing for the check.
    """
    separators = (item_separator, key_separator)
    encoder = Encoder(separators=separators, allow_nan=False)

    def finite_default(o: Any) -> Any:
        return _finite(encoder.default(o))

    if c_make_encoder is None:  # pragma: no cover - CPython always has the accelerator
        again = Encoder(separators=separators, allow_nan=False)
        again.default = finite_default  # type: ignore[method-assign]

        def serialize_python(value: Any) -> str:
            try:
                return encoder.encode(value)
            except ValueError:
                return again.encode(_finite(value))

        return serialize_python

    # Positional arguments of the accelerator: markers, default, string encoder,
    # indent, key separator, item separator, sort_keys, skipkeys, allow_nan.
    encode = c_make_encoder(
        None, encoder.default, encode_basestring_ascii, None, key_separator, item_separator, False, False, False
    )
    encode_finite = c_make_encoder(
        None, finite_default, encode_basestring_ascii, None, key_separator, item_separator, False, False, False
    )

    def serialize(value: Any) -> str:
        try:
            return "".join(encode(value, 0))
        except ValueError:
            # A float JSON cannot hold, somewhere in the body (any other
            # ValueError is raised again by the second pass).
            return "".join(encode_finite(_finite(value), 0))

    return serialize


default_serializer = json_serializer()
