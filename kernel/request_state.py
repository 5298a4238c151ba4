"""Per-request state: the event, Lambda context and context dict of the request being resolved.

Users read them as ``app.current_event``, ``app.lambda_context`` and
``app.context`` (and through an included router). Each app keeps them in a
:class:`contextvars.ContextVar`, so two requests resolved at once, in two
threads or two asyncio tasks, each see their own; a thread or task started
by a route (``asyncio.to_thread``, ``asyncio.create_task``) sees the request
that started it.

The variable holds a *slot*, ``[state or None, thread id]``, and the state is
a list ``[event, lambda_context, context, ...]``.
``resolve_async()`` sets a new slot for its task and resets the variable
after. Sync ``resolve()`` writes its state into a slot of the current thread
and puts back what was there after: setting and resetting a context
variable on every request would cost more than the rest of its bookkeeping.
That is safe because a sync request never lets other code of its thread run
until it ends, and a slot of another thread (one inherited through a copied
context) is never written, only replaced by a new slot for this thread.

Outside any request the app's *idle* state answers: the event and Lambda
context of the last request it finished (as a Lambda function instance,
which resolves one event at a time, always showed), and the context dict
filled by ``append_context`` before ``resolve()``, which the next request
takes as its own.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

#: Where each item of a request's state is in its list ``[event, lambda_context,
#: context, ...]``: a list, not an instance with slots, because one is made on
#: every request and a list literal costs a fifth of an instance.
EVENT, LAMBDA_CONTEXT, CONTEXT = 0, 1, 2


# The slot of a context where no request of the app ever ran.
_NO_SLOT: list[Any] = [None, None]


class StateOwner:
    """The per-request state of an app: ``current_event``, ``lambda_context`` and ``context``."""

    _request_state: ContextVar[list[Any]]
    _idle: list[Any]

    def _init_state(self) -> None:
        self._request_state = ContextVar(f"kernel request of {type(self).__name__} {id(self):#x}", default=_NO_SLOT)
        self._idle = [None, None, {}]

    def _state(self) -> list[Any]:
        """The state of the request being resolved in this thread or task, else the idle state."""
        return self._request_state.get()[0] or self._idle

    def _in_request(self) -> bool:
        """Whether a request of this app is being resolved in this thread or task."""
        return self._request_state.get()[0] is not None

    @property
    def current_event(self) -> Any:
        """The request being resolved (the source's request object); outside a request, the last one."""
        return (self._request_state.get()[0] or self._idle)[EVENT]

    @current_event.setter
    def current_event(self, value: Any) -> None:
        self._state()[EVENT] = value

    @property
    def lambda_context(self) -> Any:
        """The Lambda context of the request being resolved; outside a request, the last one's."""
        return (self._request_state.get()[0] or self._idle)[LAMBDA_CONTEXT]

    @lambda_context.setter
    def lambda_context(self, value: Any) -> None:
        self._state()[LAMBDA_CONTEXT] = value

    @property
    def context(self) -> dict[str, Any]:
        """The request's context dict (``append_context``), emptied when the request ends."""
        return (self._request_state.get()[0] or self._idle)[CONTEXT]

    @context.setter
    def context(self, value: dict[str, Any]) -> None:
        self._state()[CONTEXT] = value
