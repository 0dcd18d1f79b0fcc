"""The results the client returns, and the events it sends, as dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, Mapping, Optional, Tuple, Union

from ._times import format_time, parse_time


@dataclass(frozen=True)
class RunStarted:
    """The answer of :meth:`PortcullisClient.start_run`."""

    run_id: str
    status: str


@dataclass(frozen=True)
class RunEvent:
    """One timeline event. ``sequence_no`` is unique per run and starts at 2 (1 is the server's ``run.started``)."""

    event_type: str
    sequence_no: int
    payload: Optional[Mapping[str, Any]] = None
    #: Defaults to the server's time when the event lands. A datetime is sent in UTC.
    occurred_at: Optional[Union[datetime, str]] = None

    def to_wire(self) -> Dict[str, Any]:
        wire: Dict[str, Any] = {"eventType": self.event_type, "sequenceNo": self.sequence_no}
        if self.payload is not None:
            wire["payload"] = dict(self.payload)
        if isinstance(self.occurred_at, datetime):
            wire["occurredAt"] = format_time(self.occurred_at)
        elif self.occurred_at is not None:
            wire["occurredAt"] = self.occurred_at
        return wire


@dataclass(frozen=True)
class LogEventsResult:
    """The answer of :meth:`PortcullisClient.log_events`: new events, and identical re-sends that were ignored."""

    accepted: int
    duplicates: int


@dataclass(frozen=True)
class Run:
    """A run, as answered by :meth:`PortcullisClient.end_run`."""

    run_id: str
    #: ``running``, ``awaiting_approval``, ``completed``, ``failed`` or ``blocked``.
    status: str
    agent_id: Optional[str] = None
    trigger_type: Optional[str] = None
    external_ref: Optional[str] = None
    agent_version: Optional[str] = None
    triggered_by: Optional[str] = None
    started_at: Optional[datetime] = None
    ended_at: Optional[datetime] = None

    @classmethod
    def from_wire(cls, wire: Mapping[str, Any]) -> "Run":
        return cls(
            run_id=wire["runId"],
            status=wire["status"],
            agent_id=wire.get("agentId"),
            trigger_type=wire.get("triggerType"),
            external_ref=wire.get("externalRef"),
            agent_version=wire.get("agentVersion"),
            triggered_by=wire.get("triggeredBy"),
            started_at=parse_time(wire.get("startedAt")),
            ended_at=parse_time(wire.get("endedAt")),
        )


@dataclass(frozen=True)
class ExecutionError:
    """Why a connector failed (the wire's fields are snake_case already)."""

    #: What went wrong, with no secret in it.
    message: str
    #: A stable code: the provider's (``card_declined``) or the connector's (``connector_not_connected``).
    code: Optional[str] = None
    #: The provider's HTTP status, when the provider answered.
    provider_status: Optional[int] = None
    #: The provider's request id, when it sent one; quote it to the provider's support.
    provider_request_id: Optional[str] = None

    @classmethod
    def from_wire(cls, wire: Optional[Mapping[str, Any]]) -> Optional["ExecutionError"]:
        if wire is None:
            return None
        return cls(
            message=wire["message"],
            code=wire.get("code"),
            provider_status=wire.get("provider_status"),
            provider_request_id=wire.get("provider_request_id"),
        )


@dataclass(frozen=True)
class Execution:
    """The persisted execution of a dispatched action (the wire's fields are snake_case already)."""

    #: None while ``status`` is ``executing`` (no execution row exists yet).
    id: Optional[str]
    #: ``executed`` or ``failed``; ``executing`` on a replay while the call is in flight (ask again later);
    #: ``unknown`` when the server died mid-call and the call was not safe to send twice (an admin reconciles it).
    status: str
    provider: Optional[str] = None
    action_type: Optional[str] = None
    attempts: int = 0
    simulated: bool = False
    started_at: Optional[datetime] = None
    completed_at: Optional[datetime] = None
    #: Why the connector failed; None when it executed.
    error: Optional[ExecutionError] = None
    #: The connector's answer: the provider's response, or its error body.
    response_payload: Any = None
    #: True when an approver edited the payload before approving; ``payload`` is then what ran.
    edited: bool = False
    payload: Any = None

    @property
    def succeeded(self) -> bool:
        """True when the connector executed the action."""
        return self.status == "executed"

    @classmethod
    def from_wire(cls, wire: Optional[Mapping[str, Any]]) -> Optional["Execution"]:
        if wire is None:
            return None
        return cls(
            id=wire["id"],
            status=wire["status"],
            provider=wire.get("provider"),
            action_type=wire.get("action_type"),
            attempts=wire.get("attempts") or 0,
            simulated=bool(wire.get("simulated")),
            started_at=parse_time(wire.get("started_at")),
            completed_at=parse_time(wire.get("completed_at")),
            error=ExecutionError.from_wire(wire.get("error")),
            response_payload=wire.get("response_payload"),
            edited=bool(wire.get("edited")),
            payload=wire.get("payload"),
        )


@dataclass(frozen=True)
class MatchedPolicy:
    """A policy that matched an action request."""

    id: str
    name: str
    decision: str
    reason: Optional[str] = None
    priority: int = 0


@dataclass(frozen=True)
class ActionResult:
    """The policy engine's answer: an :class:`Allowed`, :class:`ApprovalRequired` or :class:`Blocked`.

    ``decision`` is the raw value (``allow``, ``allow_with_alert``, ``require_approval``, ``block``),
    so both ``match result.decision:`` and ``isinstance`` / ``match result:`` work.
    """

    decision: str
    reason: str
    action_request_id: str
    matched_policies: Tuple[MatchedPolicy, ...]
    #: The workspace's policy revision whose policies made the decision; None on answers stored before revisions were.
    policy_revision: Optional[int]


@dataclass(frozen=True)
class Allowed(ActionResult):
    """Allowed and, for built-in action types, executed by the connector.

    ``execution`` is None for custom action types, which Portcullis governs but never dispatches.
    """

    execution: Optional[Execution] = None

    @property
    def with_alert(self) -> bool:
        """True for ``allow_with_alert``: allowed, and an alert was recorded."""
        return self.decision == "allow_with_alert"


@dataclass(frozen=True)
class ApprovalRequired(ActionResult):
    """The action waits for a human; it runs only once approved."""

    approval_request_id: str


@dataclass(frozen=True)
class Blocked(ActionResult):
    """A policy blocked the action; ``reason`` says why."""


def action_result_from_wire(wire: Mapping[str, Any]) -> ActionResult:
    """Builds the :class:`ActionResult` subclass of the answer's decision."""
    decision = wire.get("decision")
    common = dict(
        decision=decision,
        reason=wire.get("reason") or "",
        action_request_id=wire.get("actionRequestId") or "",
        matched_policies=tuple(MatchedPolicy(**_policy_fields(p)) for p in wire.get("matchedPolicies") or ()),
        policy_revision=wire.get("policyRevision"),
    )
    if decision in ("allow", "allow_with_alert"):
        return Allowed(**common, execution=Execution.from_wire(wire.get("execution")))
    if decision == "require_approval":
        if not wire.get("approvalRequestId"):
            raise ValueError("a require_approval answer without `approvalRequestId`")
        return ApprovalRequired(**common, approval_request_id=wire["approvalRequestId"])
    if decision == "block":
        return Blocked(**common)
    # SECURITY: an unknown decision is never taken for a permission; the caller must see it fail.
    raise ValueError(f"unknown decision `{decision}`")


@dataclass(frozen=True)
class CheckResult:
    """What ``request_action`` would decide now (``PortcullisClient.check_action``); nothing was recorded or executed."""

    #: ``allow``, ``allow_with_alert``, ``require_approval`` or ``block``.
    decision: str
    reason: str
    matched_policies: Tuple[MatchedPolicy, ...]

    @property
    def allowed(self) -> bool:
        """True when a request now would be allowed (with or without an alert)."""
        return self.decision in ("allow", "allow_with_alert")


def check_result_from_wire(wire: Mapping[str, Any]) -> CheckResult:
    """Builds the :class:`CheckResult` of ``POST /api/actions/check``."""
    decision = wire.get("decision")
    # SECURITY: as for request_action, an unknown decision is never taken for a permission.
    if decision not in ("allow", "allow_with_alert", "require_approval", "block"):
        raise ValueError(f"unknown decision `{decision}`")
    return CheckResult(
        decision=decision,
        reason=wire.get("reason") or "",
        matched_policies=tuple(MatchedPolicy(**_policy_fields(p)) for p in wire.get("matchedPolicies") or ()),
    )


def _policy_fields(wire: Mapping[str, Any]) -> Dict[str, Any]:
    return {
        "id": wire["id"],
        "name": wire.get("name") or "",
        "decision": wire.get("decision") or "",
        "reason": wire.get("reason"),
        "priority": wire.get("priority") or 0,
    }


@dataclass(frozen=True)
class Approval:
    """An approval request and, once approved and executed, its execution."""

    id: str
    #: ``pending``, ``approved``, ``rejected`` or ``expired``.
    status: str
    action_request_id: Optional[str] = None
    run_id: Optional[str] = None
    action_type: Optional[str] = None
    provider: Optional[str] = None
    approvals_required: int = 0
    approvals_received: int = 0
    created_at: Optional[datetime] = None
    expires_at: Optional[datetime] = None
    decided_at: Optional[datetime] = None
    comment: Optional[str] = None
    decided_by: Optional[str] = None
    #: The policy revision that asked for the approval; None for requests recorded before revisions were.
    policy_revision: Optional[int] = None
    execution: Optional[Execution] = None
    #: SHA-256 (hex) of the RFC 8785 canonical arguments the approver approved; the server sends nothing else.
    arguments_digest: Optional[str] = None
    #: True when an approver edited the payload before approving; ``edited_payload`` is what was sent.
    edited: bool = False
    edited_payload: Any = None
    edited_arguments_digest: Optional[str] = None

    @property
    def is_pending(self) -> bool:
        """True while nobody has decided and it has not expired."""
        return self.status == "pending"

    @classmethod
    def from_wire(cls, wire: Mapping[str, Any]) -> "Approval":
        return cls(
            id=wire["id"],
            status=wire["status"],
            action_request_id=wire.get("actionRequestId"),
            run_id=wire.get("runId"),
            action_type=wire.get("actionType"),
            provider=wire.get("provider"),
            approvals_required=wire.get("approvalsRequired") or 0,
            approvals_received=wire.get("approvalsReceived") or 0,
            created_at=parse_time(wire.get("createdAt")),
            expires_at=parse_time(wire.get("expiresAt")),
            decided_at=parse_time(wire.get("decidedAt")),
            comment=wire.get("comment"),
            decided_by=wire.get("decidedBy"),
            policy_revision=wire.get("policyRevision"),
            execution=Execution.from_wire(wire.get("execution")),
            arguments_digest=wire.get("argumentsDigest"),
            edited=bool(wire.get("edited")),
            edited_payload=wire.get("editedPayload"),
            edited_arguments_digest=wire.get("editedArgumentsDigest"),
        )
