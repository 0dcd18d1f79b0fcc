"""Workflow runs as the client returns them, as dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, Mapping, Optional, Tuple

from ._times import parse_time

#: Every state of a workflow run the server documents; a state added later is kept as sent, never refused.
WORKFLOW_RUN_STATUSES = ("running", "awaiting_approval", "completed", "failed", "blocked", "cancelled")
#: Every state of a step the server documents; ``unknown`` means the server lost track of its call.
WORKFLOW_STEP_STATUSES = ("pending", "running", "awaiting_approval", "completed", "skipped", "failed", "blocked", "rejected", "unknown")


@dataclass(frozen=True)
class WorkflowRunStarted:
    """The answer of :meth:`PortcullisClient.run_workflow`: the run was accepted and goes on in the server."""

    workflow_run_id: str
    #: The agent run that records the workflow's timeline.
    run_id: str
    status: str


@dataclass(frozen=True)
class WorkflowError:
    """Why a workflow run or one of its steps failed."""

    #: A stable code, e.g. ``template_unresolved``.
    code: str
    message: str = ""
    #: The step that failed; None on a step's own error.
    step_id: Optional[str] = None

    @classmethod
    def from_wire(cls, wire: Optional[Mapping[str, Any]]) -> Optional["WorkflowError"]:
        if wire is None:
            return None
        return cls(code=wire["code"], message=wire.get("message") or "", step_id=wire.get("stepId"))


@dataclass(frozen=True)
class WorkflowStep:
    """One step of a workflow run, as it stands."""

    id: str
    #: One of :data:`WORKFLOW_STEP_STATUSES`, or a state added later, as sent.
    status: str
    name: str = ""
    action_type: str = ""
    #: The governed action request (``act_…``), once asked for.
    action_request_id: Optional[str] = None
    #: ``allow``, ``allow_with_alert``, ``require_approval`` or ``block``, once decided.
    decision: Optional[str] = None
    #: The approval (``apr_…``) the step waits for, when its decision was ``require_approval``.
    approval_request_id: Optional[str] = None
    #: The payload the step rendered from its template.
    input: Optional[Dict[str, Any]] = None
    output: Optional[Dict[str, Any]] = None
    error: Optional[WorkflowError] = None
    started_at: Optional[datetime] = None
    completed_at: Optional[datetime] = None

    @property
    def is_awaiting_approval(self) -> bool:
        """True while the step waits for :attr:`approval_request_id` to be decided."""
        return self.status == "awaiting_approval"

    @classmethod
    def from_wire(cls, wire: Mapping[str, Any]) -> "WorkflowStep":
        return cls(
            id=wire["id"],
            status=wire["status"],
            name=wire.get("name") or "",
            action_type=wire.get("actionType") or "",
            action_request_id=wire.get("actionRequestId"),
            decision=wire.get("decision"),
            approval_request_id=wire.get("approvalRequestId"),
            input=wire.get("input"),
            output=wire.get("output"),
            error=WorkflowError.from_wire(wire.get("error")),
            started_at=parse_time(wire.get("startedAt")),
            completed_at=parse_time(wire.get("completedAt")),
        )


@dataclass(frozen=True)
class WorkflowRun:
    """A workflow run with its steps, as it stands."""

    id: str
    #: One of :data:`WORKFLOW_RUN_STATUSES`, or a state added later, as sent.
    status: str
    workflow_id: Optional[str] = None
    workflow_name: Optional[str] = None
    version: int = 0
    #: The agent run that records the workflow's timeline.
    run_id: Optional[str] = None
    input: Optional[Dict[str, Any]] = None
    error: Optional[WorkflowError] = None
    created_at: Optional[datetime] = None
    completed_at: Optional[datetime] = None
    steps: Tuple[WorkflowStep, ...] = ()

    @property
    def is_running(self) -> bool:
        """True while the server works through the steps: the only state a long-poll waits through."""
        return self.status == "running"

    @property
    def is_awaiting_approval(self) -> bool:
        """True while a step waits for a human; the run goes on once the approval is decided."""
        return self.status == "awaiting_approval"

    @classmethod
    def from_wire(cls, wire: Mapping[str, Any]) -> "WorkflowRun":
        return cls(
            id=wire["id"],
            status=wire["status"],
            workflow_id=wire.get("workflowId"),
            workflow_name=wire.get("workflowName"),
            version=wire.get("version") or 0,
            run_id=wire.get("runId"),
            input=wire.get("input"),
            error=WorkflowError.from_wire(wire.get("error")),
            created_at=parse_time(wire.get("createdAt")),
            completed_at=parse_time(wire.get("completedAt")),
            steps=tuple(WorkflowStep.from_wire(step) for step in wire.get("steps") or ()),
        )
