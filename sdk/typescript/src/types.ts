import type { DispatchedActionType } from "./action-types.js";
/** A JSON object: action payloads, evidence and event payloads. */
export type JsonObject = { [key: string]: unknown };

/** Every state a run can be in. */
export type RunStatus = "running" | "awaiting_approval" | "completed" | "failed" | "blocked";

/** The final states an agent may end a run with. */
export type RunEndStatus = "completed" | "failed" | "blocked";

/** The four decisions of the policy engine. */
export type Decision = "allow" | "allow_with_alert" | "require_approval" | "block";

/** Every state an approval can be in; only `pending` is undecided. */
export type ApprovalStatus = "pending" | "approved" | "rejected" | "expired";

/** Arguments of {@link PortcullisClient.startRun}. */
export interface StartRunParams {
  /** What initiated the run, e.g. `"support-ticket"`. */
  triggerType: string;
  /** Correlates the run with a record in your own system, e.g. a ticket id. */
  externalRef?: string;
  /** Your agent's version, for change tracking. */
  agentVersion?: string;
  /** Who or what triggered the run. */
  triggeredBy?: string;
}

/** The answer of {@link PortcullisClient.startRun}. */
export interface RunStarted {
  runId: string;
  status: RunStatus;
}

/** One timeline event. `sequenceNo` is unique per run and starts at 2 (1 is the server's `run.started`). */
export interface RunEvent {
  eventType: string;
  sequenceNo: number;
  payload?: JsonObject;
  /** Defaults to the server's time when the event lands. A `Date` is sent as ISO 8601. */
  occurredAt?: string | Date;
}

/** The answer of {@link PortcullisClient.logEvents}: new events, and identical re-sends that were ignored. */
export interface LogEventsResult {
  accepted: number;
  duplicates: number;
}

/** Arguments of {@link PortcullisClient.requestAction}. */
export interface RequestActionParams<T extends string = string> {
  runId: string;
  /** The action, e.g. `"refund.create"`; a literal built-in type makes the allowed answer's `execution` non-optional. */
  actionType: T;
  /** The connector; may be omitted for built-in action types, whose provider is inferred. */
  provider?: string;
  resourceType?: string;
  resourceId?: string;
  /** The action's arguments; policies see them as `payload.*`. */
  payload: JsonObject;
  /** Risk signals; policies see them as `evidence.*`. */
  evidence?: JsonObject;
  /**
   * Makes the request safe to repeat: the server answers a repeat with the first answer, byte
   * for byte, and never executes twice; the same key with another body is a 409 `conflict`. While
   * the first request is still executing, a repeat waits up to 30 s for its answer, then gets a
   * 409 `conflict` (try again later with the same key). The client generates one when you give none.
   */
  idempotencyKey?: string;
  /** Where the server sends a signed webhook once an approval is decided. */
  callbackUrl?: string;
}

/** A policy that matched an action request. */
export interface MatchedPolicy {
  id: string;
  name: string;
  decision: Decision;
  /** The policy's reason; null when the policy has none. */
  reason: string | null;
  /** Breaks ties between equally restrictive decisions. */
  priority: number;
}

/** The answer of {@link PortcullisClient.checkAction}: what `requestAction` would decide now; nothing was recorded. */
export interface CheckResult {
  decision: Decision;
  reason: string;
  matchedPolicies: MatchedPolicy[];
}

/** Why a connector failed; keeps the wire's snake_case names. */
export interface ExecutionError {
  /** A stable code: the provider's (e.g. `card_declined`) or the connector's (e.g. `connector_not_connected`); null when there is none. */
  code: string | null;
  /** What went wrong, with no secret in it. */
  message: string;
  /** The provider's HTTP status, when the provider answered. */
  provider_status: number | null;
  /** The provider's request id, when it sent one; quote it to the provider's support. */
  provider_request_id: string | null;
}

/** The persisted execution row of a dispatched action; keeps the wire's snake_case names. */
export interface Execution {
  /** The execution's id; null while `status` is `executing` (no execution row exists yet). */
  id: string | null;
  /**
   * `executed` or `failed`; on an idempotent replay while the call is still in flight, `executing` (ask again later);
   * `unknown` when the server died mid-call and the call was not safe to send twice (an admin reconciles it).
   */
  status: "executed" | "failed" | "executing" | "unknown";
  provider: string;
  action_type: string;
  attempts: number;
  simulated: boolean;
  started_at: string;
  completed_at: string;
  /** Why the connector failed; null when it executed. */
  error: ExecutionError | null;
  /** The connector's answer (the provider's response, or its error body). */
  response_payload: unknown;
  /** True when an approver edited the payload before approving; `payload` is then what ran. */
  edited?: boolean;
  /** The payload that ran, present only when `edited`. */
  payload?: unknown;
}

interface ActionResultBase {
  reason: string;
  actionRequestId: string;
  matchedPolicies: MatchedPolicy[];
  /** The workspace's policy revision whose policies made the decision; absent on answers stored before revisions were recorded. */
  policyRevision?: number;
}

/**
 * The action was allowed and, for built-in action types, executed by the connector.
 * `execution` is absent for custom action types, which Portcullis governs but never dispatches.
 */
export interface ActionAllowed extends ActionResultBase {
  decision: "allow" | "allow_with_alert";
  execution?: Execution;
}

/** An allowed action of a type a connector executes ({@link DispatchedActionType}): the answer always has its execution. */
export interface ActionExecuted extends ActionResultBase {
  decision: "allow" | "allow_with_alert";
  execution: Execution;
}

/** The action waits for a human; it runs only once approved. */
export interface ActionRequiresApproval extends ActionResultBase {
  decision: "require_approval";
  approvalRequestId: string;
}

/** A policy blocked the action; `reason` says why. */
export interface ActionBlocked extends ActionResultBase {
  decision: "block";
}

/** The answer of {@link PortcullisClient.requestAction}; `switch (result.decision)` narrows it. */
export type ActionResult = ActionAllowed | ActionRequiresApproval | ActionBlocked;

/**
 * The answer for a request of action type `T`: for a built-in or gateway type written as a literal, the allowed branch
 * is {@link ActionExecuted} (its `execution` is always there); for any other type, or a type only known as `string`,
 * it is {@link ActionAllowed}, whose `execution` may be absent.
 */
export type ActionResultFor<T extends string> =
  | (string extends T ? ActionAllowed : T extends DispatchedActionType ? ActionExecuted : ActionAllowed)
  | ActionRequiresApproval
  | ActionBlocked;

/** Arguments of {@link PortcullisClient.endRun}. */
export interface EndRunParams {
  runId: string;
  status: RunEndStatus;
}

/** A run, as answered by {@link PortcullisClient.endRun}. */
export interface Run {
  runId: string;
  status: RunStatus;
  agentId: string;
  triggerType: string;
  externalRef: string | null;
  agentVersion: string | null;
  triggeredBy: string | null;
  startedAt: string;
  endedAt: string | null;
}

/** An approval request and, once approved and executed, its execution. */
export interface Approval {
  id: string;
  status: ApprovalStatus;
  actionRequestId: string;
  runId: string;
  actionType: string;
  provider: string | null;
  approvalsRequired: number;
  approvalsReceived: number;
  createdAt: string;
  expiresAt: string | null;
  decidedAt: string | null;
  comment: string | null;
  decidedBy: string | null;
  /** The policy revision that asked for the approval; null for requests recorded before revisions were. */
  policyRevision: number | null;
  execution?: Execution | null;
  /** SHA-256 (hex) of the RFC 8785 canonical arguments the approver approved; the server sends nothing else. */
  argumentsDigest?: string | null;
  /** True when an approver edited the payload before approving; `editedPayload` is what was sent. */
  edited?: boolean;
  editedPayload?: unknown;
  editedArgumentsDigest?: string | null;
}
