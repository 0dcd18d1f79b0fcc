"""The errors the client raises: one for HTTP answers, two for requests that got none."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional


class PortcullisError(Exception):
    """Raised for every non-2xx answer of the Portcullis API (after retries, where they apply).

    Network failures and time-outs raise :class:`PortcullisConnectionError` instead.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: Optional[str] = None,
        request_id: Optional[str] = None,
        errors: Optional[Mapping[str, List[str]]] = None,
        retry_after: Optional[float] = None,
        problem: Optional[Dict[str, Any]] = None,
    ) -> None:
        super().__init__(message)
        #: The HTTP status.
        self.status = status
        #: The problem's ``detail``, or a description of the answer.
        self.message = message
        #: The problem's stable ``code``, e.g. ``"validation_failed"``; None when the body had none.
        self.code = code
        #: The server's request id, from the body or the ``X-Request-Id`` header.
        self.request_id = request_id
        #: For validation failures: each offending field with its messages; empty otherwise.
        self.errors: Dict[str, List[str]] = dict(errors or {})
        #: Seconds the server asked to wait, from the ``Retry-After`` header.
        self.retry_after = retry_after
        #: The whole problem-details body, e.g. ``problem["billing"]`` on a 402; None when not JSON.
        self.problem = problem

    @property
    def is_unauthorized(self) -> bool:
        """401: the agent key is missing, unknown or revoked (the server does not say which)."""
        return self.status == 401

    @property
    def is_revoked(self) -> bool:
        """Kept for compatibility: the same as :attr:`is_unauthorized`, since a revoked key gets the same 401."""
        return self.is_unauthorized

    @property
    def is_billing_locked(self) -> bool:
        """402: the workspace's billing is locked; :attr:`problem` carries the recovery summary."""
        return self.status == 402

    @property
    def is_rate_limited(self) -> bool:
        """429: too many requests for this key; see :attr:`retry_after`."""
        return self.status == 429

    @property
    def is_validation(self) -> bool:
        """400: the request was malformed or a field was invalid; see :attr:`errors`."""
        return self.status == 400

    @property
    def is_conflict(self) -> bool:
        """409: a reused sequence number or idempotency key, a run that has ended, an approval already decided."""
        return self.status == 409

    def __repr__(self) -> str:
        return f"PortcullisError(status={self.status!r}, code={self.code!r}, message={self.message!r}, request_id={self.request_id!r})"


class PortcullisConnectionError(Exception):
    """The request got no answer: DNS, refused or reset connection, TLS failure."""


class PortcullisTimeoutError(PortcullisConnectionError):
    """The answer did not arrive within the client's time-out."""
