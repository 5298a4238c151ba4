"""The built-in route matcher, registered in every app as a plugin.

It answers ``match_route`` from the app's compiled :class:`~kernel.routing.RouteTable`.
A plugin that wants other matching rules implements ``match_route`` with
``tryfirst=True`` and returns its own result before this one runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.hookspecs import hookimpl

if TYPE_CHECKING:
    from kernel.app import BaseApp
    from kernel.request import BaseRequest
    from kernel.routing import Route


@hookimpl
def match_route(app: BaseApp, method: str, path: str, request: BaseRequest) -> tuple[Route, dict[str, str]] | None:
    """Look the request up in the app's route table.

    It takes every argument of the hook, ``request`` unused, so the prepared
    per-request path calls it directly, with no adapter selecting arguments.
    """
    return app.route_table.match(method, path)
