"""The OAuth2 settings Swagger UI's "Authorize" dialog starts with."""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from typing import Any

# The same switch as the kernel's debug mode (kernel.app.DEBUG_ENV): a client
# secret may only reach a browser on a developer's machine.
_DEV_ENV = "POWERTOOLS_DEV"
_TRUTHY = {"1", "true", "yes", "on"}


def _dev_mode() -> bool:
    return os.environ.get(_DEV_ENV, "").strip().lower() in _TRUTHY


class OAuth2Config:
    """Settings for Swagger UI's OAuth2 login (its ``initOAuth`` call).

    :param app_name: the application name shown in the authorization dialog.
    :param client_id: the OAuth2 client id filled into the dialog.
    :param client_secret: the client secret filled into the dialog. Anyone who
        opens the page can read it, so it is refused unless ``POWERTOOLS_DEV``
        is set (development only), and warned about when it is.
    :param realm: the realm query parameter added to the authorization and
        token URLs.
    :param scopes: scopes selected by default.
    :param additional_query_string_params: extra query parameters added to the
        authorization URL.
    :param use_basic_authentication_with_access_code_grant: send the client
        credentials as HTTP Basic authentication in the access code flow.
    :param use_pkce_with_authorization_code_grant: use PKCE in the
        authorization code flow (recommended for browser clients).
    :param extra: any other ``initOAuth`` option, passed to Swagger UI as
        given (camelCase, as Swagger UI names it).
    :raises ValueError: for a client secret outside development mode.
    """

    # Our keyword -> the name Swagger UI's initOAuth gives the same setting.
    _OPTION_NAMES = {
        "client_id": "clientId",
        "client_secret": "clientSecret",
        "realm": "realm",
        "app_name": "appName",
        "scopes": "scopes",
        "additional_query_string_params": "additionalQueryStringParams",
        "use_basic_authentication_with_access_code_grant": "useBasicAuthenticationWithAccessCodeGrant",
        "use_pkce_with_authorization_code_grant": "usePkceWithAuthorizationCodeGrant",
    }

    def __init__(
        self,
        *,
        app_name: str,
        client_id: str | None = None,
        client_secret: str | None = None,
        realm: str | None = None,
        scopes: Sequence[str] = (),
        additional_query_string_params: dict[str, str] | None = None,
        use_basic_authentication_with_access_code_grant: bool = False,
        use_pkce_with_authorization_code_grant: bool = False,
        **extra: Any,
    ) -> None:
        if client_secret is not None:
            if not _dev_mode():
                raise ValueError(
                    "OAuth2Config: client_secret would be readable by anyone who opens the Swagger page;"
                    f" it is only allowed when {_DEV_ENV} is set (development)"
                )
            warnings.warn(
                f"OAuth2Config: client_secret is embedded in the Swagger page because {_DEV_ENV} is set;"
                " never deploy it like this",
                stacklevel=2,
            )
        self.app_name = app_name
        self.client_id = client_id
        self.client_secret = client_secret
        self.realm = realm
        self.scopes = list(scopes)
        self.additional_query_string_params = dict(additional_query_string_params or {})
        self.use_basic_authentication_with_access_code_grant = use_basic_authentication_with_access_code_grant
        self.use_pkce_with_authorization_code_grant = use_pkce_with_authorization_code_grant
        self.extra = extra

    def init_oauth_options(self) -> dict[str, Any]:
        """The options object passed to Swagger UI's ``initOAuth``.

        Settings left at their default are left out, so Swagger UI applies its
        own default (which is the same).
        """
        options: dict[str, Any] = {}
        for attribute, option in self._OPTION_NAMES.items():
            value = getattr(self, attribute)
            if value is None or value is False or value == [] or value == {}:
                continue
            options[option] = value
        options.update(self.extra)
        return options

    def __repr__(self) -> str:
        shown = {key: value for key, value in self.init_oauth_options().items() if key != "clientSecret"}
        return f"OAuth2Config({shown!r})"
