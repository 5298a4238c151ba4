"""The default JSON serializer for response bodies."""

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


def _compact_serializer() -> Callable[[Any], str]:
    """Compact JSON text of a value, with :class:`Encoder`'s extra types.

    ``json.dumps`` builds an encoder and its C accelerator on every call, which
    costs more than encoding a small body. This builds the C encoder once. It
    skips the circular-reference check: a body that contains itself fails with
    RecursionError instead of ValueError.
    """
    encoder = Encoder(separators=(",", ":"))
    if c_make_encoder is None:  # pragma: no cover - CPython always has the accelerator
        return encoder.encode
    # Positional arguments of the accelerator: markers, default, string encoder,
    # indent, key separator, item separator, sort_keys, skipkeys, allow_nan.
    encode = c_make_encoder(None, encoder.default, encode_basestring_ascii, None, ":", ",", False, False, True)

    def serialize(value: Any) -> str:
        return "".join(encode(value, 0))

    return serialize


default_serializer = _compact_serializer()
