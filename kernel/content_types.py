"""Common ``Content-Type`` values, as constants."""

APPLICATION_JSON = "application/json"
APPLICATION_SWAGGER_JSON = "application/vnd.oai.openapi+json"
TEXT_PLAIN = "text/plain"
#: The same as :data:`TEXT_PLAIN`, under the name earlier kernel releases used.
PLAIN_TEXT = TEXT_PLAIN
TEXT_HTML = "text/html"
