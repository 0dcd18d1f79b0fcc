"""Sends calls with authentication, JSON, time-outs and retries; turns failures into typed errors."""

from __future__ import annotations

import http.client
import json
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable, Dict, Mapping, Optional, TypeVar

from ._retry import parse_retry_after, retry_delay
from ._times import format_time
from ._trace import TraceparentSource
from ._version import __version__
from .errors import PortcullisConnectionError, PortcullisError, PortcullisTimeoutError

T = TypeVar("T")

#: Repeating cannot apply the call twice: retried on 429, 5xx, network errors and time-outs.
IDEMPOTENT = "idempotent"
#: Retried only when the server certainly did not act: a 429, or a refused connection.
NOT_SENT = "not-sent"


@dataclass
class Call:
    """One API call, before retries."""

    method: str
    #: Path and query, starting with ``/api/``.
    path: str
    retry: str
    body: Optional[Mapping[str, Any]] = None
    headers: Dict[str, str] = field(default_factory=dict)
    #: Added to the client's time-out, e.g. the time a long-poll is held.
    extra_timeout: float = 0.0


@dataclass
class _Answer:
    status: int
    headers: Mapping[str, str]
    body: bytes


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are answers, not followed: following would resend the key and the body elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


class Transport:
    def __init__(
        self, base_url: str, agent_key: str, timeout: float, max_retries: int, traceparent: Optional[TraceparentSource] = None
    ) -> None:
        self._traceparent = traceparent
        self._base_url = base_url
        self._agent_key = agent_key
        self._timeout = timeout
        self._max_retries = max_retries
        self._opener = urllib.request.build_opener(_NoRedirects())

    def send(self, call: Call, parse: Callable[[Any], T]) -> T:
        attempt = 0
        while True:
            may_retry = attempt < self._max_retries
            try:
                answer = self._send_once(call)
            except PortcullisConnectionError as failure:
                if not may_retry or not _retries_failure(call.retry, failure):
                    raise
                time.sleep(retry_delay(attempt, None) or 0.0)
                attempt += 1
                continue

            if 200 <= answer.status < 300:
                return _parse(answer, parse)

            error = _error_from(answer)
            delay = retry_delay(attempt, error.retry_after) if may_retry and _retries_status(call.retry, answer.status) else None
            if delay is None:
                raise error
            time.sleep(delay)
            attempt += 1

    def _send_once(self, call: Call) -> _Answer:
        data = None if call.body is None else json.dumps(call.body, default=_json_default).encode("utf-8")
        request = urllib.request.Request(self._base_url + call.path, data=data, method=call.method, headers=self._headers(call))
        timeout = self._timeout + call.extra_timeout
        try:
            try:
                with self._opener.open(request, timeout=timeout) as response:
                    return _Answer(response.status, response.headers, response.read())
            except urllib.error.HTTPError as answered:
                with answered:
                    return _Answer(answered.code, answered.headers, answered.read())
        except socket.timeout as slow:
            raise PortcullisTimeoutError(f"no answer to {call.method} {call.path} within {timeout:g} s") from slow
        except urllib.error.URLError as failed:
            if isinstance(failed.reason, socket.timeout):
                raise PortcullisTimeoutError(f"no answer to {call.method} {call.path} within {timeout:g} s") from failed
            raise PortcullisConnectionError(f"{call.method} {call.path} failed: {failed.reason}") from failed
        except (http.client.HTTPException, OSError) as failed:
            raise PortcullisConnectionError(f"{call.method} {call.path} failed: {failed!r}") from failed

    def _headers(self, call: Call) -> Dict[str, str]:
        headers = {
            "Authorization": f"Bearer {self._agent_key}",
            "Accept": "application/json",
            "User-Agent": f"portcullis-sdk-python/{__version__}",
            "X-Portcullis-Sdk": f"python/{__version__}",
        }
        if call.body is not None:
            headers["Content-Type"] = "application/json"
        traceparent = self._traceparent() if self._traceparent else None
        if traceparent:
            headers["traceparent"] = traceparent
        headers.update(call.headers)
        return headers


def _retries_status(policy: str, status: int) -> bool:
    return status == 429 or (policy == IDEMPOTENT and status >= 500)


def _retries_failure(policy: str, failure: PortcullisConnectionError) -> bool:
    return policy == IDEMPOTENT or _is_connection_refused(failure)


def _is_connection_refused(failure: PortcullisConnectionError) -> bool:
    """A refused connection means the request never reached a server."""
    if isinstance(failure, PortcullisTimeoutError):
        return False
    cause = failure.__cause__
    reason = cause.reason if isinstance(cause, urllib.error.URLError) else cause
    return isinstance(reason, ConnectionRefusedError)


def _parse(answer: _Answer, parse: Callable[[Any], T]) -> T:
    try:
        return parse(json.loads(answer.body.decode("utf-8")))
    except (ValueError, KeyError, TypeError, AttributeError) as invalid:
        # A 2xx the SDK cannot read (a proxy's HTML page, a truncated body) must not pass as a result.
        raise PortcullisError(
            answer.status,
            f"the server answered {answer.status} with a body the SDK cannot read: {invalid}",
            code="invalid_response",
            request_id=answer.headers.get("X-Request-Id"),
        ) from invalid


def _error_from(answer: _Answer) -> PortcullisError:
    text = answer.body.decode("utf-8", errors="replace")
    problem = _problem(text)
    message = _string(problem, "detail") or _string(problem, "title") or text.strip()[:200] or f"HTTP {answer.status}"
    errors = problem.get("errors") if problem else None
    return PortcullisError(
        answer.status,
        message,
        code=_string(problem, "code"),
        request_id=_string(problem, "requestId") or answer.headers.get("X-Request-Id"),
        errors={k: list(v) if isinstance(v, list) else [str(v)] for k, v in errors.items()} if isinstance(errors, dict) else None,
        retry_after=parse_retry_after(answer.headers.get("Retry-After")),
        problem=problem,
    )


def _problem(text: str) -> Optional[Dict[str, Any]]:
    try:
        parsed = json.loads(text) if text.strip() else None
    except ValueError:
        # Proxies answer with HTML or plain text; the status and headers still describe the error.
        return None
    return parsed if isinstance(parsed, dict) else None


def _string(problem: Optional[Mapping[str, Any]], name: str) -> Optional[str]:
    value = problem.get(name) if problem else None
    return value if isinstance(value, str) and value else None


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
