"""Declaring what a usable event looks like: :func:`event_check`.

A source checks each event before routing it, so a malformed one is answered
``400`` with a short reason instead of failing somewhere deep in a route. The
checks are declarations::

    check = event_check(
        required(kinds.NAME, "httpMethod"),
        required(kinds.ABSOLUTE_PATH, "path"),
        optional(kinds.STRING, "body"),
        optional(kinds.BOOLEAN, "isBase64Encoded"),
        optional(kinds.OBJECT, "requestContext"),
    )

``check(event)`` returns ``None`` for a usable event, else the reason, in the
same words for every source: ``'path' is missing or not an absolute path``,
``'body' is not a string``. Keys may be dotted to reach into nested objects
(``"requestContext.http.method"``). A rule may also be any function taking
the event (known to be a dict) and returning a reason or ``None``, for what a
source checks beyond types.

The check runs on every request, so it looks at types only: the entries of
big maps (headers...) are better checked when first read (see
:func:`kernel.request.checked`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from kernel.request import list_map, string_map

__all__ = [
    "ABSOLUTE_PATH",
    "BOOLEAN",
    "MAP",
    "NAME",
    "OBJECT",
    "STRING",
    "STRINGS",
    "STRING_LIST",
    "STRING_LISTS",
    "Kind",
    "check_proxy_v1_event",
    "event_check",
    "kinds",
    "optional",
    "required",
]

Check = Callable[[Any], "str | None"]


class Kind(NamedTuple):
    """What a value must be: a test, the noun that names it in the reason, and the test as an expression of ``value``."""

    noun: str
    test: Callable[[Any], bool]
    expression: str = ""


def _kind(noun: str, expression: str) -> Kind:
    # The test is made from the expression when first needed (see event_check), not on import.
    return Kind(noun, _Deferred(expression), expression)


class _Deferred:
    """A kind's test, compiled from its expression on first call."""

    __slots__ = ("expression", "test")

    def __init__(self, expression: str) -> None:
        self.expression = expression
        self.test: Callable[[Any], bool] | None = None

    def __call__(self, value: Any) -> bool:
        if self.test is None:
            self.test = eval(f"lambda value: {self.expression}", _NAMES)
        return self.test(value)


def string_list(value: Any) -> bool:
    """Whether ``value`` is a list of strings."""
    # A plain loop: all() over a generator costs several times more per request.
    if type(value) is not list:
        return False
    for item in value:  # noqa: SIM110 - see above
        if type(item) is not str:
            return False
    return True


_NAMES: dict[str, Any] = {"string_map": string_map, "list_map": list_map, "string_list": string_list}

#: Any string.
STRING = _kind("a string", "type(value) is str")
#: A non-empty string (a method, an id...).
NAME = _kind("a string", "type(value) is str and value != ''")
#: A string starting with ``/``.
ABSOLUTE_PATH = _kind("an absolute path", "type(value) is str and value[:1] == '/'")
BOOLEAN = _kind("a boolean", "type(value) is bool")
OBJECT = _kind("an object", "type(value) is dict")
#: A list of strings.
STRING_LIST = _kind("a list of strings", "string_list(value)")
#: A map whose entries are strings.
STRINGS = _kind("a map of strings", "string_map(value) is not None")
#: A map whose entries are lists of strings.
STRING_LISTS = _kind("a map of string lists", "list_map(value) is not None")


#: The tests of the kinds above that refuse None themselves (a required value of such a kind needs no test for None).
_NOT_NONE = frozenset(kind.expression for kind in (STRING, NAME, ABSOLUTE_PATH, BOOLEAN, OBJECT, STRING_LIST))


def MAP(entries: str) -> Kind:
    """A map, its entries (named ``entries`` in the reason) checked when first read."""
    return _kind(f"a map of {entries}", "type(value) is dict")


class kinds:
    """The kinds above under one name, for sources that declare their checks: ``kinds.NAME``..."""

    STRING = STRING
    NAME = NAME
    ABSOLUTE_PATH = ABSOLUTE_PATH
    BOOLEAN = BOOLEAN
    OBJECT = OBJECT
    STRING_LIST = STRING_LIST
    STRINGS = STRINGS
    STRING_LISTS = STRING_LISTS
    MAP = staticmethod(MAP)


class _Rule(NamedTuple):
    keys: tuple[str, ...]
    kind: Kind
    reason: str
    needed: bool


def required(kind: Kind, *keys: str) -> tuple[_Rule, ...]:
    """The event must hold each of ``keys`` (dotted for nested keys), of ``kind``; checked in order."""
    return tuple(_Rule(tuple(key.split(".")), kind, f"'{key}' is missing or not {kind.noun}", True) for key in keys)


def optional(kind: Kind, *keys: str) -> tuple[_Rule, ...]:
    """When the event holds one of ``keys`` (and it is not ``null``), it is of ``kind``."""
    return tuple(_Rule(tuple(key.split(".")), kind, f"'{key}' is not {kind.noun}", False) for key in keys)


def event_check(*rules: tuple[_Rule, ...] | Check) -> Check:
    """A function returning why an event is malformed (the first rule it breaks), or ``None``.

    The rules are compiled into one plain function, as they would be written
    by hand: the check runs on every request. Each nested object is read from
    the event once (``requestContext`` once for ``requestContext.http`` and
    ``requestContext.stage``), and not tested again for being an object once
    a required rule said it is one.
    """
    names: dict[str, Any] = dict(_NAMES)
    lines = ["def check(event):", "    if type(event) is not dict:", "        return 'the event is not an object'"]
    steps: list[_Rule | Check] = []
    for rule in rules:
        if isinstance(rule, tuple) and not isinstance(rule, _Rule):
            steps.extend(rule)
        else:
            steps.append(rule)
    # The local holding each value read so far (by its keys), and the keys of those known to be objects.
    read: dict[tuple[str, ...], str] = {}
    objects: set[tuple[str, ...]] = set()
    # The values read again: the objects other keys are read from, and keys checked twice.
    declared = [step.keys for step in steps if isinstance(step, _Rule)]
    kept = {keys[:end] for keys in declared for end in range(1, len(keys))}
    kept.update(keys for number, keys in enumerate(declared) if keys in declared[:number])

    def value_of(keys: tuple[str, ...]) -> str:
        local = read.get(keys)
        if local is not None:
            return local
        if len(keys) == 1:
            expression = f"event.get({keys[0]!r})"
        else:
            parent = value_of(keys[:-1])
            expression = f"{parent}.get({keys[-1]!r})"
            if keys[:-1] not in objects:
                expression += f" if type({parent}) is dict else None"
        if keys not in kept:
            lines.append(f"    value = {expression}")
            return "value"
        local = read[keys] = f"value_{len(read)}"
        lines.append(f"    {local} = {expression}")
        return local

    for number, step in enumerate(steps):
        if not isinstance(step, _Rule):
            names[f"rule_{number}"] = step
            lines += [f"    reason = rule_{number}(event)", "    if reason is not None:", "        return reason"]
            # What the function did to the event is not known: read everything again after it.
            read.clear()
            objects.clear()
            continue
        names[f"reason_{number}"] = step.reason
        expression = step.kind.expression
        if not expression:
            names[f"test_{number}"] = step.kind.test
            expression = f"test_{number}(value)"
        local = value_of(step.keys)
        if local != "value":
            lines.append(f"    value = {local}")
        if not step.needed:
            lines += ["    if value is not None and not (" + expression + "):", f"        return reason_{number}"]
        elif expression in _NOT_NONE:
            # The test itself refuses None: no separate test for a missing value.
            lines += ["    if not (" + expression + "):", f"        return reason_{number}"]
        else:
            lines += ["    if value is None or not (" + expression + "):", f"        return reason_{number}"]
        if step.needed and expression == OBJECT.expression:
            objects.add(step.keys)
    lines.append("    return None")
    exec("\n".join(lines), names)
    check: Check = names["check"]
    return check


#: The check of Lambda proxy payload 1.0 events (API Gateway REST, ALB): the
#: maps are only checked to be maps here, their entries when first read.
check_proxy_v1_event = event_check(
    required(NAME, "httpMethod"),
    required(ABSOLUTE_PATH, "path"),
    optional(MAP("strings"), "headers"),
    optional(MAP("string lists"), "multiValueHeaders"),
    optional(MAP("strings"), "queryStringParameters"),
    optional(MAP("string lists"), "multiValueQueryStringParameters"),
    optional(STRING, "body"),
    optional(BOOLEAN, "isBase64Encoded"),
    optional(OBJECT, "requestContext"),
)
