"""ISO 8601 times as the API writes them, read on every Python from 3.9."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Optional

_FRACTION = re.compile(r"\.(\d+)")


def parse_time(value: Any) -> Optional[datetime]:
    """Parses ``2026-11-21T22:44:02.1234567Z``; None stays None.

    ``datetime.fromisoformat`` before 3.11 takes neither ``Z`` nor other than 3 or 6 fraction
    digits, and .NET servers write 7.
    """
    if value is None:
        return None
    text = str(value).strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    text = _FRACTION.sub(lambda m: "." + (m.group(1) + "000000")[:6], text, count=1)
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)


def format_time(value: datetime) -> str:
    """Writes a time in UTC with a ``Z``, as the API documents them; a naive time is taken as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    text = value.astimezone(timezone.utc).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")
