"""A stand-in for the Lambda context object, for local runs and tests."""

from __future__ import annotations

import time
import uuid


class LocalContext:
    """A stand-in for the Lambda context object, with the attributes apps read.

    :param request_id: the invocation's id (``aws_request_id``).
    :param function_name: the function's name.
    :param timeout: seconds the invocation may run; drives
        :meth:`get_remaining_time_in_millis`.
    """

    function_version = "$LATEST"
    memory_limit_in_mb = 128
    identity = None
    client_context = None
    tenant_id = None

    def __init__(self, request_id: str, function_name: str = "kernel-local", timeout: float = 30.0) -> None:
        self.aws_request_id = request_id
        self.function_name = function_name
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}"
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = time.strftime("%Y/%m/%d/[$LATEST]") + uuid.uuid4().hex
        self._deadline = time.monotonic() + timeout

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the invocation would time out (never negative)."""
        return max(0, int((self._deadline - time.monotonic()) * 1000))
