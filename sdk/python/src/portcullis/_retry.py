"""How long to wait before a retry."""

from __future__ import annotations

import random
import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Callable, Optional

_BASE_DELAY = 0.5
_MAX_BACKOFF = 8.0
#: A longer ``Retry-After`` is not waited out inside a call: the error goes to the caller, who can plan.
MAX_RETRY_AFTER = 60.0


def parse_retry_after(header: Optional[str], now: Optional[datetime] = None) -> Optional[float]:
    """Reads ``Retry-After`` as seconds: delta-seconds or an HTTP date. None when absent or unreadable."""
    if header is None:
        return None
    text = header.strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    wait = (when - (now or datetime.now(timezone.utc))).total_seconds()
    return float(max(0, int(-(-wait // 1))))


def retry_delay(attempt: int, retry_after: Optional[float], rand: Callable[[], float] = random.random) -> Optional[float]:
    """Seconds to wait before retry number ``attempt + 1`` (attempts count from 0).

    None when the server asked for a longer pause than a call should block for. Without
    ``Retry-After``: exponential backoff with jitter, so clients that failed together do not
    come back together.
    """
    if retry_after is not None:
        return retry_after if retry_after <= MAX_RETRY_AFTER else None
    backoff = min(_MAX_BACKOFF, _BASE_DELAY * 2**attempt)
    return backoff / 2 + rand() * backoff / 2
