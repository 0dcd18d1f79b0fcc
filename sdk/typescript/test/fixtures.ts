import type { Approval, Execution, ExecutionError, Run } from "../src/index.js";

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
