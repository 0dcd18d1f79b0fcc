"""Portcullis agent SDK: runs, events, governed actions and approvals. Standard library only."""

from ._version import __version__
from .client import PortcullisClient
from .errors import PortcullisConnectionError, PortcullisError, PortcullisTimeoutError
from .models import (
    ActionResult,
    Allowed,
    Approval,
    ApprovalRequired,
    Blocked,
    Execution,
    ExecutionError,
    LogEventsResult,
    MatchedPolicy,
    Run,
    RunEvent,
    RunStarted,
)

__all__ = [
    "ActionResult",
    "Allowed",
    "Approval",
    "ApprovalRequired",
    "Blocked",
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
    "__version__",
]
