import type { Approval, Execution, ExecutionError, Run, WorkflowRun } from "../src/index.js";

export const AGENT_KEY = "pk_live_test_0123456789";

export function execution(overrides: Partial<Execution> = {}): Execution {
  return {
    id: "exe_1",
    status: "executed",
    provider: "stripe",
    action_type: "refund.create",
    attempts: 1,
    simulated: true,
    started_at: "2026-11-21T22:44:02.123Z",
    completed_at: "2026-11-21T22:44:02.456Z",
    error: null,
    response_payload: { id: "re_1", object: "refund", amount: 7999 },
    ...overrides,
  };
}

/** A provider's failure, as the server records it. */
export const cardDeclined: ExecutionError = {
  code: "card_declined",
  message: "Your card was declined.",
  provider_status: 402,
  provider_request_id: "req_1",
};

export function approval(overrides: Partial<Approval> = {}): Approval {
  return {
    id: "apr_1",
    status: "pending",
    actionRequestId: "act_1",
    runId: "run_1",
    actionType: "refund.create",
    provider: "stripe",
    approvalsRequired: 1,
    approvalsReceived: 0,
    createdAt: "2026-11-21T22:44:02.123Z",
    expiresAt: "2026-11-22T22:44:02.123Z",
    decidedAt: null,
    comment: null,
    decidedBy: null,
    policyRevision: 12,
    ...overrides,
  };
}

export function run(overrides: Partial<Run> = {}): Run {
  return {
    runId: "run_1",
    status: "completed",
    agentId: "agt_1",
    triggerType: "support-ticket",
    externalRef: "TKT-1042",
    agentVersion: null,
    triggeredBy: null,
    startedAt: "2026-11-21T22:44:02.123Z",
    endedAt: "2026-11-21T22:45:02.123Z",
    ...overrides,
  };
}

/** A workflow run as the server writes it, nulls included: a looked-up order, a refund waiting for approval. */
export function workflowRun(overrides: Partial<WorkflowRun> = {}): WorkflowRun {
  return {
    id: "wfr_1",
    workflowId: "wf_1",
    workflowName: "Refund flow",
    version: 3,
    runId: "run_1",
    status: "awaiting_approval",
    input: { orderId: "ord_1" },
    error: null,
    createdAt: "2026-12-03T10:00:00.000Z",
    completedAt: null,
    steps: [
      {
        id: "lookup",
        name: "Look up the order",
        actionType: "http.request",
        status: "completed",
        actionRequestId: "act_1",
        decision: "allow",
        approvalRequestId: null,
        input: { url: "https://shop.example.com/orders/ord_1" },
        output: { status: 200, body: { amount: 7999 } },
        error: null,
        startedAt: "2026-12-03T10:00:00.100Z",
        completedAt: "2026-12-03T10:00:00.300Z",
      },
      {
        id: "refund",
        name: "Refund the charge",
        actionType: "refund.create",
        status: "awaiting_approval",
        actionRequestId: "act_2",
        decision: "require_approval",
        approvalRequestId: "apr_1",
        input: { charge: "ch_1", amount: 7999 },
        output: null,
        error: null,
        startedAt: "2026-12-03T10:00:00.400Z",
        completedAt: null,
      },
    ],
    ...overrides,
  };
}
