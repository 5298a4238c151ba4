"""A third-party event source without a ``local`` module: it cannot be served over HTTP."""

plugin_name = "bare"
