import type { Decision, JsonObject } from "./types.js";

/**
 * Every state a workflow run can be in. `running` is the only one a long-poll waits through;
 * `awaiting_approval` is not final: once the approval is decided the run goes on.
 * The server may add states: compare with the ones you handle rather than assume this list is closed.
 */
export type WorkflowRunStatus = "running" | "awaiting_approval" | "completed" | "failed" | "blocked" | "cancelled";

/** Every state a step of a workflow run can be in; `unknown` means the server lost track of its call (an admin reconciles it). */
export type WorkflowStepStatus =
  | "pending"
  | "running"
  | "awaiting_approval"
  | "completed"
  | "skipped"
  | "failed"
  | "blocked"
  | "rejected"
  | "unknown";

/** The answer of {@link PortcullisClient.runWorkflow}: the run was accepted and goes on in the server. */
export interface WorkflowRunStarted {
  workflowRunId: string;
  /** The agent run that records the workflow's timeline. */
  runId: string;
  status: WorkflowRunStatus;
}

/** Why a workflow run or a step failed. */
export interface WorkflowError {
  /** A stable code, e.g. `template_unresolved`. */
  code: string;
  message: string;
  /** The step that failed; on a step's own error, absent. */
  stepId?: string | null;
}

/** One step of a workflow run, as it stands. */
export interface WorkflowStep {
  id: string;
  name: string;
  actionType: string;
  status: WorkflowStepStatus;
  /** The governed action request of the step, once it was asked for. */
  actionRequestId: string | null;
  /** The policy engine's decision on the step's action, once made. */
  decision: Decision | null;
  /** The approval the step waits for, when its decision was `require_approval`. */
  approvalRequestId: string | null;
  /** The payload the step rendered from its template. */
  input: JsonObject | null;
  output: JsonObject | null;
  error: WorkflowError | null;
  startedAt: string | null;
  completedAt: string | null;
}

/** A workflow run with its steps, as answered by {@link PortcullisClient.getWorkflowRun}. */
export interface WorkflowRun {
  id: string;
  workflowId: string;
  workflowName: string;
  /** The version of the workflow this run follows. */
  version: number;
  runId: string;
  status: WorkflowRunStatus;
  input: JsonObject;
  error: WorkflowError | null;
  createdAt: string;
  completedAt: string | null;
  steps: WorkflowStep[];
}
