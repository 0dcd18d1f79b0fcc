import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PortcullisClient, PortcullisError } from "../src/index.js";
import { FakeServer, problem, useFakeServer } from "./fake-server.js";
import { AGENT_KEY } from "./fixtures.js";

describe("errors", () => {
  let server: FakeServer;
  let client: PortcullisClient;
  useFakeServer((s, c) => {
    server = s;
    client = c;
  });

  async function failure(): Promise<PortcullisError> {
    const error = await client.getApproval("apr_1").then(
      () => assert.fail("expected an error"),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof PortcullisError);
    return error;
  }

  it("a validation problem carries code, message, request id and the field errors", async () => {
    const errors = { "payload.amount": ["must be a number"], runId: ["is required"] };
    server.reply({ status: 400, body: problem(400, "validation_failed", "the request has 2 invalid fields", { requestId: "req_9", errors }) });
    const error = await failure();

    assert.equal(error.status, 400);
    assert.equal(error.code, "validation_failed");
    assert.equal(error.message, "the request has 2 invalid fields");
    assert.equal(error.requestId, "req_9");
    assert.deepEqual(error.errors, errors);
    assert.equal(error.isValidation, true);
    assert.equal(error.isUnauthorized, false);
    assert.equal(error.name, "PortcullisError");
  });

  it("401 is unauthorized, and isRevoked says the same", async () => {
    server.reply({ status: 401, body: problem(401, "unauthorized", "a valid API key is required") });
    const error = await failure();
    assert.equal(error.isUnauthorized, true);
    assert.equal(error.isRevoked, true);
    assert.equal(error.isRateLimited, false);
  });

  it("402 is billing locked, with the recovery summary in the problem", async () => {
    const billing = { state: "past_due", reason: "grace exceeded", recovery: "update the card" };
    server.reply({ status: 402, body: problem(402, "billing_locked", "billing is locked", { billing }) });
    const error = await failure();
    assert.equal(error.isBillingLocked, true);
    assert.deepEqual(error.problem?.billing, billing);
  });

  it("409 is a conflict", async () => {
    server.reply({ status: 409, body: problem(409, "already_decided", "the approval is no longer pending") });
    const error = await failure();
    assert.equal(error.isConflict, true);
    assert.equal(error.code, "already_decided");
  });

  it("takes the request id from X-Request-Id when the body has none", async () => {
    server.reply({ status: 404, headers: { "X-Request-Id": "req_h" }, body: problem(404, "not_found", "no such approval") });
    const error = await failure();
    assert.equal(error.requestId, "req_h");
    assert.equal(error.code, "not_found");
  });

  it("a body that is not problem JSON still gives status, a message and the header's request id", async () => {
    server.reply({ status: 413, headers: { "X-Request-Id": "req_p" }, body: "<html>too large</html>" });
    const error = await failure();
    assert.equal(error.status, 413);
    assert.equal(error.code, undefined);
    assert.equal(error.message, "<html>too large</html>");
    assert.equal(error.requestId, "req_p");
    assert.equal(error.problem, undefined);
  });

  it("a 2xx body that is not JSON is an error, never a result", async () => {
    server.reply({ status: 200, headers: { "X-Request-Id": "req_j" }, body: "<html>portal</html>" });
    const error = await failure();
    assert.equal(error.status, 200);
    assert.equal(error.code, "invalid_response");
    assert.equal(error.requestId, "req_j");
  });

  it("an unknown decision is an error, never a permission", async () => {
    server.reply({ body: { decision: "allow_sometimes", reason: "r", actionRequestId: "act_1", matchedPolicies: [] } });
    await assert.rejects(
      client.requestAction({ runId: "run_1", actionType: "a", payload: {} }),
      (error: PortcullisError) => error.code === "invalid_response" && /allow_sometimes/.test(error.message),
    );
  });

  it("a redirect is not followed, so the key and body go nowhere else", async () => {
    server.reply({ status: 307, headers: { Location: "http://127.0.0.1:9/elsewhere" } });
    const error = await failure();
    assert.equal(error.status, 307);
  });

  it("the key never appears in an error", async () => {
    server.reply({ status: 401, body: problem(401, "unauthorized", "a valid API key is required") });
    const error = await failure();
    assert.doesNotMatch(JSON.stringify({ ...error, message: error.message, stack: error.stack }), new RegExp(AGENT_KEY));
  });
});
