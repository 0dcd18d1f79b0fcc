"""Test support: puts the package on the path (tests need no install) and fakes the Portcullis API."""

from __future__ import annotations

import json
import os
import queue
import socket
import sys
import threading
import time
import unittest
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))

from portcullis import PortcullisClient  # noqa: E402

AGENT_KEY = "pk_live_test_0123456789"


@dataclass
class Received:
    """What the fake server received."""

    method: str
    path: str
    headers: Dict[str, str]
    body: Any


@dataclass
class Reply:
    """How the fake server answers one request."""

    status: int = 200
    #: Sent as JSON unless it is a str.
    body: Any = None
    headers: Dict[str, str] = field(default_factory=dict)
    #: Seconds to wait before answering: slow servers and long-polls.
    delay: float = 0.0
    #: Drop the connection without an answer.
    reset: bool = False


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out has hung up before a slow reply: expected here, not worth a traceback.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class FakeServer:
    """A local HTTP server in a thread that records every request and answers from a queue."""

    def __init__(self) -> None:
        self.received: List[Received] = []
        self._replies: "queue.Queue[Reply]" = queue.Queue()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                fake._handle(self)

            do_POST = do_GET

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        # A short poll interval keeps shutdown, once per test, quick.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def reply(self, *replies: Reply) -> "FakeServer":
        for reply in replies:
            self._replies.put(reply)
        return self

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        self.received.append(Received(handler.command, handler.path, {k.lower(): v for k, v in handler.headers.items()}, json.loads(raw) if raw else None))
        try:
            reply = self._replies.get_nowait()
        except queue.Empty:
            reply = Reply(status=599, body={"detail": "the test queued no reply"})
        time.sleep(reply.delay)
        if reply.reset:
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)
            return
        text = reply.body if isinstance(reply.body, str) else ("" if reply.body is None else json.dumps(reply.body))
        payload = text.encode("utf-8")
        handler.send_response(reply.status)
        content_type = "text/html" if isinstance(reply.body, str) else ("application/problem+json" if reply.status >= 400 else "application/json")
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(payload)))
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(payload)


class ClientTestCase(unittest.TestCase):
    """A fresh fake server and a client pointed at it, per test."""

    def setUp(self) -> None:
        self.server = FakeServer()
        self.addCleanup(self.server.close)
        self.client = PortcullisClient(self.server.url, AGENT_KEY)

    def impatient_client(self) -> PortcullisClient:
        """A client whose time-out a delayed reply exceeds quickly."""
        return PortcullisClient(self.server.url, AGENT_KEY, timeout=0.3)


def problem(status: int, code: str, detail: str, **extra: Any) -> Dict[str, Any]:
    return {"type": f"https://portcullis.dev/problems/{code}", "title": code, "status": status, "code": code, "detail": detail, **extra}


#: ``Retry-After: 0`` makes a retry immediate, so the tests do not wait out real backoff.
UNAVAILABLE = Reply(503, problem(503, "unavailable", "try again"), {"Retry-After": "0"})


CARD_DECLINED = {"code": "card_declined", "message": "Your card was declined.", "provider_status": 402, "provider_request_id": "req_1"}


def execution(status: str = "executed", error: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    return {
        "id": "exe_1", "status": status, "provider": "stripe", "action_type": "refund.create", "attempts": 1,
        "simulated": True, "started_at": "2026-11-21T22:44:02.123Z", "completed_at": "2026-11-21T22:44:02.4567891Z",
        "error": error, "response_payload": {"id": "re_1", "object": "refund", "amount": 7999},
    }


def action_answer(decision: str, **extra: Any) -> Dict[str, Any]:
    return {
        "decision": decision, "reason": "because", "actionRequestId": "act_1",
        "matchedPolicies": [{"id": "pol_1", "name": "small refunds", "decision": decision, "reason": "because", "priority": 0}],
        **extra,
    }


def approval(status: str = "pending", **extra: Any) -> Dict[str, Any]:
    decided = status != "pending"
    return {
        "id": "apr_1", "status": status, "actionRequestId": "act_1", "runId": "run_1", "actionType": "refund.create",
        "provider": "stripe", "approvalsRequired": 1, "approvalsReceived": 1 if status == "approved" else 0,
        "createdAt": "2026-11-21T22:44:02.123Z", "expiresAt": "2026-11-22T22:44:02.123Z",
        "decidedAt": "2026-11-21T23:00:00Z" if decided else None, "comment": None,
        "decidedBy": "usr_1" if decided else None, "policyRevision": 12, **extra,
    }


def run(status: str = "completed") -> Dict[str, Any]:
    return {
        "runId": "run_1", "status": status, "agentId": "agt_1", "triggerType": "support-ticket", "externalRef": "TKT-1042",
        "agentVersion": None, "triggeredBy": None, "startedAt": "2026-11-21T22:44:02.123Z", "endedAt": "2026-11-21T22:45:02.123Z",
    }


def workflow_step(step_id: str, status: str, decision: Optional[str], approval_request_id: Optional[str] = None, **extra: Any) -> Dict[str, Any]:
    return {
        "id": step_id, "name": f"step {step_id}", "actionType": "http.request", "status": status,
        "actionRequestId": f"act_{step_id}", "decision": decision, "approvalRequestId": approval_request_id,
        "input": {"orderId": "ord_1"}, "output": None, "error": None,
        "startedAt": "2026-12-03T10:00:00.100Z", "completedAt": None, **extra,
    }


def workflow_run(status: str = "awaiting_approval", **extra: Any) -> Dict[str, Any]:
    """A looked-up order and a refund: by default the refund waits for approval ``apr_1``."""
    return {
        "id": "wfr_1", "workflowId": "wf_1", "workflowName": "Refund flow", "version": 3, "runId": "run_1",
        "status": status, "input": {"orderId": "ord_1"}, "error": None,
        "createdAt": "2026-12-03T10:00:00.000Z", "completedAt": None,
        "steps": [
            workflow_step("lookup", "completed", "allow", output={"status": 200}, completedAt="2026-12-03T10:00:00.300Z"),
            workflow_step("refund", "awaiting_approval", "require_approval", "apr_1"),
        ],
        **extra,
    }
