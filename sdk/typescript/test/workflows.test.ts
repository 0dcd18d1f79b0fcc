import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PortcullisClient, PortcullisError } from "../src/index.js";
import { FakeServer, problem, useFakeServer } from "./fake-server.js";
import { AGENT_KEY, workflowRun } from "./fixtures.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const unavailable = { status: 503, headers: { "Retry-After": "0" }, body: problem(503, "unavailable", "try again") };

describe("workflows", () => {
  let server: FakeServer;
  let client: PortcullisClient;
  useFakeServer((s, c) => {
    server = s;
    client = c;
  });

  it("runWorkflow posts the input with a generated idempotency key and returns the 202 answer", async () => {
    server.reply({ status: 202, body: { workflowRunId: "wfr_1", runId: "run_1", status: "running" } });
    const started = await client.runWorkflow("wf_1/x", { orderId: "ord_1" });

    assert.deepEqual(started, { workflowRunId: "wfr_1", runId: "run_1", status: "running" });
    const [request] = server.received;
    assert.equal(request?.method, "POST");
    assert.equal(request?.url, "/api/workflows/wf_1%2Fx/runs");
    assert.equal(request?.headers.authorization, `Bearer ${AGENT_KEY}`);
    assert.equal(request?.headers["content-type"], "application/json");
    assert.match(String(request?.headers["idempotency-key"]), UUID);
    assert.deepEqual(request?.body, { input: { orderId: "ord_1" } });
  });

  it("runWorkflow without input sends an empty body and retries a 503 with the same given key", async () => {
    server.reply(unavailable, { status: 202, body: { workflowRunId: "wfr_1", runId: "run_1", status: "running" } });
    const started = await client.runWorkflow("wf_1", undefined, { idempotencyKey: "order-ord_1" });

    assert.equal(started.workflowRunId, "wfr_1");
    assert.equal(server.received.length, 2);
    for (const request of server.received) {
      assert.equal(request.headers["idempotency-key"], "order-ord_1");
      assert.deepEqual(request.body, {});
    }
  });

  it("runWorkflow on an unknown workflow throws the 404 with its code", async () => {
    server.reply({ status: 404, headers: { "X-Request-Id": "req_1" }, body: problem(404, "not_found", "no such workflow") });
    const error = await client.runWorkflow("wf_nope").catch((e: unknown) => e);

    assert.ok(error instanceof PortcullisError);
    assert.equal(error.status, 404);
    assert.equal(error.code, "not_found");
    assert.equal(error.requestId, "req_1");
    assert.equal(server.received.length, 1);
  });

  it("getWorkflowRun long-polls with waitSeconds and parses the whole run with its steps", async () => {
    server.reply({ body: workflowRun() });
    const found = await client.getWorkflowRun("wfr_1", { waitSeconds: 30 });

    assert.deepEqual(found, workflowRun());
    assert.equal(found.steps[1]?.approvalRequestId, "apr_1");
    const [request] = server.received;
    assert.equal(request?.method, "GET");
    assert.equal(request?.url, "/api/workflow-runs/wfr_1?waitSeconds=30");
    assert.equal(request?.body, undefined);
    assert.equal(request?.headers["content-type"], undefined);
  });

  it("getWorkflowRun without a wait sends no query, and refuses a wait over 60 s", async () => {
    server.reply({ body: workflowRun({ status: "completed" }) });
    assert.equal((await client.getWorkflowRun("wfr_1")).status, "completed");
    assert.equal(server.received[0]?.url, "/api/workflow-runs/wfr_1");
    assert.throws(() => client.getWorkflowRun("wfr_1", { waitSeconds: 61 }), RangeError);
  });

  it("reads states it does not know without failing", async () => {
    const later = workflowRun({ status: "paused" as never });
    server.reply({ body: later });
    assert.equal((await client.waitForWorkflowRun("wfr_1", { timeoutMs: 5_000 })).status, "paused");
  });

  it("waitForWorkflowRun long-polls while running and ends on completed", async () => {
    server.reply({ body: workflowRun({ status: "running" }) }, { body: workflowRun({ status: "completed" }) });
    const finished = await client.waitForWorkflowRun("wfr_1", { timeoutMs: 2_999, pollIntervalMs: 10 });

    assert.equal(finished.status, "completed");
    assert.equal(server.received[0]?.url, "/api/workflow-runs/wfr_1?waitSeconds=2");
    assert.match(server.received[1]?.url ?? "", /^\/api\/workflow-runs\/wfr_1\?waitSeconds=[12]$/);
  });

  it("waitForWorkflowRun ends on awaiting_approval, asking at most 60 s per poll", async () => {
    server.reply({ body: workflowRun() });
    const waiting = await client.waitForWorkflowRun("wfr_1", { timeoutMs: 600_000 });

    assert.equal(waiting.status, "awaiting_approval");
    assert.equal(waiting.steps.find((step) => step.status === "awaiting_approval")?.approvalRequestId, "apr_1");
    assert.equal(server.received.length, 1);
    assert.equal(server.received[0]?.url, "/api/workflow-runs/wfr_1?waitSeconds=60");
  });

  it("a held long-poll does not count against the request time-out", async () => {
    const impatient = new PortcullisClient(server.url, AGENT_KEY, { timeoutMs: 300 });
    server.reply({ delayMs: 700, body: workflowRun({ status: "completed" }) });
    assert.equal((await impatient.waitForWorkflowRun("wfr_1", { timeoutMs: 3_500 })).status, "completed");
    assert.equal(server.received.length, 1);
  });

  it("cancelWorkflowRun posts to the cancel path without a body and returns the cancelled run", async () => {
    server.reply({ body: workflowRun({ status: "cancelled", completedAt: "2026-12-03T10:01:00.000Z" }) });
    const cancelled = await client.cancelWorkflowRun("wfr_1");

    assert.equal(cancelled.status, "cancelled");
    const [request] = server.received;
    assert.equal(request?.method, "POST");
    assert.equal(request?.url, "/api/workflow-runs/wfr_1/cancel");
    assert.equal(request?.body, undefined);
  });

  it("cancelWorkflowRun on a settled run throws the 409 not_cancellable", async () => {
    server.reply({ status: 409, body: problem(409, "not_cancellable", "the run has completed") });
    const error = await client.cancelWorkflowRun("wfr_1").catch((e: unknown) => e);

    assert.ok(error instanceof PortcullisError && error.isConflict);
    assert.equal(error.code, "not_cancellable");
  });
});
