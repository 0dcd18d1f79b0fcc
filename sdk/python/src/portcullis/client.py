"""The Portcullis agent client."""

from __future__ import annotations

import urllib.parse
import uuid
from typing import Any, Iterable, Mapping, Optional, Union

from ._long_poll import MAX_WAIT_SECONDS, wait_until
from ._trace import TraceparentSource, active_traceparent
from ._transport import IDEMPOTENT, NOT_SENT, Call, Transport
from .models import (
    ActionResult,
    Approval,
    CheckResult,
    LogEventsResult,
    Run,
    RunEvent,
    RunStarted,
    action_result_from_wire,
    check_result_from_wire,
)
from .workflows import WorkflowRun, WorkflowRunStarted
_END_STATUSES = ("completed", "failed", "blocked")


class PortcullisClient:
    """Opens runs, logs their events, requests governed actions, waits for approvals and ends runs.

    Every call authenticates with the agent key, sent as ``Authorization: Bearer``. Thread-safe.
    """

    def __init__(
        self,
        base_url: str,
        agent_key: str,
        *,
        timeout: float = 30.0,
        max_retries: int = 2,
        traceparent: Optional[TraceparentSource] = active_traceparent,
    ) -> None:
        """
        :param base_url: the Portcullis host, e.g. ``"https://portcullis.example.com"``; may carry a path prefix.
        :param agent_key: the agent's API key (``pk_live_…``); load it from the environment, never from source.
        :param timeout: seconds to wait for connecting and for each read of one attempt (a governed
            action may wait on a connector, hence the generous default).
        :param max_retries: how often a failed call is repeated where that is safe (so at most 3 attempts).
        :param traceparent: gives the W3C ``traceparent`` sent with each call, so the server's spans join the caller's
            trace. Default: the current OpenTelemetry span's, when ``opentelemetry-api`` is installed; ``None`` sends none.
        """
        if not agent_key:
            raise ValueError("agent_key is required")
        if not timeout > 0:
            raise ValueError("timeout must be > 0")
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        self._timeout = float(timeout)
        self._transport = Transport(_normalize_base_url(base_url), agent_key, self._timeout, int(max_retries), traceparent)

    def start_run(
        self,
        trigger_type: str,
        *,
        external_ref: Optional[str] = None,
        agent_version: Optional[str] = None,
        triggered_by: Optional[str] = None,
    ) -> RunStarted:
        """Opens a run.

        Not idempotent (a repeat would open a second run), so it is retried only when the server
        certainly did not act: a 429, or a refused connection.
        """
        body = _without_none(triggerType=trigger_type, externalRef=external_ref, agentVersion=agent_version, triggeredBy=triggered_by)
        call = Call("POST", "/api/ingest/run-start", NOT_SENT, body)
        return self._transport.send(call, lambda wire: RunStarted(run_id=wire["runId"], status=wire["status"]))

    def log_events(self, run_id: str, events: Iterable[Union[RunEvent, Mapping[str, Any]]]) -> LogEventsResult:
        """Records events on the run's timeline.

        Events are :class:`RunEvent` objects or dicts in the wire's camelCase. Retried freely:
        an identical re-send is a no-op, counted in ``duplicates``.
        """
        wire_events = [event.to_wire() if isinstance(event, RunEvent) else dict(event) for event in events]
        call = Call("POST", "/api/ingest/events", IDEMPOTENT, {"runId": run_id, "events": wire_events})
        return self._transport.send(call, lambda wire: LogEventsResult(accepted=wire["accepted"], duplicates=wire.get("duplicates", 0)))

    def request_action(
        self,
        run_id: str,
        action_type: str,
        payload: Mapping[str, Any],
        *,
        provider: Optional[str] = None,
        resource_type: Optional[str] = None,
        resource_id: Optional[str] = None,
        evidence: Optional[Mapping[str, Any]] = None,
        idempotency_key: Optional[str] = None,
        callback_url: Optional[str] = None,
    ) -> ActionResult:
        """Asks the policy engine for permission and, when allowed, executes the action through its connector.

        Always sent with an idempotency key (a uuid4 when you give none) in the body and the
        ``Idempotency-Key`` header, so retries can never execute the action twice. The server answers
        a repeat of a key with the first answer, byte for byte; the same key with another body is a
        409 ``conflict``. While the first request is still executing, a repeat waits up to 30 s for
        its answer, then gets a 409 ``conflict`` (try again later with the same key).
        Returns an :class:`Allowed`, :class:`ApprovalRequired` or :class:`Blocked`.
        """
        key = idempotency_key or str(uuid.uuid4())
        body = _without_none(
            runId=run_id,
            actionType=action_type,
            provider=provider,
            resourceType=resource_type,
            resourceId=resource_id,
            payload=dict(payload),
            evidence=None if evidence is None else dict(evidence),
            idempotencyKey=key,
            callbackUrl=callback_url,
        )
        call = Call("POST", "/api/actions/request", IDEMPOTENT, body, {"Idempotency-Key": key})
        return self._transport.send(call, action_result_from_wire)

    def check_action(
        self,
        run_id: str,
        action_type: str,
        payload: Mapping[str, Any],
        *,
        provider: Optional[str] = None,
        resource_type: Optional[str] = None,
        resource_id: Optional[str] = None,
        evidence: Optional[Mapping[str, Any]] = None,
        idempotency_key: Optional[str] = None,
    ) -> CheckResult:
        """Asks before acting: the decision :meth:`request_action` would get now, recording and executing nothing.

        Takes the same arguments; answers a :class:`CheckResult` (``decision``, ``reason``,
        ``matched_policies``). A check reserves nothing: a later ``request_action`` is decided afresh.
        Safe to repeat, so retried on 429, 5xx and network errors. An ``idempotency_key`` already used
        answers the first request's decision.
        """
        body = _without_none(
            runId=run_id,
            actionType=action_type,
            provider=provider,
            resourceType=resource_type,
            resourceId=resource_id,
            payload=dict(payload),
            evidence=None if evidence is None else dict(evidence),
            idempotencyKey=idempotency_key,
        )
        return self._transport.send(Call("POST", "/api/actions/check", IDEMPOTENT, body), check_result_from_wire)

    def end_run(self, run_id: str, status: str) -> Run:
        """Ends the run with ``"completed"``, ``"failed"`` or ``"blocked"``.

        Retried on 429, 5xx and network errors: the server ends a run once and answers any later
        attempt with 409 ``run_ended``, which is raised; after a retry that 409 usually means an
        earlier attempt whose answer was lost did end the run.
        """
        if status not in _END_STATUSES:
            raise ValueError(f"status must be one of {', '.join(_END_STATUSES)}: `{status}`")
        call = Call("POST", "/api/ingest/run-end", IDEMPOTENT, {"runId": run_id, "status": status})
        return self._transport.send(call, Run.from_wire)

    def get_approval(self, approval_request_id: str) -> Approval:
        """Reads an approval request and, once approved and executed, its execution."""
        return self._fetch_approval(approval_request_id, 0)

    def wait_for_approval(self, approval_request_id: str, *, timeout: float, poll_interval: float = 1.0) -> Approval:
        """Waits until the approval is decided, for at most ``timeout`` seconds.

        Uses the server's long-poll (up to 60 s per request). Returns the decided approval, or,
        when the time is up, the approval as it stands, still pending: waiting out the time is an
        expected outcome, not an error, so check :attr:`Approval.is_pending`.
        """
        return wait_until(lambda wait: self._fetch_approval(approval_request_id, wait), lambda a: not a.is_pending, timeout, poll_interval)

    def run_workflow(
        self, workflow_id: str, input: Optional[Mapping[str, Any]] = None, *, idempotency_key: Optional[str] = None
    ) -> WorkflowRunStarted:
        """Starts a run of a workflow; the server runs its steps in the background (answer 202).

        Always sent with an ``Idempotency-Key`` header (a uuid4 when you give none), so retries answer
        the same run instead of starting a second. ``input`` is a JSON object; without one the server
        takes ``{}``. A workflow this agent cannot see is a 404 ``not_found``.
        """
        if not workflow_id:
            raise ValueError("workflow_id is required")
        key = idempotency_key or str(uuid.uuid4())
        path = f"/api/workflows/{urllib.parse.quote(workflow_id, safe='')}/runs"
        body = _without_none(input=None if input is None else dict(input))
        call = Call("POST", path, IDEMPOTENT, body, {"Idempotency-Key": key})
        return self._transport.send(
            call, lambda wire: WorkflowRunStarted(workflow_run_id=wire["workflowRunId"], run_id=wire["runId"], status=wire["status"])
        )

    def get_workflow_run(self, workflow_run_id: str, wait_seconds: Optional[int] = None) -> WorkflowRun:
        """Reads a workflow run with its steps.

        With ``wait_seconds`` (0 to 60), long-polls: the server answers once the run is no longer
        ``running``, or with the run as it stands when the time is up.
        """
        wait = wait_seconds or 0
        if not isinstance(wait, int) or not 0 <= wait <= MAX_WAIT_SECONDS:
            raise ValueError(f"wait_seconds must be a whole number from 0 to {MAX_WAIT_SECONDS}")
        return self._fetch_workflow_run(workflow_run_id, wait)

    def wait_for_workflow_run(self, workflow_run_id: str, *, timeout: float, poll_interval: float = 1.0) -> WorkflowRun:
        """Waits while the workflow run is ``running``, for at most ``timeout`` seconds.

        Uses the server's long-poll (up to 60 s per request). Returns the run once it is not running,
        or, when the time is up, as it stands (check :attr:`WorkflowRun.is_running`). ``awaiting_approval``
        ends the wait too, although the run is not over: the waiting step's ``approval_request_id`` says
        what it waits for. Wait for that with :meth:`wait_for_approval`, then call this again for the
        rest (while the approval is pending, this returns at once).
        """
        return wait_until(lambda wait: self._fetch_workflow_run(workflow_run_id, wait), lambda r: not r.is_running, timeout, poll_interval)

    def cancel_workflow_run(self, workflow_run_id: str) -> WorkflowRun:
        """Cancels a workflow run and returns it, ``cancelled``.

        Retried on 429, 5xx and network errors: a run already settled answers 409 ``not_cancellable``,
        which is raised; after a retry that 409 may mean an earlier attempt whose answer was lost did
        cancel the run.
        """
        if not workflow_run_id:
            raise ValueError("workflow_run_id is required")
        path = f"/api/workflow-runs/{urllib.parse.quote(workflow_run_id, safe='')}/cancel"
        return self._transport.send(Call("POST", path, IDEMPOTENT), WorkflowRun.from_wire)

    def _fetch_approval(self, approval_request_id: str, wait_seconds: int) -> Approval:
        if not approval_request_id:
            raise ValueError("approval_request_id is required")
        path = "/api/approvals/" + urllib.parse.quote(approval_request_id, safe="")
        if wait_seconds > 0:
            path += f"?waitSeconds={wait_seconds}"
        # The server holds a long-poll open for wait_seconds: that is not the time-out's to count.
        call = Call("GET", path, IDEMPOTENT, extra_timeout=float(wait_seconds))
        return self._transport.send(call, Approval.from_wire)

    def _fetch_workflow_run(self, workflow_run_id: str, wait_seconds: int) -> WorkflowRun:
        if not workflow_run_id:
            raise ValueError("workflow_run_id is required")
        path = "/api/workflow-runs/" + urllib.parse.quote(workflow_run_id, safe="")
        if wait_seconds > 0:
            path += f"?waitSeconds={wait_seconds}"
        # As for approvals: the time the server holds the long-poll is not the time-out's to count.
        call = Call("GET", path, IDEMPOTENT, extra_timeout=float(wait_seconds))
        return self._transport.send(call, WorkflowRun.from_wire)


def _normalize_base_url(base_url: str) -> str:
    parts = urllib.parse.urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"base_url must be an absolute http or https URL: `{base_url}`")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def _without_none(**fields: Any) -> dict:
    """Absent fields are left out of the body rather than sent as null."""
    return {name: value for name, value in fields.items() if value is not None}
