import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PortcullisClient } from "../src/index.js";
import { FakeServer, useFakeServer } from "./fake-server.js";
import { AGENT_KEY, approval, execution } from "./fixtures.js";

describe("waitForApproval", () => {
  let server: FakeServer;
  let client: PortcullisClient;
  useFakeServer((s, c) => {
    server = s;
    client = c;
  });

  it("long-polls until the approval is decided and returns it with its execution", async () => {
    const decided = approval({ status: "approved", approvalsReceived: 1, decidedBy: "usr_1", execution: execution() });
    server.reply({ body: approval() }, { body: decided });
    const result = await client.waitForApproval("apr_1", { timeoutMs: 2_999, pollIntervalMs: 10 });

    assert.deepEqual(result, decided);
    assert.equal(server.received[0]?.url, "/api/approvals/apr_1?waitSeconds=2");
    assert.match(server.received[1]?.url ?? "", /^\/api\/approvals\/apr_1\?waitSeconds=[12]$/);
  });

  it("asks for at most 60 seconds per long-poll", async () => {
    server.reply({ body: approval({ status: "rejected" }) });
    await client.waitForApproval("apr_1", { timeoutMs: 600_000 });
    assert.equal(server.received[0]?.url, "/api/approvals/apr_1?waitSeconds=60");
  });

  it("a held long-poll does not count against the request time-out", async () => {
    // The client's time-out is 300 ms; the server holds the poll for 700 ms of the 3 s asked for.
    const impatient = new PortcullisClient(server.url, AGENT_KEY, { timeoutMs: 300 });
    server.reply({ delayMs: 700, body: approval({ status: "approved" }) });
    const result = await impatient.waitForApproval("apr_1", { timeoutMs: 3_500 });
    assert.equal(result.status, "approved");
    assert.equal(server.received.length, 1);
  });

  it("returns the approval still pending when the time is up", async () => {
    server.reply(...Array.from({ length: 20 }, () => ({ body: approval() })));
    const started = Date.now();
    const result = await client.waitForApproval("apr_1", { timeoutMs: 900, pollIntervalMs: 50 });

    assert.equal(result.status, "pending");
    assert.ok(Date.now() - started < 3_000);
    assert.ok(server.received.length >= 2);
    // Under a second left: plain polls, no long-poll parameter.
    assert.equal(server.received[0]?.url, "/api/approvals/apr_1");
  });

  it("an expired approval ends the wait", async () => {
    server.reply({ body: approval({ status: "expired" }) });
    assert.equal((await client.waitForApproval("apr_1", { timeoutMs: 5_000 })).status, "expired");
  });
});
