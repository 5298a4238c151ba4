"""ALB's limit on the size of a Lambda target's response, checked when an app asks for it.

An Application Load Balancer refuses (``502``) a Lambda response larger than
1 MiB, measured on the JSON text the Lambda runtime sends it. ``ALBResolver(
enable_response_size_validation=True)`` adds :class:`ResponseSizeLimit` to
its app: each response dict is then measured as the runtime would write it,
and one over the limit raises
:class:`~kernel.exceptions.ResponseSizeExceededError`, which the app's
exception handler for it may answer with something smaller (measured in turn).
An app without the setting does not have this plugin, so it pays nothing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Generator
from typing import Any

from kernel.plugin_api import ResponseSizeExceededError, hookimpl

#: The largest response a load balancer takes from a Lambda target, in bytes.
ALB_MAX_RESPONSE_SIZE = 1024 * 1024

_RUNTIME = "AWS_Lambda_python3."


def runtime_escapes_unicode() -> bool:
    """Whether the Lambda runtime writes non-ASCII characters as ``\\uXXXX`` escapes.

    AWS's Python runtimes from 3.12 on send them as UTF-8; older ones, and
    anything not named as a managed Python runtime in ``AWS_EXECUTION_ENV``
    (a custom runtime, a test), escape them. Read on every call, as the
    variable is the runtime's to set.
    """
    runtime = os.environ.get("AWS_EXECUTION_ENV", "")
    minor = runtime[len(_RUNTIME) :] if runtime.startswith(_RUNTIME) else ""
    return not (minor.isascii() and minor.isdigit() and int(minor) >= 12)


def serialised_size(response: dict[str, Any]) -> int:
    """The size in bytes of ``response`` as the Lambda runtime serialises it (``json.dumps``' default separators)."""
    text = json.dumps(response, ensure_ascii=runtime_escapes_unicode())
    # A lone surrogate cannot be sent at all; count it rather than fail here.
    return len(text.encode("utf-8", "surrogatepass"))


class ResponseSizeLimit:
    """A plugin measuring each finished response dict against ``max_size`` bytes."""

    def __init__(self, max_size: int = ALB_MAX_RESPONSE_SIZE) -> None:
        self.max_size = max_size

    def __repr__(self) -> str:
        return f"<ResponseSizeLimit {self.max_size} bytes>"

    @hookimpl(wrapper=True)
    def build_response(self, app: Any, request: Any, route: Any, response: Any) -> Generator[None, Any, Any]:
        """Raise ResponseSizeExceededError when the dict the other implementations built is too large."""
        result = yield
        if result is not None:
            size = serialised_size(result)
            if size > self.max_size:
                raise ResponseSizeExceededError(actual_size=size, max_size=self.max_size)
        return result
