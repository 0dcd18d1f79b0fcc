"""Starts a workflow by id, waits for it and prints each step's status and decision.

When a step waits for a human, prints the approval id, waits for that approval and then for the run
again. The last line is a JSON summary. Run from the repository root:
PYTHONPATH=sdk/python/src python3 samples/python/workflow_runner.py [workflow id]
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import time
from urllib.parse import urljoin

from portcullis import PortcullisClient, PortcullisConnectionError, PortcullisError, WorkflowRun

#: Between an approval's decision and the run going on, the server needs a moment.
RESUME_PAUSE = 1.0


def env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        print(f"set {name}", file=sys.stderr)
        sys.exit(2)
    return value


def print_steps(run: WorkflowRun) -> None:
    print(f"workflow {run.workflow_name} v{run.version}: {run.status}")
    for step in run.steps:
        error = f" error={step.error.code}: {step.error.message}" if step.error else ""
        print(f"  {step.id:<16} {step.status:<18} decision={step.decision or '-'}{error}")


def main(portcullis: PortcullisClient, workflow_id: str, workflow_input: dict, timeout: float) -> int:
    deadline = time.monotonic() + timeout

    def left() -> float:
        return max(0.0, deadline - time.monotonic())

    started = portcullis.run_workflow(workflow_id, workflow_input)
    print(f"workflow run started: {started.workflow_run_id} (run {started.run_id}, {started.status})")
    run = portcullis.wait_for_workflow_run(started.workflow_run_id, timeout=left())
    while True:
        print_steps(run)
        waiting = [step for step in run.steps if step.is_awaiting_approval and step.approval_request_id]
        if not run.is_awaiting_approval or not waiting or left() == 0:
            break
        for step in waiting:
            page = urljoin(env("PORTCULLIS_BASE_URL"), "/approvals/" + step.approval_request_id)
            print(f"step {step.id} awaits approval {step.approval_request_id}: approve or reject it at {page}")
            approval = portcullis.wait_for_approval(step.approval_request_id, timeout=left())
            print(f"approval {approval.id}: {approval.status}")
        time.sleep(min(RESUME_PAUSE, left()))
        run = portcullis.wait_for_workflow_run(run.id, timeout=left())
    error = dataclasses.asdict(run.error) if run.error else None
    print(json.dumps({"workflowRunId": run.id, "runId": run.run_id, "status": run.status, "error": error}))
    return 0


if __name__ == "__main__":
    client = PortcullisClient(env("PORTCULLIS_BASE_URL"), env("PORTCULLIS_AGENT_KEY"))
    workflow = sys.argv[1] if len(sys.argv) > 1 else env("PORTCULLIS_WORKFLOW_ID")
    try:
        sys.exit(main(client, workflow, json.loads(os.environ.get("WORKFLOW_INPUT", "{}")),
                      float(os.environ.get("WORKFLOW_TIMEOUT_SECONDS", "120"))))
    except PortcullisError as failure:
        print(f"error: {failure.status} {failure.code or ''}: {failure.message} (request {failure.request_id or '?'})")
        sys.exit(1)
    except PortcullisConnectionError as failure:
        print(f"error: {failure}")
        sys.exit(1)
