"""The support agent refund flow of docs/sdks.md, with the Python SDK.

Opens a run, logs what the agent did, asks Portcullis for the refund, acts on each of the four
decisions, logs the outcome and always ends the run. Prints one line per step; the last line is a
JSON summary. Run from the repository root: PYTHONPATH=sdk/python/src python3 samples/python/refund_agent.py
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from typing import Any, Dict, Optional, Tuple
from urllib.parse import urljoin

from portcullis import (
    ActionResult,
    Allowed,
    ApprovalRequired,
    Blocked,
    Execution,
    PortcullisClient,
    PortcullisError,
    RunEvent,
)


def env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        print(f"set {name}", file=sys.stderr)
        sys.exit(2)
    return value


portcullis = PortcullisClient(env("PORTCULLIS_BASE_URL"), env("PORTCULLIS_AGENT_KEY"))
ticket = {"id": os.environ.get("TICKET_ID", "TKT-1042"), "tier": "premium", "message": "My blender arrived broken."}
amount = int(os.environ.get("REFUND_AMOUNT", "7999"))  # cents: $79.99
approval_timeout = float(os.environ.get("APPROVAL_TIMEOUT_SECONDS", "60"))
summary: Dict[str, Any] = {"runId": None, "decision": None, "finalStatus": None}

#: How the run ends (a final status, or left open while an approval is pending) and the ticket's outcome.
Outcome = Tuple[str, str]


class RunLog:
    """The run's timeline as this agent writes it: sequence numbers from 2 (1 is the server's run.started)."""

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        self._next_seq = 2

    def add(self, event_type: str, payload: Dict[str, Any]) -> None:
        seq = self._next_seq
        self._next_seq += 1
        portcullis.log_events(self.run_id, [RunEvent(event_type, seq, payload)])
        print(f"logged {event_type} (seq {seq})")


def main() -> int:
    sys.stdout.reconfigure(line_buffering=True)  # one line per step, even into a pipe
    run_log: Optional[RunLog] = None
    ending: Outcome = ("failed", "refund_failed")  # what an exception leaves behind
    exit_code = 0
    try:
        run = portcullis.start_run("support-ticket", external_ref=ticket["id"], agent_version="1.0.0")
        run_log = RunLog(run.run_id)
        summary["runId"] = run.run_id
        print(f"run started: {run.run_id} ({run.status})")

        run_log.add("context.retrieved", {"source": "knowledge-base", "query": ticket["message"], "documentsFound": 3})
        run_log.add("intent.classified", {"intent": "refund-request", "confidence": 0.95})

        result = portcullis.request_action(
            run.run_id,
            "refund.create",
            {"charge": "ch_3OabcEXAMPLE", "amount": amount, "reason": "requested_by_customer", "metadata": {"ticket_id": ticket["id"]}},
            provider="stripe",
            resource_type="charge",
            resource_id="ch_3OabcEXAMPLE",
            evidence={"confidence": 0.95, "customerTier": ticket["tier"]},
        )
        summary["decision"] = result.decision
        print(f"refund.create of {amount} for {ticket['id']}: {result.decision} ({result.reason})")

        ending = handle(result, run_log)
        outcome_event = "ticket.resolved" if ending[1] == "refunded" else "ticket.escalated"
        run_log.add(outcome_event, {"ticketId": ticket["id"], "outcome": ending[1]})
    except Exception as error:  # the sample reports every failure, then ends the run as failed
        report(error)
        exit_code = 1
    finally:
        if run_log and ending[0] != "awaiting_approval" and not end(run_log.run_id, ending[0]):
            exit_code = 1
        summary["finalStatus"] = ending[0] if run_log else None
        print(json.dumps(summary, separators=(",", ":")))
    return exit_code


def handle(result: ActionResult, run_log: RunLog) -> Outcome:
    if isinstance(result, Allowed):  # allow or allow_with_alert
        if result.with_alert:
            print("allowed with an alert: the team has been notified")
        return executed(result.execution, run_log)
    if isinstance(result, ApprovalRequired):
        approval_id = result.approval_request_id
        summary["approvalRequestId"] = approval_id
        print(f"approval requested: {approval_id}")
        print(f"waiting up to {approval_timeout:g} s for a human: approve or reject it at "
              f"{urljoin(env('PORTCULLIS_BASE_URL'), '/approvals/' + approval_id)}")
        run_log.add("action.pending", {"approvalRequestId": approval_id})
        approval = portcullis.wait_for_approval(approval_id, timeout=approval_timeout)
        summary["approvalStatus"] = approval.status
        if approval.status == "approved":
            print(f"approval approved by {approval.decided_by or 'an approver'}")
            return executed(approval.execution, run_log)
        if approval.is_pending:
            print("approval still pending: the run stays awaiting_approval")
            return ("awaiting_approval", "awaiting_approval")
        print(f"approval {approval.status}" + (f": {approval.comment}" if approval.comment else ""))
        run_log.add("action.rejected", {"approvalRequestId": approval_id, "status": approval.status, "comment": approval.comment})
        return ("blocked", f"refund_{approval.status}")
    if isinstance(result, Blocked):
        print(f"blocked: {result.reason}")
        run_log.add("action.blocked", {"reason": result.reason, "policies": [p.name for p in result.matched_policies]})
        return ("blocked", "refund_blocked")
    raise AssertionError(f"unexpected decision {result.decision}")


def executed(execution: Optional[Execution], run_log: RunLog) -> Outcome:
    """An allowed action ran through the connector, which either executed it or failed."""
    summary["executionStatus"] = execution.status if execution else None
    logged = dataclasses.asdict(execution) if execution else None  # datetimes are sent as ISO 8601
    if execution and not execution.succeeded:
        error = execution.error
        summary["executionError"] = error.code if error else None
        print(f"connector failed: {error.code if error else 'error'}: {error.message if error else 'no details'}")
        run_log.add("action.failed", {"execution": logged})
        return ("failed", "refund_failed")
    refund = execution.response_payload if execution and isinstance(execution.response_payload, dict) else {}
    print(f"refund executed: {refund.get('id', 'no refund id')}" + (" (simulated)" if execution and execution.simulated else ""))
    run_log.add("action.completed", {"execution": logged})
    return ("completed", "refunded")


def end(run_id: str, status: str) -> bool:
    """Ends the run; a run that has already ended is fine. False when the run could not be ended."""
    try:
        run = portcullis.end_run(run_id, status)
        print(f"run ended: {run.status}")
        return True
    except PortcullisError as error:
        if error.code == "run_ended":
            print("run had already ended")
            return True
        report(error)
        return False


def report(error: Exception) -> None:
    if not isinstance(error, PortcullisError):
        summary["error"] = {"message": str(error)}
        print(f"error: {error!r}")
        return
    summary["error"] = {"status": error.status, "code": error.code, "isUnauthorized": error.is_unauthorized}
    if error.is_unauthorized:
        print("unauthorized: the agent key is missing, unknown or revoked; create a new key in the dashboard")
    else:
        print(f"error: {error.status} {error.code or ''}: {error.message} (request {error.request_id or '?'})")


if __name__ == "__main__":
    sys.exit(main())
