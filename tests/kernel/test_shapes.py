"""Declared event checks: the reasons they give, in order, and the rules that are functions."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernel.plugin_api import Kind, event_check, kinds, optional, required

CHECK = event_check(
    required(kinds.NAME, "method"),
    required(kinds.ABSOLUTE_PATH, "context.http.path"),
    optional(kinds.STRINGS, "headers"),
    optional(kinds.STRING_LISTS, "multi"),
    optional(kinds.STRING_LIST, "cookies"),
    optional(kinds.STRING, "body"),
    optional(kinds.BOOLEAN, "encoded"),
    optional(kinds.OBJECT, "extra"),
    optional(kinds.MAP("anything"), "raw"),
)
GOOD = {"method": "GET", "context": {"http": {"path": "/a"}}}


def test_a_usable_event_has_no_reason():
    assert CHECK(GOOD) is None
    full = {
        **GOOD,
        "headers": {"a": "1"},
        "multi": {"a": ["1", "2"]},
        "cookies": ["a=1"],
        "body": "",
        "encoded": False,
        "extra": {},
        "raw": {"a": 1},
    }
    assert CHECK(full) is None


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        ([], "the event is not an object"),
        (None, "the event is not an object"),
        ({}, "'method' is missing or not a string"),
        ({**GOOD, "method": ""}, "'method' is missing or not a string"),
        ({**GOOD, "method": 5}, "'method' is missing or not a string"),
        ({**GOOD, "context": None}, "'context.http.path' is missing or not an absolute path"),
        ({**GOOD, "context": {"http": "x"}}, "'context.http.path' is missing or not an absolute path"),
        ({**GOOD, "context": {"http": {"path": "a"}}}, "'context.http.path' is missing or not an absolute path"),
        ({**GOOD, "headers": {"a": 1}}, "'headers' is not a map of strings"),
        ({**GOOD, "headers": ["a"]}, "'headers' is not a map of strings"),
        ({**GOOD, "multi": {"a": "1"}}, "'multi' is not a map of string lists"),
        ({**GOOD, "cookies": "a=1"}, "'cookies' is not a list of strings"),
        ({**GOOD, "cookies": [1]}, "'cookies' is not a list of strings"),
        ({**GOOD, "body": b"x"}, "'body' is not a string"),
        ({**GOOD, "encoded": "true"}, "'encoded' is not a boolean"),
        ({**GOOD, "extra": []}, "'extra' is not an object"),
        ({**GOOD, "raw": "x"}, "'raw' is not a map of anything"),
    ],
)
def test_the_first_broken_rule_gives_the_reason(event, reason):
    assert CHECK(event) == reason


def test_optional_values_may_be_null():
    assert CHECK({**GOOD, "headers": None, "body": None, "encoded": None}) is None


def test_rules_run_in_order_and_a_function_rule_sees_the_event():
    seen = []

    def version_two(event):
        seen.append(event)
        return None if event.get("version") == "2.0" else "'version' is not \"2.0\""

    check = event_check(version_two, required(kinds.NAME, "method"))
    assert check({"method": 1}) == "'version' is not \"2.0\""
    assert check({"version": "2.0", "method": 1}) == "'method' is missing or not a string"
    assert check({"version": "2.0", "method": "GET"}) is None
    assert len(seen) == 3


def test_a_kind_of_ones_own():
    even = Kind("an even number", lambda value: type(value) is int and value % 2 == 0)
    check = event_check(optional(even, "count"))
    assert check({"count": 2}) is None
    assert check({"count": 3}) == "'count' is not an even number"


def test_one_rule_checks_several_keys_in_the_order_written():
    check = event_check(optional(kinds.STRINGS, "headers", "query"), required(kinds.NAME, "a", "b"))
    assert check({"a": "x", "b": "y"}) is None
    assert check({"headers": {"h": 1}, "query": {"q": 1}}) == "'headers' is not a map of strings"
    assert check({"query": {"q": 1}}) == "'query' is not a map of strings"
    assert check({"b": "y"}) == "'a' is missing or not a string"
    assert check({"a": "x"}) == "'b' is missing or not a string"


def test_nested_values_are_read_from_one_read_of_their_object():
    check = event_check(
        required(kinds.OBJECT, "context", "context.http"),
        required(kinds.NAME, "context.http.method"),
        optional(kinds.STRING, "context.stage", "context.http.path"),
    )
    good = {"context": {"http": {"method": "GET", "path": "/"}, "stage": "prod"}}
    assert check(good) is None
    assert check({"context": {"http": {"method": "GET"}}}) is None
    assert check({}) == "'context' is missing or not an object"
    assert check({"context": []}) == "'context' is missing or not an object"
    assert check({"context": {"http": "GET /"}}) == "'context.http' is missing or not an object"
    assert check({"context": {"http": {"method": ""}}}) == "'context.http.method' is missing or not a string"
    assert check({"context": {"http": {"method": "GET"}, "stage": 1}}) == "'context.stage' is not a string"
    assert check({"context": {"http": {"method": "GET", "path": 1}}}) == "'context.http.path' is not a string"


def test_nested_values_under_an_optional_object_that_is_not_one():
    # No required rule said "context" is an object: reading into it tests it each time.
    check = event_check(optional(kinds.STRING, "context.stage"), required(kinds.NAME, "context.http.method"))
    assert check({"context": "x"}) == "'context.http.method' is missing or not a string"
    assert check({"context": {"stage": 1}}) == "'context.stage' is not a string"
    assert check({"context": {"stage": "a", "http": ["GET"]}}) == "'context.http.method' is missing or not a string"
    assert check({"context": {"http": {"method": "GET"}}}) is None


def test_a_function_rule_is_followed_by_reading_the_event_again():
    def fill(event):
        event["context"] = {"method": 5}
        return None

    check = event_check(optional(kinds.OBJECT, "context"), fill, required(kinds.NAME, "context.method"))
    assert check({"context": {"method": "GET"}}) == "'context.method' is missing or not a string"


def test_one_key_checked_by_two_rules():
    check = event_check(optional(kinds.OBJECT, "extra"), required(kinds.MAP("anything"), "extra"))
    assert check({"extra": {}}) is None
    assert check({"extra": "x"}) == "'extra' is not an object"
    assert check({}) == "'extra' is missing or not a map of anything"


@pytest.mark.parametrize("kind", [kinds.STRINGS, kinds.STRING_LISTS, Kind("anything", lambda value: True)])
def test_a_required_value_of_a_kind_whose_test_takes_none_is_still_required(kind):
    check = event_check(required(kind, "map"))
    assert check({}) == f"'map' is missing or not {kind.noun}"
    assert check({"map": None}) == f"'map' is missing or not {kind.noun}"
    assert check({"map": {}}) is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (["a", "b"], None),
        ([], None),
        (None, None),
        (["a", 1], "'cookies' is not a list of strings"),
        ([None], "'cookies' is not a list of strings"),
        (("a",), "'cookies' is not a list of strings"),
        ("a", "'cookies' is not a list of strings"),
        ({"a": "b"}, "'cookies' is not a list of strings"),
    ],
)
def test_a_list_of_strings(value, reason):
    assert event_check(optional(kinds.STRING_LIST, "cookies"))({"cookies": value}) == reason
    required_reason = None if value is not None and reason is None else "'cookies' is missing or not a list of strings"
    assert event_check(required(kinds.STRING_LIST, "cookies"))({"cookies": value}) == required_reason


# -- the compiled check against the rules read one by one ---------------------------


def _reference(rules):
    """The rules' meaning, read one by one on each event (what the compiled check must answer)."""
    steps = [step for rule in rules for step in (rule if isinstance(rule, tuple) else (rule,))]

    def check(event):
        if type(event) is not dict:
            return "the event is not an object"
        for step in steps:
            if callable(step) and not hasattr(step, "keys"):
                reason = step(event)
                if reason is not None:
                    return reason
                continue
            value = event
            for key in step.keys:
                value = value.get(key) if type(value) is dict else None
            if step.needed and (value is None or not step.kind.test(value)):
                return step.reason
            if not step.needed and value is not None and not step.kind.test(value):
                return step.reason
        return None

    return check


def _no_version_three(event):
    return "'version' is 3" if event.get("version") == 3 else None


RULE_SETS = {
    "proxy-v1": (
        required(kinds.NAME, "httpMethod"),
        required(kinds.ABSOLUTE_PATH, "path"),
        optional(kinds.MAP("strings"), "headers"),
        optional(kinds.MAP("string lists"), "multiValueHeaders"),
        optional(kinds.STRINGS, "queryStringParameters"),
        optional(kinds.STRING, "body"),
        optional(kinds.BOOLEAN, "isBase64Encoded"),
        optional(kinds.OBJECT, "requestContext"),
    ),
    "payload-2.0": (
        required(kinds.OBJECT, "requestContext", "requestContext.http"),
        required(kinds.NAME, "requestContext.http.method"),
        required(kinds.ABSOLUTE_PATH, "rawPath"),
        optional(kinds.STRING, "requestContext.stage"),
        optional(kinds.MAP("strings"), "headers"),
        optional(kinds.STRINGS, "queryStringParameters"),
        optional(kinds.STRING_LIST, "cookies"),
    ),
    "nested-optional": (
        optional(kinds.STRING, "requestContext.stage"),
        optional(kinds.OBJECT, "requestContext.http"),
        required(kinds.STRING_LISTS, "requestContext.http.method"),
        _no_version_three,
        optional(Kind("an object or an even number", lambda value: type(value) is dict or value in (0, 2)), "requestContext"),
        required(kinds.OBJECT, "requestContext"),
        optional(kinds.STRING, "requestContext.http.path"),
    ),
}

_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 3),
    st.sampled_from(["", "GET", "/", "/a", "a", "prod"]),
    st.lists(st.sampled_from(["a", "", 1, None]), max_size=3),
    st.dictionaries(st.sampled_from(["a", "b"]), st.sampled_from(["x", 1, ["x"], None]), max_size=2),
)
#: A well-formed event of each rule set, which the test breaks here and there.
WELL_FORMED = {
    "proxy-v1": {
        "httpMethod": "GET",
        "path": "/a",
        "headers": {"a": "x"},
        "multiValueHeaders": {"a": ["x"]},
        "queryStringParameters": {"q": "1"},
        "body": "",
        "isBase64Encoded": False,
        "requestContext": {},
    },
    "payload-2.0": {
        "requestContext": {"http": {"method": "GET"}, "stage": "prod"},
        "rawPath": "/a",
        "headers": {},
        "queryStringParameters": {"q": "1"},
        "cookies": ["a=1"],
    },
    "nested-optional": {"requestContext": {"stage": "s", "http": {"method": {"a": ["x"]}, "path": "/"}}, "version": 2},
}


def _paths(value, prefix=()):
    if type(value) is dict:
        for key, item in value.items():
            yield (*prefix, key)
            yield from _paths(item, (*prefix, key))


@pytest.mark.parametrize("name", sorted(RULE_SETS))
@settings(max_examples=300, derandomize=True, deadline=None)
@given(data=st.data())
def test_the_compiled_check_answers_as_the_rules_read_one_by_one(name, data):
    event = copy.deepcopy(WELL_FORMED[name])
    for path in list(_paths(WELL_FORMED[name])):
        parent = event
        for key in path[:-1]:
            parent = parent.get(key) if type(parent) is dict else None
        if type(parent) is not dict or path[-1] not in parent:
            continue
        action = data.draw(st.sampled_from(["keep", "keep", "keep", "delete", "replace"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = data.draw(_LEAVES)
    if data.draw(st.booleans()):
        event = data.draw(_LEAVES) if data.draw(st.integers(0, 9)) == 0 else event
    rules = RULE_SETS[name]
    assert event_check(*rules)(event) == _reference(rules)(event)
