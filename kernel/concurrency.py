"""Running sync and async code together: what the request path needs from asyncio.

A route, middleware or exception handler is *async* when it is an
``async def`` function (:func:`kernel.middleware.is_async` tells). Sync ``resolve()`` runs an async piece to completion
(:func:`run_to_completion`); ``resolve_async()`` runs a sync middleware that
wraps async code in a thread of its own (:func:`in_new_thread`), so that it
may block on the rest of the chain while the event loop runs it.

Only the standard library is imported here, and asyncio only when first used.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")

#: How :func:`kernel.resolution.resolve_async` may run the sync part of a
#: request elsewhere (a worker thread): ``await offload(function, *args)``.
Offload = Callable[..., Awaitable[Any]]


def run_to_completion(awaitable: Awaitable[T]) -> T:
    """Wait for ``awaitable`` from sync code, with the caller's context variables.

    With no event loop running in this thread, on a new loop here; when one
    runs (sync ``resolve()`` called from a coroutine), on a new loop in a
    thread of its own, since this thread's loop cannot be re-entered.
    """
    import asyncio

    async def wait() -> T:
        return await awaitable

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(wait())
    context = contextvars.copy_context()
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append((True, context.run(asyncio.run, wait())))
        except BaseException as exc:  # handed to the caller's thread, re-raised there
            outcome.append((False, exc))

    thread = threading.Thread(target=run, name="kernel-run-to-completion", daemon=True)
    thread.start()
    thread.join()
    ok, value = outcome[0]
    if ok:
        return value
    raise value


async def in_new_thread(function: Callable[..., T], *args: Any) -> T:
    """Await ``function(*args)`` run in a new thread, with the caller's context variables.

    A new thread, not a pool's: the function may block waiting for the event
    loop to run other coroutines that need a thread of their own (a sync
    middleware whose next link is async), and a bounded pool could then be
    exhausted by waiters and never free a worker.
    """
    import asyncio

    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()
    context = contextvars.copy_context()

    def settle(ok: bool, value: Any) -> None:
        if future.done():  # the waiter was cancelled
            return
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)

    def run() -> None:
        try:
            result = context.run(function, *args)
        except BaseException as exc:  # handed to the awaiting task
            loop.call_soon_threadsafe(settle, False, exc)
        else:
            loop.call_soon_threadsafe(settle, True, result)

    threading.Thread(target=run, name="kernel-sync-middleware", daemon=True).start()
    return await future


def offload_to(executor: Any) -> Offload:
    """An :data:`Offload` running the function in ``executor`` (a ``concurrent.futures`` executor) with the caller's context."""
    import asyncio

    async def offload(function: Callable[..., T], *args: Any) -> T:
        context = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(executor, context.run, function, *args)

    return offload
