"""Common ``Content-Type`` values, as constants."""

APPLICATION_JSON = "application/json"
APPLICATION_SWAGGER_JSON = "application/vnd.oai.openapi+json"
PLAIN_TEXT = "text/plain"
TEXT_HTML = "text/html"
