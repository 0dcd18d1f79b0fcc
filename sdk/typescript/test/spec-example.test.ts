import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PortcullisClient, PortcullisError } from "../src/index.js";
import { FakeServer, useFakeServer } from "./fake-server.js";
import { execution } from "./fixtures.js";

describe("the spec's requestAction example", () => {
  let server: FakeServer;
  let client: PortcullisClient;
  useFakeServer((s, c) => {
    server = s;
    client = c;
  });

  it("compiles under strict as written: a built-in action's allowed answer always has its execution", async () => {
    server.reply({ body: { decision: "allow", reason: "r", actionRequestId: "act_1", matchedPolicies: [], execution: execution() } });
    const result = await client.requestAction({
      runId: "run_1",
      actionType: "refund.create",
      provider: "stripe",
      payload: { charge: "ch_3OabcEXAMPLE", amount: 7999, reason: "requested_by_customer" },
    });
    let said = "";
    // The spec's switch, verbatim but for console.log: `result.execution` needs no `?.` or `!`.
    switch (result.decision) {
      case "allow":
      case "allow_with_alert":
        if (result.execution.status === "executed") {
          said = `Refund processed: ${JSON.stringify(result.execution.response_payload)}`;
        } else {
          said = `Connector failed: ${JSON.stringify(result.execution.response_payload)}`;
        }
        break;
      case "require_approval":
        said = `Pending approval: ${result.approvalRequestId}`;
        break;
      case "block":
        said = `Blocked: ${result.reason}`;
        break;
    }
    assert.equal(said, 'Refund processed: {"id":"re_1","object":"refund","amount":7999}');
  });

  it("still says honestly that a custom action type has no execution", async () => {
    server.reply({ body: { decision: "allow", reason: "r", actionRequestId: "act_1", matchedPolicies: [] } });
    const result = await client.requestAction({ runId: "run_1", actionType: "crm.my_custom_sync", payload: {} });
    if (result.decision === "allow") {
      // Compiled, never run: a custom action type is governed but never dispatched, so execution may be absent.
      const unchecked = () => {
        // @ts-expect-error `result.execution` is possibly undefined
        void result.execution.status;
      };
      void unchecked;
      assert.equal(result.execution, undefined);
    }
  });

  it("refuses an allowed built-in answer that lacks its execution instead of breaking the type's promise", async () => {
    server.reply({ body: { decision: "allow", reason: "r", actionRequestId: "act_1", matchedPolicies: [] } });
    await assert.rejects(
      client.requestAction({ runId: "run_1", actionType: "email.send", payload: {} }),
      (error: unknown) => error instanceof PortcullisError && error.code === "invalid_response",
    );
  });
});
