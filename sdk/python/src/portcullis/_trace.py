"""The caller's trace context, sent as a W3C ``traceparent`` so the server's spans join the caller's trace."""

from __future__ import annotations

from typing import Callable, Optional

#: Gives the ``traceparent`` to send with a call, or ``None`` to send none.
TraceparentSource = Callable[[], Optional[str]]


def active_traceparent() -> Optional[str]:
    """The ``traceparent`` of the current OpenTelemetry span, when ``opentelemetry-api`` is installed and a valid span
    is current; ``None`` otherwise. The SDK stays stdlib-only: OpenTelemetry is used only if the application has it."""
    try:
        from opentelemetry import trace  # type: ignore[import-not-found]
    except ImportError:
        return None
    context = trace.get_current_span().get_span_context()
    if not getattr(context, "is_valid", False) or not context.trace_id or not context.span_id:
        return None
    flags = "01" if int(getattr(context, "trace_flags", 0)) & 1 else "00"
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{flags}"
