"""Portcullis agent SDK: runs, events, governed actions, approvals and workflow runs. Standard library only."""

from ._version import __version__
from .client import PortcullisClient
from .errors import PortcullisConnectionError, PortcullisError, PortcullisTimeoutError
from .models import (
    ActionResult,
    Allowed,
    Approval,
    ApprovalRequired,
    Blocked,
    CheckResult,
    Execution,
    ExecutionError,
    LogEventsResult,
    MatchedPolicy,
    Run,
    RunEvent,
    RunStarted,
)
from .workflows import WorkflowError, WorkflowRun, WorkflowRunStarted, WorkflowStep

__all__ = [
    "ActionResult",
    "Allowed",
    "Approval",
    "ApprovalRequired",
    "Blocked",
    "CheckResult",
    "Execution",
    "ExecutionError",
    "LogEventsResult",
    "MatchedPolicy",
    "PortcullisClient",
    "PortcullisConnectionError",
    "PortcullisError",
    "PortcullisTimeoutError",
    "Run",
    "RunEvent",
    "RunStarted",
    "WorkflowError",
    "WorkflowRun",
    "WorkflowRunStarted",
    "WorkflowStep",
    "__version__",
]
