"""The wait loop on the server's long-poll, shared by approvals and workflow runs."""

from __future__ import annotations

import math
import time
from typing import Callable, TypeVar

T = TypeVar("T")

#: The server holds a long-poll for at most this many seconds.
MAX_WAIT_SECONDS = 60


def wait_until(fetch: Callable[[int], T], settled: Callable[[T], bool], timeout: float, poll_interval: float) -> T:
    """Long-polls with ``fetch(wait_seconds)`` (at most 60 s each, never past the deadline) until
    ``settled`` holds or ``timeout`` seconds are up, and returns the last answer either way."""
    if timeout < 0 or poll_interval < 0:
        raise ValueError("timeout and poll_interval must be >= 0")
    deadline = time.monotonic() + timeout
    while True:
        wait_seconds = min(MAX_WAIT_SECONDS, max(0, math.floor(deadline - time.monotonic())))
        answer = fetch(wait_seconds)
        left = deadline - time.monotonic()
        if settled(answer) or left <= 0:
            return answer
        time.sleep(min(poll_interval, left))
