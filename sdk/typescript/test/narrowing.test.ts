import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ActionResult } from "../src/index.js";
import { cardDeclined, execution } from "./fixtures.js";

/** The spec's four-way switch; the compiler checks the narrowing when the tests build. */
function describeResult(result: ActionResult): string {
  switch (result.decision) {
    case "allow":
    case "allow_with_alert":
      if (result.execution?.status === "executed") return `executed ${JSON.stringify(result.execution.response_payload)}`;
      return result.execution ? `connector failed: ${result.execution.error?.code}: ${result.execution.error?.message}` : "allowed, not dispatched";
    case "require_approval":
      return `pending ${result.approvalRequestId}`;
    case "block":
      // @ts-expect-error a blocked result has no approval request
      void result.approvalRequestId;
      return `blocked: ${result.reason}`;
  }
}

describe("ActionResult narrows on decision", () => {
  const base = { reason: "r", actionRequestId: "act_1", matchedPolicies: [] };

  it("in all four branches", () => {
    assert.equal(describeResult({ ...base, decision: "allow", execution: execution() }), 'executed {"id":"re_1","object":"refund","amount":7999}');
    assert.equal(describeResult({ ...base, decision: "allow_with_alert", execution: execution({ status: "failed", error: cardDeclined }) }), "connector failed: card_declined: Your card was declined.");
    assert.equal(describeResult({ ...base, decision: "allow" }), "allowed, not dispatched");
    assert.equal(describeResult({ ...base, decision: "require_approval", approvalRequestId: "apr_1" }), "pending apr_1");
    assert.equal(describeResult({ ...base, decision: "block" }), "blocked: r");
  });
});
