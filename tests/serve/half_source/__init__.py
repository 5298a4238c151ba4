"""A third-party event source whose ``local`` module lacks ``http_from_response``."""

plugin_name = "half"
