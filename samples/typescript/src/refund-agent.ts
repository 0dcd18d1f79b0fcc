// The support agent refund flow of docs/sdks.md: open a run, log what the agent did, ask Portcullis
// for the refund, act on each of the four decisions, log the outcome and always end the run.
// Prints one line per step; the last line is a JSON summary.
import {
  PortcullisClient,
  PortcullisError,
  type ActionResult,
  type Execution,
  type JsonObject,
  type RunEndStatus,
} from "@portcullis/sdk";

/** How the run ends: a final status, or left open while an approval is still pending. */
type Outcome = { status: RunEndStatus | "awaiting_approval"; outcome: string };

const portcullis = new PortcullisClient(env("PORTCULLIS_BASE_URL"), env("PORTCULLIS_AGENT_KEY"));
const ticket = { id: process.env.TICKET_ID ?? "TKT-1042", customerTier: "premium", message: "My blender arrived broken." };
const amount = Number(process.env.REFUND_AMOUNT ?? "7999"); // cents: $79.99
/** A dashboard page on the server this agent talks to. */
const dashboardUrl = (path: string): string => new URL(path, env("PORTCULLIS_BASE_URL")).toString();
const approvalTimeoutMs = Number(process.env.APPROVAL_TIMEOUT_SECONDS ?? "60") * 1000;
const summary: Record<string, unknown> = { runId: null, decision: null, finalStatus: null };

/** The run's timeline as this agent writes it: sequence numbers from 2 (1 is the server's run.started). */
class RunLog {
  #nextSeq = 2;
  constructor(readonly runId: string) {}

  async add(eventType: string, payload: JsonObject): Promise<void> {
    const sequenceNo = this.#nextSeq++;
    await portcullis.logEvents(this.runId, [{ eventType, sequenceNo, payload }]);
    console.log(`logged ${eventType} (seq ${sequenceNo})`);
  }
}

async function main(): Promise<number> {
  let runLog: RunLog | undefined;
  let ending: Outcome = { status: "failed", outcome: "refund_failed" }; // what an exception leaves behind
  let exitCode = 0;
  try {
    const run = await portcullis.startRun({ triggerType: "support-ticket", externalRef: ticket.id, agentVersion: "1.0.0" });
    runLog = new RunLog(run.runId);
    summary.runId = run.runId;
    console.log(`run started: ${run.runId} (${run.status})`);

    await runLog.add("context.retrieved", { source: "knowledge-base", query: ticket.message, documentsFound: 3 });
    await runLog.add("intent.classified", { intent: "refund-request", confidence: 0.95 });

    const result = await portcullis.requestAction({
      runId: run.runId,
      actionType: "refund.create",
      provider: "stripe",
      resourceType: "charge",
      resourceId: "ch_3OabcEXAMPLE",
      payload: { charge: "ch_3OabcEXAMPLE", amount, reason: "requested_by_customer", metadata: { ticket_id: ticket.id } },
      evidence: { confidence: 0.95, customerTier: ticket.customerTier },
    });
    summary.decision = result.decision;
    console.log(`refund.create of ${amount} for ${ticket.id}: ${result.decision} (${result.reason})`);

    ending = await handle(result, runLog);
    await runLog.add(ending.outcome === "refunded" ? "ticket.resolved" : "ticket.escalated", { ticketId: ticket.id, outcome: ending.outcome });
  } catch (error) {
    report(error);
    exitCode = 1;
  } finally {
    if (runLog && ending.status !== "awaiting_approval" && !(await end(runLog.runId, ending.status))) exitCode = 1;
    summary.finalStatus = runLog ? ending.status : null;
    console.log(JSON.stringify(summary));
  }
  return exitCode;
}

async function handle(result: ActionResult, runLog: RunLog): Promise<Outcome> {
  switch (result.decision) {
    case "allow":
    case "allow_with_alert":
      if (result.decision === "allow_with_alert") console.log("allowed with an alert: the team has been notified");
      return executed(result.execution, runLog);
    case "require_approval": {
      const approvalRequestId = result.approvalRequestId;
      summary.approvalRequestId = approvalRequestId;
      console.log(`approval requested: ${approvalRequestId}`);
      console.log(`waiting up to ${approvalTimeoutMs / 1000} s for a human: approve or reject it at ${dashboardUrl(`/approvals/${approvalRequestId}`)}`);
      await runLog.add("action.pending", { approvalRequestId });
      const approval = await portcullis.waitForApproval(approvalRequestId, { timeoutMs: approvalTimeoutMs });
      summary.approvalStatus = approval.status;
      if (approval.status === "approved") {
        console.log(`approval approved by ${approval.decidedBy ?? "an approver"}`);
        return executed(approval.execution ?? undefined, runLog);
      }
      if (approval.status === "pending") {
        console.log("approval still pending: the run stays awaiting_approval");
        return { status: "awaiting_approval", outcome: "awaiting_approval" };
      }
      console.log(`approval ${approval.status}${approval.comment ? `: ${approval.comment}` : ""}`);
      await runLog.add("action.rejected", { approvalRequestId, status: approval.status, comment: approval.comment });
      return { status: "blocked", outcome: `refund_${approval.status}` };
    }
    case "block":
      console.log(`blocked: ${result.reason}`);
      await runLog.add("action.blocked", { reason: result.reason, policies: result.matchedPolicies.map((p) => p.name) });
      return { status: "blocked", outcome: "refund_blocked" };
  }
}

/** An allowed action ran through the connector, which either executed it or failed. */
async function executed(execution: Execution | undefined, runLog: RunLog): Promise<Outcome> {
  summary.executionStatus = execution?.status ?? null;
  if (execution?.status === "failed") {
    summary.executionError = execution.error?.code ?? null;
    console.log(`connector failed: ${execution.error?.code ?? "error"}: ${execution.error?.message ?? "no details"}`);
    await runLog.add("action.failed", { execution: { ...execution } });
    return { status: "failed", outcome: "refund_failed" };
  }
  const refund = execution?.response_payload as { id?: string } | null | undefined;
  console.log(`refund executed: ${refund?.id ?? "no refund id"}${execution?.simulated ? " (simulated)" : ""}`);
  await runLog.add("action.completed", { execution: execution ? { ...execution } : null });
  return { status: "completed", outcome: "refunded" };
}

/** Ends the run; a run that has already ended is fine. Returns false when the run could not be ended. */
async function end(runId: string, status: RunEndStatus): Promise<boolean> {
  try {
    const run = await portcullis.endRun({ runId, status });
    console.log(`run ended: ${run.status}`);
    return true;
  } catch (error) {
    if (error instanceof PortcullisError && error.code === "run_ended") {
      console.log("run had already ended");
      return true;
    }
    report(error);
    return false;
  }
}

function report(error: unknown): void {
  if (!(error instanceof PortcullisError)) {
    summary.error = { message: String(error) };
    console.log(`error: ${String(error)}`);
    return;
  }
  summary.error = { status: error.status, code: error.code ?? null, isUnauthorized: error.isUnauthorized };
  if (error.isUnauthorized) {
    console.log("unauthorized: the agent key is missing, unknown or revoked; create a new key in the dashboard");
  } else {
    console.log(`error: ${error.status} ${error.code ?? ""}: ${error.message} (request ${error.requestId ?? "?"})`);
  }
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`set ${name}`);
    process.exit(2);
  }
  return value;
}

process.exitCode = await main();
