"""OAuth2Config refuses a client secret outside development and warns inside it, as Powertools does."""

import warnings

import pytest
from aws_lambda_powertools.event_handler.openapi.swagger_ui.oauth2 import OAuth2Config as PowertoolsOAuth2Config
from kernel_swagger import OAuth2Config


@pytest.mark.parametrize("config", [OAuth2Config, PowertoolsOAuth2Config])
def test_a_client_secret_outside_development_is_a_value_error_on_both(monkeypatch, config):
    monkeypatch.delenv("POWERTOOLS_DEV", raising=False)
    with pytest.raises(ValueError, match="client_secret"):
        config(app_name="Shop", client_id="web", client_secret="s3cret")


@pytest.mark.parametrize("config", [OAuth2Config, PowertoolsOAuth2Config])
def test_a_client_secret_in_development_warns_on_both(monkeypatch, config):
    monkeypatch.setenv("POWERTOOLS_DEV", "true")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        config(app_name="Shop", client_id="web", client_secret="s3cret")
    assert any("client_secret" in str(warning.message) for warning in caught)


@pytest.mark.parametrize("config", [OAuth2Config, PowertoolsOAuth2Config])
def test_without_a_secret_neither_warns(monkeypatch, config):
    monkeypatch.delenv("POWERTOOLS_DEV", raising=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        config(app_name="Shop", client_id="web", scopes=["read"], use_pkce_with_authorization_code_grant=True)
