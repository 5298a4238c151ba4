"""Declared event checks: the reasons they give, in order, and the rules that are functions."""

from __future__ import annotations

import pytest

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
