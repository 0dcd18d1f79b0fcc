import sys
import types
import unittest
from contextlib import contextmanager

from support import AGENT_KEY, ClientTestCase, Reply

from portcullis import PortcullisClient

TRACE_ID = 0x4BF92F3577B34DA6A3CE929D0E0E4736
SPAN_ID = 0x00F067AA0BA902B7


@contextmanager
def current_span(trace_id: int, valid: bool = True):
    """Stands in for opentelemetry-api with one current span (the SDK imports it lazily, only if installed)."""
    context = types.SimpleNamespace(trace_id=trace_id, span_id=SPAN_ID, trace_flags=1, is_valid=valid)
    span = types.SimpleNamespace(get_span_context=lambda: context)
    package = types.ModuleType("opentelemetry")
    trace = types.ModuleType("opentelemetry.trace")
    trace.get_current_span = lambda: span
    package.trace = trace
    saved = {name: sys.modules.get(name) for name in ("opentelemetry", "opentelemetry.trace")}
    sys.modules.update({"opentelemetry": package, "opentelemetry.trace": trace})
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


class TraceTest(ClientTestCase):
    def test_the_current_opentelemetry_span_is_sent_as_traceparent(self):
        self.server.reply(Reply(201, {"runId": "run_1", "status": "running"}))
        with current_span(TRACE_ID):
            self.client.start_run("t")
        self.assertEqual(f"00-{TRACE_ID:032x}-{SPAN_ID:016x}-01", self.server.received[0].headers["traceparent"])

    def test_no_traceparent_without_a_valid_span_or_when_turned_off(self):
        self.server.reply(Reply(201, {"runId": "run_1", "status": "running"}), Reply(201, {"runId": "run_2", "status": "running"}))
        with current_span(TRACE_ID, valid=False):
            self.client.start_run("t")
        with current_span(TRACE_ID):
            PortcullisClient(self.server.url, AGENT_KEY, traceparent=None).start_run("t")
        self.assertEqual([None, None], [r.headers.get("traceparent") for r in self.server.received])


if __name__ == "__main__":
    unittest.main()
