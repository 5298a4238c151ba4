"""A third-party plugin that is no :class:`~kernel.plugin_api.Source` at all: it cannot be served over HTTP."""

plugin_name = "bare"
