"""The pieces of the Swagger page: script-safe JSON, the inline-script check, the packaged assets, OAuth2Config."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest
from kernel_swagger import OAuth2Config, page

# -- json_for_script ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("</script>", "\\u003c/script\\u003e"),
        ("<!-- x -->", "\\u003c!-- x --\\u003e"),
        ("a & b", "a \\u0026 b"),
        ("line\u2028para\u2029end", "line\\u2028para\\u2029end"),
        ("plain text", "plain text"),
    ],
)
def test_json_for_script_escapes_what_html_or_old_javascript_would_misread(text, expected):
    document = json.dumps({"description": text}, ensure_ascii=False)

    escaped = page.json_for_script(document)

    assert escaped == '{"description": "' + expected + '"}'
    assert json.loads(escaped) == {"description": text}


def test_json_for_script_output_holds_no_markup_at_all():
    nasty = {"a</script><script>alert(1)</script>": ["<!--", "-->", "<\u2028>", "</SCRIPT >"]}

    escaped = page.json_for_script(json.dumps(nasty, ensure_ascii=False))

    assert not set("<>&\u2028\u2029") & set(escaped)
    assert json.loads(escaped) == nasty
    assert page.inline_script_problem(escaped) is None


# -- inline_script_problem --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "var a = 1;",
        "if (a</b) {}",  # "</" not followed by "script"
        "x = '</scripts>';",  # another tag name
        "re = /<!--/; end = /-->/;",  # an HTML comment opened and closed
        "s = '<!-- <script> -->';",  # double-escaped, then closed by -->
        "s = '<!-- <script></script> -->';",
        "s = '<!---->' + '<script>';",  # the comment closed before <script
    ],
)
def test_inline_script_problem_accepts_text_the_parser_keeps_inside(text):
    assert page.inline_script_problem(text) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("s = '</script>';", "would end the script element"),
        ("s = '</SCRIPT >';", "would end the script element"),
        ("s = '</script/';", "would end the script element"),
        ("s = '<!-- </script>';", "would end the script element"),
        ("s = '<!-->' + '</script>';", "would end the script element"),
        ("s = '<!-- <script>';", "unclosed '<!-- <script'"),
        ("s = '<!-- <script> </script>' + '<script>';", "unclosed '<!-- <script'"),
        ("s = '</script", "would end the script element"),
    ],
)
def test_inline_script_problem_names_text_that_escapes_or_traps_the_element(text, reason):
    problem = page.inline_script_problem(text)

    assert problem is not None
    assert reason in problem


# -- the packaged assets -----------------------------------------------------------


def test_packaged_assets_come_from_a_pinned_swagger_ui_5_with_their_licence():
    assets = resources.files("kernel_swagger").joinpath("assets")
    version = assets.joinpath("VERSION").read_text(encoding="utf-8")

    assert "package = swagger-ui-dist\n" in version
    assert re.search(r"^version = 5\.\d+\.\d+$", version, re.MULTILINE)
    assert re.search(r"^integrity = sha512-\S+$", version, re.MULTILINE)
    assert page.assets_version().startswith("5.")
    assert "Apache License" in assets.joinpath("LICENSE").read_text(encoding="utf-8")
    assert "SmartBear" in assets.joinpath("NOTICE").read_text(encoding="utf-8")
    assert assets.joinpath("swagger-ui-bundle.js.LICENSE.txt").is_file()


def test_the_oauth2_redirect_script_can_be_inlined_and_the_others_are_swagger_ui():
    # Only the redirect script is written into a page; the bundle and the
    # stylesheet are served as files of their own (see test_assets.py).
    assert page.inline_script_problem(page.asset(page.OAUTH2_REDIRECT_JS)) is None
    assert "SwaggerUIBundle" in page.asset(page.BUNDLE_JS)
    assert ".swagger-ui" in page.asset(page.STYLESHEET)


def test_assets_are_read_once():
    page.asset.cache_clear()
    page.asset(page.STYLESHEET)
    page.asset(page.STYLESHEET)

    assert page.asset.cache_info().misses == 1
    assert page.asset.cache_info().hits == 1


# -- OAuth2Config -----------------------------------------------------------------


def test_oauth2_config_gives_swagger_ui_only_the_settings_that_were_set():
    config = OAuth2Config(app_name="Bookstore", client_id="abc")

    assert config.init_oauth_options() == {"clientId": "abc", "appName": "Bookstore"}


def test_oauth2_config_names_every_setting_as_swagger_ui_does():
    config = OAuth2Config(
        app_name="Bookstore",
        client_id="abc",
        realm="books",
        scopes=["read", "write"],
        additional_query_string_params={"audience": "api"},
        use_basic_authentication_with_access_code_grant=True,
        use_pkce_with_authorization_code_grant=True,
        scopeSeparator=",",
    )

    assert config.init_oauth_options() == {
        "clientId": "abc",
        "realm": "books",
        "appName": "Bookstore",
        "scopes": ["read", "write"],
        "additionalQueryStringParams": {"audience": "api"},
        "useBasicAuthenticationWithAccessCodeGrant": True,
        "usePkceWithAuthorizationCodeGrant": True,
        "scopeSeparator": ",",
    }


def test_oauth2_config_needs_an_app_name():
    with pytest.raises(TypeError):
        OAuth2Config(client_id="abc")  # type: ignore[call-arg]


@pytest.mark.parametrize("value", [None, "", "0", "false"])
def test_oauth2_config_refuses_a_client_secret_outside_development(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("POWERTOOLS_DEV", raising=False)
    else:
        monkeypatch.setenv("POWERTOOLS_DEV", value)

    with pytest.raises(ValueError, match="client_secret") as caught:
        OAuth2Config(app_name="Bookstore", client_secret="s3cret")
    assert "s3cret" not in str(caught.value)


def test_oauth2_config_allows_a_client_secret_in_development_with_a_warning(monkeypatch):
    monkeypatch.setenv("POWERTOOLS_DEV", "true")

    with pytest.warns(UserWarning, match="client_secret"):
        config = OAuth2Config(app_name="Bookstore", client_secret="s3cret")

    assert config.init_oauth_options() == {"clientSecret": "s3cret", "appName": "Bookstore"}
    assert "s3cret" not in repr(config)
