"""``method_not_allowed=True`` under hostile methods and paths: a 405 with only the route's methods, or the route itself."""

import pytest

from tests.behaviour.test_method_not_allowed import NOT_ALLOWED, NOT_FOUND, items_app
from tests.sources import supporting

HOSTILE_METHODS = ["patch", "Delete", "FOO", "PROPFIND", "X" * 100_000, "GET\r\nX-Injected: 1", "G\u00c9T"]


@pytest.mark.parametrize("source", supporting("response_headers"), ids=str)
@pytest.mark.parametrize("method", HOSTILE_METHODS, ids=lambda method: repr(method[:12]))
def test_a_hostile_method_on_a_known_path_is_a_405_whose_allow_names_only_the_routes(source, method):
    response = source.client(items_app(source)).request(method, "/items")

    assert (response.status_code, response.json()) == (405, NOT_ALLOWED)
    assert response.headers.get_list("Allow") == ["GET, POST"]
    assert "X-Injected" not in response.headers


def test_a_lower_case_method_reaches_its_route_as_in_powertools(source):
    client = source.client(items_app(source))

    assert client.request("get", "/items/7").json() == {"did": "get", "id": "7"}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/items/" + "x" * 100_000, (405, NOT_ALLOWED)),
        ("/items/%00%ff", (405, NOT_ALLOWED)),
        ("/items/\u00e9t\u00e9", (405, NOT_ALLOWED)),
        # Characters no path parameter matches (as in Powertools' pattern): no rule matches, so 404.
        ("/items/\U0001f600", (404, NOT_FOUND)),
        ("/items/7/../special", (404, NOT_FOUND)),
        ("/" + "/" * 5_000, (404, NOT_FOUND)),
        ("/nothing/" + "y" * 100_000, (404, NOT_FOUND)),
    ],
)
def test_hostile_paths_get_a_405_only_where_a_rule_matches(source, path, expected):
    response = source.client(items_app(source)).request("PATCH", path)

    assert (response.status_code, response.json()) == expected
