import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PortcullisClient, PortcullisError, type RunEndStatus } from "../src/index.js";
import { FakeServer, useFakeServer } from "./fake-server.js";
import { AGENT_KEY, approval, execution, run } from "./fixtures.js";

/** The quick start of docs/sdks.md, with the client passed in. */
async function handleTicket(portcullis: PortcullisClient, ticket: { id: string; customerTier: string; message: string }) {
  const { runId } = await portcullis.startRun({ triggerType: "support-ticket", externalRef: ticket.id });
  let nextSeq = 2; // sequenceNo 1 is the server's run.started
  let finalStatus: RunEndStatus | undefined = "failed"; // what an exception leaves behind
  try {
    await portcullis.logEvents(runId, [
      { eventType: "context.retrieved", sequenceNo: nextSeq++, payload: { query: ticket.message } },
    ]);

    const result = await portcullis.requestAction({
      runId,
      actionType: "refund.create",
      provider: "stripe",
      payload: { charge: "ch_3OabcEXAMPLE", amount: 7999, reason: "requested_by_customer" },
      evidence: { confidence: 0.95, customerTier: ticket.customerTier },
    });

    switch (result.decision) {
      case "allow":
      case "allow_with_alert":
        finalStatus = result.execution?.status === "failed" ? "failed" : "completed";
        break;
      case "require_approval": {
        const decided = await portcullis.waitForApproval(result.approvalRequestId, { timeoutMs: 10 * 60_000 });
        if (decided.status === "pending") finalStatus = undefined;
        else finalStatus = decided.status === "approved" ? "completed" : "blocked";
        break;
      }
      case "block":
        finalStatus = "blocked";
        break;
    }
  } catch (error) {
    if (error instanceof PortcullisError && error.isUnauthorized) {
      // the docs log a hint to rotate the key here
    }
    throw error;
  } finally {
    if (finalStatus) await portcullis.endRun({ runId, status: finalStatus });
  }
}

describe("the quick start of docs/sdks.md", () => {
  let server: FakeServer;
  const ticket = { id: "TKT-1042", customerTier: "premium", message: "my blender broke" };
  useFakeServer((s) => {
    server = s;
  });

  const started = { status: 201, body: { runId: "run_1", status: "running" } };
  const logged = { body: { accepted: 1, duplicates: 0 } };
  const action = (decision: string, extra: object = {}) => ({
    body: { decision, reason: "r", actionRequestId: "act_1", matchedPolicies: [], ...extra },
  });

  it("ends the run completed after an executed action", async () => {
    server.reply(started, logged, action("allow", { execution: execution() }), { body: run() });
    await handleTicket(new PortcullisClient(server.url, AGENT_KEY), ticket);
    assert.deepEqual(server.received.map((r) => r.url), ["/api/ingest/run-start", "/api/ingest/events", "/api/actions/request", "/api/ingest/run-end"]);
    assert.deepEqual(server.received[3]?.body, { runId: "run_1", status: "completed" });
  });

  it("waits for the approval, then ends the run by its outcome", async () => {
    server.reply(started, logged, action("require_approval", { approvalRequestId: "apr_1" }), { body: approval({ status: "rejected" }) }, { body: run({ status: "blocked" }) });
    await handleTicket(new PortcullisClient(server.url, AGENT_KEY), ticket);
    assert.equal(server.received[3]?.url, "/api/approvals/apr_1?waitSeconds=60");
    assert.deepEqual(server.received[4]?.body, { runId: "run_1", status: "blocked" });
  });

  it("ends the run failed when a call throws", async () => {
    server.reply(started, { status: 400, body: { code: "validation_failed", detail: "bad event" } }, { body: run({ status: "failed" }) });
    await assert.rejects(handleTicket(new PortcullisClient(server.url, AGENT_KEY), ticket), PortcullisError);
    assert.deepEqual(server.received[2]?.body, { runId: "run_1", status: "failed" });
  });
});
