"""The default JSON serializer for response bodies."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import json
import math
import uuid
from functools import partial
from typing import Any


class Encoder(json.JSONEncoder):
    """``json`` encoder that also takes the values routes commonly return.

    Decimals become strings (no precision is lost), dataclasses and pydantic
    models become objects, enums their value, dates and times ISO 8601 text,
    UUIDs text and sets lists.
    """

    def default(self, o: Any) -> Any:
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


default_serializer = partial(json.dumps, separators=(",", ":"), cls=Encoder)
