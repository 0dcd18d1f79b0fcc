// Starts a workflow by id, waits for it and prints each step's status and decision. When a step
// waits for a human, prints the approval id, waits for that approval and then for the run again.
// The last line is a JSON summary.
import { PortcullisClient, PortcullisError, type JsonObject, type WorkflowRun } from "@portcullis/sdk";

const portcullis = new PortcullisClient(env("PORTCULLIS_BASE_URL"), env("PORTCULLIS_AGENT_KEY"));
const workflowId = process.argv[2] ?? env("PORTCULLIS_WORKFLOW_ID");
const input = JSON.parse(process.env.WORKFLOW_INPUT ?? "{}") as JsonObject;
const timeoutMs = Number(process.env.WORKFLOW_TIMEOUT_SECONDS ?? "120") * 1000;
/** Between an approval's decision and the run going on, the server needs a moment. */
const RESUME_PAUSE_MS = 1_000;

async function main(): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const started = await portcullis.runWorkflow(workflowId, input);
  console.log(`workflow run started: ${started.workflowRunId} (run ${started.runId}, ${started.status})`);
  let run = await portcullis.waitForWorkflowRun(started.workflowRunId, { timeoutMs: left(deadline) });
  for (;;) {
    printSteps(run);
    const waiting = run.steps.filter((step) => step.status === "awaiting_approval" && step.approvalRequestId);
    if (run.status !== "awaiting_approval" || waiting.length === 0 || left(deadline) === 0) break;
    for (const step of waiting) {
      const page = new URL(`/approvals/${step.approvalRequestId}`, env("PORTCULLIS_BASE_URL"));
      console.log(`step ${step.id} awaits approval ${step.approvalRequestId}: approve or reject it at ${page}`);
      const approval = await portcullis.waitForApproval(step.approvalRequestId!, { timeoutMs: left(deadline) });
      console.log(`approval ${approval.id}: ${approval.status}`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(RESUME_PAUSE_MS, left(deadline))));
    run = await portcullis.waitForWorkflowRun(run.id, { timeoutMs: left(deadline) });
  }
  console.log(JSON.stringify({ workflowRunId: run.id, runId: run.runId, status: run.status, error: run.error }));
  return 0;
}

function printSteps(run: WorkflowRun): void {
  console.log(`workflow ${run.workflowName} v${run.version}: ${run.status}`);
  for (const step of run.steps) {
    const error = step.error ? ` error=${step.error.code}: ${step.error.message}` : "";
    console.log(`  ${step.id.padEnd(16)} ${step.status.padEnd(18)} decision=${step.decision ?? "-"}${error}`);
  }
}

function left(deadline: number): number {
  return Math.max(0, deadline - Date.now());
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`set ${name}`);
    process.exit(2);
  }
  return value;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof PortcullisError) {
    console.log(`error: ${error.status} ${error.code ?? ""}: ${error.message} (request ${error.requestId ?? "?"})`);
  } else {
    console.log(`error: ${String(error)}`);
  }
  process.exitCode = 1;
}
