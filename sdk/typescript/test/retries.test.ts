import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PortcullisClient, PortcullisConnectionError, PortcullisError, PortcullisTimeoutError } from "../src/index.js";
import { FakeServer, problem, useFakeServer } from "./fake-server.js";
import { AGENT_KEY, run } from "./fixtures.js";

const APPROVAL = { id: "apr_1", status: "approved" };
const BLOCKED = { decision: "block", reason: "no", actionRequestId: "act_1", matchedPolicies: [] };
/** `Retry-After: 0` makes a retry immediate, so the tests do not wait out real backoff. */
const UNAVAILABLE = { status: 503, headers: { "Retry-After": "0" }, body: problem(503, "unavailable", "try again") };

describe("retries", () => {
  let server: FakeServer;
  let client: PortcullisClient;
  useFakeServer((s, c) => {
    server = s;
    client = c;
  });

  /** A client whose time-out a delayed reply exceeds quickly. */
  const impatient = () => new PortcullisClient(server.url, AGENT_KEY, { timeoutMs: 300 });

  it("retries a 5xx on a read until it succeeds", async () => {
    server.reply(UNAVAILABLE, UNAVAILABLE, { body: APPROVAL });
    assert.equal((await client.getApproval("apr_1")).status, "approved");
    assert.equal(server.received.length, 3);
  });

  it("gives up after maxRetries and throws the last error", async () => {
    server.reply(UNAVAILABLE, UNAVAILABLE, UNAVAILABLE, { body: APPROVAL });
    await assert.rejects(client.getApproval("apr_1"), (error: PortcullisError) => error.status === 503);
    assert.equal(server.received.length, 3);
  });

  it("maxRetries 0 sends once", async () => {
    const once = new PortcullisClient(server.url, AGENT_KEY, { maxRetries: 0 });
    server.reply(UNAVAILABLE);
    await assert.rejects(once.getApproval("apr_1"), PortcullisError);
    assert.equal(server.received.length, 1);
  });

  it("backs off without Retry-After", async () => {
    server.reply({ status: 502, body: "bad gateway" }, { body: APPROVAL });
    const started = Date.now();
    await client.getApproval("apr_1");
    // First backoff is 250–500 ms.
    assert.ok(Date.now() - started >= 240, `retried after ${Date.now() - started} ms`);
  });

  it("honours Retry-After on a 429", async () => {
    server.reply({ status: 429, headers: { "Retry-After": "1" }, body: problem(429, "rate_limited", "slow down") }, { body: { accepted: 1, duplicates: 0 } });
    const started = Date.now();
    await client.logEvents("run_1", [{ eventType: "x", sequenceNo: 2 }]);
    assert.ok(Date.now() - started >= 990, `retried after ${Date.now() - started} ms`);
    assert.deepEqual(server.received[1]?.body, server.received[0]?.body);
  });

  it("does not wait out a Retry-After over a minute: the caller gets it", async () => {
    server.reply({ status: 429, headers: { "Retry-After": "120" }, body: problem(429, "rate_limited", "slow down") });
    await assert.rejects(client.getApproval("apr_1"), (error: PortcullisError) => error.isRateLimited && error.retryAfter === 120);
    assert.equal(server.received.length, 1);
  });

  it("never retries a 4xx other than 429", async () => {
    server.reply({ status: 409, body: problem(409, "conflict", "sequence 2 has other content") });
    await assert.rejects(client.logEvents("run_1", [{ eventType: "x", sequenceNo: 2 }]), (error: PortcullisError) => error.isConflict);
    assert.equal(server.received.length, 1);
  });

  it("retries a time-out on a read, then throws PortcullisTimeoutError", async () => {
    server.reply({ delayMs: 1000, body: APPROVAL }, { delayMs: 1000, body: APPROVAL }, { delayMs: 1000, body: APPROVAL });
    await assert.rejects(impatient().getApproval("apr_1"), PortcullisTimeoutError);
    assert.equal(server.received.length, 3);
  });

  it("retries a dropped connection on a read", async () => {
    server.reply({ reset: true }, { body: APPROVAL });
    assert.equal((await client.getApproval("apr_1")).status, "approved");
    assert.equal(server.received.length, 2);
  });

  it("requestAction retries with the same idempotency key in header and body", async () => {
    server.reply(UNAVAILABLE, { reset: true }, { body: BLOCKED });
    await client.requestAction({ runId: "run_1", actionType: "refund.create", payload: { amount: 1 } });

    assert.equal(server.received.length, 3);
    const keys = server.received.map((request) => request.headers["idempotency-key"]);
    assert.ok(keys[0]);
    assert.deepEqual(keys, [keys[0], keys[0], keys[0]]);
    assert.deepEqual(server.received.map((request) => request.body.idempotencyKey), keys);
  });

  it("each requestAction call gets its own key", async () => {
    server.reply({ body: BLOCKED }, { body: BLOCKED });
    await client.requestAction({ runId: "run_1", actionType: "a", payload: {} });
    await client.requestAction({ runId: "run_1", actionType: "a", payload: {} });
    assert.notEqual(server.received[0]?.headers["idempotency-key"], server.received[1]?.headers["idempotency-key"]);
  });

  it("startRun is not retried once the request may have reached the server", async () => {
    server.reply(UNAVAILABLE);
    await assert.rejects(client.startRun({ triggerType: "t" }), (error: PortcullisError) => error.status === 503);
    server.reply({ reset: true });
    await assert.rejects(client.startRun({ triggerType: "t" }), PortcullisConnectionError);
    server.reply({ delayMs: 1000, body: { runId: "run_1", status: "running" } });
    await assert.rejects(impatient().startRun({ triggerType: "t" }), PortcullisTimeoutError);
    assert.equal(server.received.length, 3);
  });

  it("startRun is retried on a 429, which the server refuses before doing anything", async () => {
    server.reply({ status: 429, headers: { "Retry-After": "0" }, body: problem(429, "rate_limited", "slow down") }, { status: 201, body: { runId: "run_1", status: "running" } });
    assert.equal((await client.startRun({ triggerType: "t" })).runId, "run_1");
    assert.equal(server.received.length, 2);
  });

  it("startRun is retried when the connection is refused, then throws PortcullisConnectionError", async () => {
    const closed = await FakeServer.start();
    const url = closed.url;
    await closed.close();
    let attempts = 0;
    const counting = new PortcullisClient(url, AGENT_KEY, { fetch: (input, init) => (attempts++, fetch(input, init)) });
    await assert.rejects(counting.startRun({ triggerType: "t" }), (error: unknown) => {
      return error instanceof PortcullisConnectionError && !(error instanceof PortcullisTimeoutError);
    });
    assert.equal(attempts, 3);
  });

  it("endRun is retried, and a 409 run_ended after a lost answer is thrown as a conflict", async () => {
    server.reply(UNAVAILABLE, { body: run() });
    assert.equal((await client.endRun({ runId: "run_1", status: "completed" })).status, "completed");
    server.reply({ reset: true }, { status: 409, body: problem(409, "run_ended", "the run has ended") });
    await assert.rejects(client.endRun({ runId: "run_1", status: "completed" }), (error: PortcullisError) => error.code === "run_ended");
    assert.equal(server.received.length, 4);
  });

  it("an abort stops the waiting between retries at once", async () => {
    server.reply({ status: 503, headers: { "Retry-After": "30" }, body: problem(503, "unavailable", "later") });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("caller gave up")), 100);
    const started = Date.now();
    await assert.rejects(client.getApproval("apr_1", { signal: controller.signal }), /caller gave up/);
    assert.ok(Date.now() - started < 2000);
  });
});
