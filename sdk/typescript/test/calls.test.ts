import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { PortcullisClient, PortcullisError, SDK_VERSION } from "../src/index.js";
import { FakeServer, useFakeServer } from "./fake-server.js";
import { AGENT_KEY, cardDeclined, execution, run } from "./fixtures.js";

describe("what each call sends and returns", () => {
  let server: FakeServer;
  let client: PortcullisClient;
  useFakeServer((s, c) => {
    server = s;
    client = c;
  });

  it("startRun posts the trigger fields with the key as a bearer token", async () => {
    server.reply({ status: 201, body: { runId: "run_1", status: "running" } });
    const started = await client.startRun({ triggerType: "support-ticket", externalRef: "TKT-1042", agentVersion: "1.4.2" });

    assert.deepEqual(started, { runId: "run_1", status: "running" });
    const [request] = server.received;
    assert.equal(request?.method, "POST");
    assert.equal(request?.url, "/api/ingest/run-start");
    assert.equal(request?.headers.authorization, `Bearer ${AGENT_KEY}`);
    assert.equal(request?.headers["content-type"], "application/json");
    assert.equal(request?.headers.accept, "application/json");
    assert.equal(request?.headers["user-agent"], `portcullis-sdk-typescript/${SDK_VERSION}`);
    assert.equal(request?.headers["x-portcullis-sdk"], `typescript/${SDK_VERSION}`);
    // The key travels in the header only: bodies end up in logs and timelines.
    assert.deepEqual(request?.body, { triggerType: "support-ticket", externalRef: "TKT-1042", agentVersion: "1.4.2" });
  });

  it("logEvents posts the run id and events, dates as ISO 8601", async () => {
    server.reply({ body: { accepted: 2, duplicates: 0 } });
    const result = await client.logEvents("run_1", [
      { eventType: "context.retrieved", sequenceNo: 2, payload: { documentsFound: 3 } },
      { eventType: "intent.classified", sequenceNo: 3, occurredAt: new Date("2026-11-21T22:44:02.123Z") },
    ]);

    assert.deepEqual(result, { accepted: 2, duplicates: 0 });
    const [request] = server.received;
    assert.equal(request?.url, "/api/ingest/events");
    assert.deepEqual(request?.body, {
      runId: "run_1",
      events: [
        { eventType: "context.retrieved", sequenceNo: 2, payload: { documentsFound: 3 } },
        { eventType: "intent.classified", sequenceNo: 3, occurredAt: "2026-11-21T22:44:02.123Z" },
      ],
    });
  });

  it("requestAction posts every field and returns the decision with its execution", async () => {
    const answer = { decision: "allow", reason: "small refund", actionRequestId: "act_1", matchedPolicies: [], policyRevision: 12, execution: execution() };
    server.reply({ body: answer });
    const result = await client.requestAction({
      runId: "run_1",
      actionType: "refund.create",
      provider: "stripe",
      resourceType: "charge",
      resourceId: "ch_1",
      payload: { charge: "ch_1", amount: 7999 },
      evidence: { confidence: 0.92 },
      idempotencyKey: "refund-TKT-1042",
      callbackUrl: "https://agent.example.com/approved",
    });

    assert.deepEqual(result, answer);
    const [request] = server.received;
    assert.equal(request?.url, "/api/actions/request");
    assert.equal(request?.headers["idempotency-key"], "refund-TKT-1042");
    assert.deepEqual(request?.body, {
      runId: "run_1",
      actionType: "refund.create",
      provider: "stripe",
      resourceType: "charge",
      resourceId: "ch_1",
      payload: { charge: "ch_1", amount: 7999 },
      evidence: { confidence: 0.92 },
      idempotencyKey: "refund-TKT-1042",
      callbackUrl: "https://agent.example.com/approved",
    });
  });

  it("checkAction posts the request's fields to /api/actions/check and returns the decision it would get", async () => {
    const answer = {
      decision: "require_approval",
      reason: "refunds over $50 need a human",
      matchedPolicies: [{ id: "pol_1", name: "big refunds", decision: "require_approval", reason: "refunds over $50 need a human", priority: 0 }],
    };
    server.reply({ body: answer });
    const result = await client.checkAction({ runId: "run_1", actionType: "refund.create", payload: { charge: "ch_1", amount: 7999 } });

    assert.deepEqual(result, answer);
    const [request] = server.received;
    assert.equal(request?.method, "POST");
    assert.equal(request?.url, "/api/actions/check");
    // Nothing is recorded, so no idempotency key is made up for a check.
    assert.equal(request?.headers["idempotency-key"], undefined);
    assert.deepEqual(request?.body, { runId: "run_1", actionType: "refund.create", payload: { charge: "ch_1", amount: 7999 } });
  });

  it("checkAction refuses an unknown decision", async () => {
    server.reply({ body: { decision: "maybe", reason: "?", matchedPolicies: [] } });
    await assert.rejects(
      client.checkAction({ runId: "run_1", actionType: "refund.create", payload: {} }),
      (error: PortcullisError) => error.code === "invalid_response",
    );
  });

  it("requestAction decodes a failed execution: its error is an object, matched policies carry their reason and priority", async () => {
    // The answer as the server writes it, nulls included.
    const answer = {
      decision: "allow_with_alert",
      reason: "refunds over $50 alert the team",
      actionRequestId: "act_1",
      matchedPolicies: [{ id: "pol_1", name: "large refunds", decision: "allow_with_alert", reason: null, priority: 5 }],
      execution: execution({ status: "failed", attempts: 2, error: cardDeclined, response_payload: { error: { code: "card_declined" } } }),
    };
    server.reply({ body: answer });
    const result = await client.requestAction({ runId: "run_1", actionType: "refund.create", payload: { charge: "ch_1" } });

    assert.equal(result.decision, "allow_with_alert");
    if (result.decision !== "allow_with_alert") return;
    const error = result.execution?.error;
    assert.equal(result.execution?.status, "failed");
    assert.equal(error?.code, "card_declined");
    assert.equal(error?.message, "Your card was declined.");
    assert.equal(error?.provider_status, 402);
    assert.equal(error?.provider_request_id, "req_1");
    assert.deepEqual(result.matchedPolicies[0], { id: "pol_1", name: "large refunds", decision: "allow_with_alert", reason: null, priority: 5 });
  });

  it("requestAction generates an idempotency key when none is given", async () => {
    server.reply({ body: { decision: "block", reason: "no", actionRequestId: "act_1", matchedPolicies: [] } });
    await client.requestAction({ runId: "run_1", actionType: "refund.create", payload: { amount: 1 } });

    const [request] = server.received;
    const key = request?.headers["idempotency-key"];
    assert.match(String(key), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(request?.body.idempotencyKey, key);
  });

  it("endRun posts the final status and returns the run", async () => {
    server.reply({ body: run({ status: "failed" }) });
    const ended = await client.endRun({ runId: "run_1", status: "failed" });

    assert.equal(ended.status, "failed");
    assert.equal(server.received[0]?.url, "/api/ingest/run-end");
    assert.deepEqual(server.received[0]?.body, { runId: "run_1", status: "failed" });
  });

  it("getApproval gets the approval by its escaped id, without a body", async () => {
    server.reply({ body: { id: "apr_1", status: "approved" } });
    const found = await client.getApproval("apr_1/../x");

    assert.equal(found.status, "approved");
    const [request] = server.received;
    assert.equal(request?.method, "GET");
    assert.equal(request?.url, "/api/approvals/apr_1%2F..%2Fx");
    assert.equal(request?.body, undefined);
    assert.equal(request?.headers["content-type"], undefined);
    assert.equal(request?.headers.authorization, `Bearer ${AGENT_KEY}`);
  });

  it("keeps a base URL's path prefix and ignores its trailing slash", async () => {
    server.reply({ body: { id: "apr_1", status: "approved" } });
    await new PortcullisClient(`${server.url}/portcullis/`, AGENT_KEY).getApproval("apr_1");
    assert.equal(server.received[0]?.url, "/portcullis/api/approvals/apr_1");
  });
});

describe("construction", () => {
  it("rejects a missing key, a bad URL and bad options", () => {
    assert.throws(() => new PortcullisClient("http://localhost", ""), /agentKey is required/);
    assert.throws(() => new PortcullisClient("not a url", AGENT_KEY), /baseUrl is not a URL/);
    assert.throws(() => new PortcullisClient("ftp://localhost", AGENT_KEY), /http or https/);
    assert.throws(() => new PortcullisClient("http://localhost", AGENT_KEY, { maxRetries: -1 }), RangeError);
    assert.throws(() => new PortcullisClient("http://localhost", AGENT_KEY, { timeoutMs: 0 }), RangeError);
  });

  it("the version constant matches package.json", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    assert.equal(SDK_VERSION, pkg.version);
  });
});
