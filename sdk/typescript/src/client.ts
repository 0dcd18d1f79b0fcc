import { isDispatched } from "./action-types.js";
import { PortcullisError } from "./errors.js";
import { newIdempotencyKey } from "./idempotency.js";
import { MAX_WAIT_SECONDS, waitUntil } from "./long-poll.js";
import { activeTraceparent, type TraceparentSource } from "./trace-context.js";
import { Transport } from "./transport.js";
import type {
  ActionResultFor,
  Approval,
  CheckResult,
  EndRunParams,
  JsonObject,
  LogEventsResult,
  RequestActionParams,
  Run,
  RunEvent,
  RunStarted,
  StartRunParams,
} from "./types.js";
import type { WorkflowRun, WorkflowRunStarted } from "./workflow-types.js";

/** Options of {@link PortcullisClient}. */
export interface PortcullisClientOptions {
  /** Time-out of one HTTP attempt, in milliseconds. Default 30 000 (a governed action may wait on a connector). */
  timeoutMs?: number;
  /** How often a failed call is repeated where that is safe. Default 2 (so at most 3 attempts). */
  maxRetries?: number;
  /** The `fetch` to use; defaults to the platform's. Handy for proxies and tests. */
  fetch?: typeof fetch;
  /**
   * The W3C `traceparent` sent with each call, so the server's spans join the caller's trace. Default: the active
   * OpenTelemetry span's, when the application uses OpenTelemetry ({@link activeTraceparent}); `false` sends none.
   */
  traceparent?: TraceparentSource | false;
}

/** Per-call options. */
export interface CallOptions {
  /** Aborts the call, including any wait between retries. */
  signal?: AbortSignal;
}

/** Options of {@link PortcullisClient.waitForApproval}. */
export interface WaitForApprovalOptions extends CallOptions {
  /** How long to wait in total, in milliseconds. */
  timeoutMs: number;
  /** Pause between two long-polls, in milliseconds. Default 1 000. */
  pollIntervalMs?: number;
}

/** Options of {@link PortcullisClient.waitForWorkflowRun}. */
export type WaitForWorkflowRunOptions = WaitForApprovalOptions;

/** Options of {@link PortcullisClient.runWorkflow}. */
export interface RunWorkflowOptions extends CallOptions {
  /**
   * Makes the start safe to repeat: a retry with the same key answers the same run. The client
   * generates one when you give none, so its own retries never start a second run.
   */
  idempotencyKey?: string;
}

/** Options of {@link PortcullisClient.getWorkflowRun}. */
export interface GetWorkflowRunOptions extends CallOptions {
  /** Long-poll: the server holds the request up to this many seconds (0 to 60) while the run is `running`. */
  waitSeconds?: number;
}

const DECISIONS: ReadonlySet<string> = new Set(["allow", "allow_with_alert", "require_approval", "block"]);
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 2;

/**
 * The Portcullis agent client: open a run, log its events, request governed actions,
 * wait for approvals and end the run. Every call authenticates with the agent key.
 */
export class PortcullisClient {
  readonly #transport: Transport;
  readonly #timeoutMs: number;

  /**
   * @param baseUrl The Portcullis host, e.g. `"https://portcullis.example.com"`.
   * @param agentKey The agent's API key (`pk_live_…`); load it from the environment, never from source.
   */
  constructor(baseUrl: string, agentKey: string, options: PortcullisClientOptions = {}) {
    if (!agentKey) throw new TypeError("agentKey is required");
    const fetchImpl = options.fetch ?? globalThis.fetch?.bind(globalThis);
    if (!fetchImpl) throw new TypeError("no fetch on this platform: pass options.fetch");
    this.#timeoutMs = positive(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, "timeoutMs");
    const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new RangeError("maxRetries must be a whole number ≥ 0");
    this.#transport = new Transport({
      baseUrl: normalizeBaseUrl(baseUrl),
      agentKey,
      timeoutMs: this.#timeoutMs,
      maxRetries,
      fetch: fetchImpl,
      traceparent: options.traceparent === false ? undefined : (options.traceparent ?? activeTraceparent),
    });
  }

  /**
   * Opens a run. Not idempotent (a repeat would open a second run), so it is retried only when
   * the server certainly did not act: a 429, or a refused connection.
   */
  startRun(params: StartRunParams, options: CallOptions = {}): Promise<RunStarted> {
    const { triggerType, externalRef, agentVersion, triggeredBy } = params;
    return this.#transport.call<RunStarted>({
      method: "POST",
      path: "/api/ingest/run-start",
      body: { triggerType, externalRef, agentVersion, triggeredBy },
      retry: "not-sent",
      signal: options.signal,
    });
  }

  /** Records events on the run's timeline. Retried freely: an identical re-send is a no-op (`duplicates`). */
  logEvents(runId: string, events: RunEvent[], options: CallOptions = {}): Promise<LogEventsResult> {
    return this.#transport.call<LogEventsResult>({
      method: "POST",
      path: "/api/ingest/events",
      body: { runId, events },
      retry: "idempotent",
      signal: options.signal,
    });
  }

  /**
   * Asks the policy engine for permission and, when allowed, executes the action through its
   * connector. Always sent with an idempotency key (generated when you give none) in the body and
   * the `Idempotency-Key` header, so retries can never execute the action twice.
   */
  async requestAction<T extends string>(params: RequestActionParams<T>, options: CallOptions = {}): Promise<ActionResultFor<T>> {
    const idempotencyKey = params.idempotencyKey ?? (await newIdempotencyKey());
    const { runId, actionType, provider, resourceType, resourceId, payload, evidence, callbackUrl } = params;
    const result = await this.#transport.call<ActionResultFor<T>>({
      method: "POST",
      path: "/api/actions/request",
      body: { runId, actionType, provider, resourceType, resourceId, payload, evidence, idempotencyKey, callbackUrl },
      headers: { "Idempotency-Key": idempotencyKey },
      retry: "idempotent",
      signal: options.signal,
    });
    // SECURITY: an unknown decision is never taken for a permission; the caller must see it fail.
    if (!DECISIONS.has(result.decision)) {
      throw new PortcullisError({ status: 200, code: "invalid_response", message: `unknown decision \`${String(result.decision)}\`` });
    }
    // The type promises an execution for an allowed built-in or gateway action; an answer without one breaks that promise.
    if ((result.decision === "allow" || result.decision === "allow_with_alert") && isDispatched(actionType) && !("execution" in result && result.execution)) {
      throw new PortcullisError({ status: 200, code: "invalid_response", message: `an allowed \`${actionType}\` answer without its execution` });
    }
    return result;
  }

  /**
   * Asks before acting: the decision `requestAction` would get for these arguments at this moment
   * (`decision`, `reason`, `matchedPolicies`), with nothing recorded and nothing executed. A check
   * reserves nothing: a later `requestAction` is decided afresh. Safe to retry, so retried on 429, 5xx
   * and network errors. An `idempotencyKey` already used answers the first request's decision.
   */
  async checkAction(params: RequestActionParams, options: CallOptions = {}): Promise<CheckResult> {
    const { runId, actionType, provider, resourceType, resourceId, payload, evidence, idempotencyKey, callbackUrl } = params;
    const result = await this.#transport.call<CheckResult>({
      method: "POST",
      path: "/api/actions/check",
      body: { runId, actionType, provider, resourceType, resourceId, payload, evidence, idempotencyKey, callbackUrl },
      retry: "idempotent",
      signal: options.signal,
    });
    // SECURITY: as for requestAction, an unknown decision is never taken for a permission.
    if (!DECISIONS.has(result.decision)) {
      throw new PortcullisError({ status: 200, code: "invalid_response", message: `unknown decision \`${String(result.decision)}\`` });
    }
    return result;
  }

  /**
   * Ends the run with a final status. Retried on 429, 5xx and network errors: the server ends a
   * run once and answers any later attempt with 409 `run_ended`, which this method throws; after
   * a retry that 409 usually means an earlier attempt whose answer was lost did end the run.
   */
  endRun(params: EndRunParams, options: CallOptions = {}): Promise<Run> {
    return this.#transport.call<Run>({
      method: "POST",
      path: "/api/ingest/run-end",
      body: { runId: params.runId, status: params.status },
      retry: "idempotent",
      signal: options.signal,
    });
  }

  /** Reads an approval request and, once approved and executed, its execution. */
  getApproval(approvalRequestId: string, options: CallOptions = {}): Promise<Approval> {
    return this.#fetchApproval(approvalRequestId, 0, options.signal);
  }

  /**
   * Waits until the approval is decided, with the server's long-poll (up to 60 s per request),
   * for at most `timeoutMs`. Resolves with the decided approval, or, when the time is up, with
   * the approval as it stands, still `pending`: waiting out the time is an expected outcome,
   * not an error, so check `approval.status`.
   */
  waitForApproval(approvalRequestId: string, options: WaitForApprovalOptions): Promise<Approval> {
    const fetchOnce = (waitSeconds: number) => this.#fetchApproval(approvalRequestId, waitSeconds, options.signal);
    return waitUntil(fetchOnce, (approval) => approval.status !== "pending", options);
  }

  /**
   * Starts a run of a workflow; the server runs its steps in the background (answer 202). Always
   * sent with an `Idempotency-Key` (generated when you give none), so retries answer the same run
   * instead of starting a second. `input` must be a JSON object; the server answers 400
   * `validation_failed` otherwise, and 404 `not_found` for a workflow this agent cannot see.
   */
  async runWorkflow(workflowId: string, input?: JsonObject, options: RunWorkflowOptions = {}): Promise<WorkflowRunStarted> {
    if (!workflowId) throw new TypeError("workflowId is required");
    const idempotencyKey = options.idempotencyKey ?? (await newIdempotencyKey());
    return this.#transport.call<WorkflowRunStarted>({
      method: "POST",
      path: `/api/workflows/${encodeURIComponent(workflowId)}/runs`,
      body: { input },
      headers: { "Idempotency-Key": idempotencyKey },
      retry: "idempotent",
      signal: options.signal,
    });
  }

  /**
   * Reads a workflow run with its steps. With `waitSeconds`, long-polls: the server answers once the
   * run is no longer `running`, or with the run as it stands when the time is up.
   */
  getWorkflowRun(workflowRunId: string, options: GetWorkflowRunOptions = {}): Promise<WorkflowRun> {
    const waitSeconds = options.waitSeconds ?? 0;
    if (!Number.isInteger(waitSeconds) || waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
      throw new RangeError(`waitSeconds must be a whole number from 0 to ${MAX_WAIT_SECONDS}`);
    }
    return this.#fetchWorkflowRun(workflowRunId, waitSeconds, options.signal);
  }

  /**
   * Waits while the workflow run is `running`, with the server's long-poll (up to 60 s per request),
   * for at most `timeoutMs`. Resolves with the run once it is not `running`, or when the time is up
   * with the run as it stands. `awaiting_approval` ends the wait too although the run is not over:
   * the step's `approvalRequestId` says what it waits for. Wait for that with {@link waitForApproval},
   * then call this again for the rest (while the approval is pending, this returns at once).
   */
  waitForWorkflowRun(workflowRunId: string, options: WaitForWorkflowRunOptions): Promise<WorkflowRun> {
    const fetchOnce = (waitSeconds: number) => this.#fetchWorkflowRun(workflowRunId, waitSeconds, options.signal);
    return waitUntil(fetchOnce, (run) => run.status !== "running", options);
  }

  /**
   * Cancels a workflow run; resolves with the run, `cancelled`. Retried on 429, 5xx and network
   * errors: a run already settled answers 409 `not_cancellable`, which is thrown; after a retry that
   * 409 may mean an earlier attempt whose answer was lost did cancel the run.
   */
  cancelWorkflowRun(workflowRunId: string, options: CallOptions = {}): Promise<WorkflowRun> {
    if (!workflowRunId) throw new TypeError("workflowRunId is required");
    return this.#transport.call<WorkflowRun>({
      method: "POST",
      path: `/api/workflow-runs/${encodeURIComponent(workflowRunId)}/cancel`,
      retry: "idempotent",
      signal: options.signal,
    });
  }

  #fetchApproval(approvalRequestId: string, waitSeconds: number, signal: AbortSignal | undefined): Promise<Approval> {
    if (!approvalRequestId) throw new TypeError("approvalRequestId is required");
    const query = waitSeconds > 0 ? `?waitSeconds=${waitSeconds}` : "";
    return this.#transport.call<Approval>({
      method: "GET",
      path: `/api/approvals/${encodeURIComponent(approvalRequestId)}${query}`,
      retry: "idempotent",
      // The server holds a long-poll open for waitSeconds: that is not the time-out's to count.
      timeoutMs: this.#timeoutMs + waitSeconds * 1000,
      signal,
    });
  }

  #fetchWorkflowRun(workflowRunId: string, waitSeconds: number, signal: AbortSignal | undefined): Promise<WorkflowRun> {
    if (!workflowRunId) throw new TypeError("workflowRunId is required");
    const query = waitSeconds > 0 ? `?waitSeconds=${waitSeconds}` : "";
    return this.#transport.call<WorkflowRun>({
      method: "GET",
      path: `/api/workflow-runs/${encodeURIComponent(workflowRunId)}${query}`,
      retry: "idempotent",
      // As for approvals: the time the server holds the long-poll is not the time-out's to count.
      timeoutMs: this.#timeoutMs + waitSeconds * 1000,
      signal,
    });
  }
}

/** Accepts a host with or without a path prefix and trailing slash; paths are appended to it. */
function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`baseUrl is not a URL: \`${baseUrl}\``);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`baseUrl must be http or https: \`${baseUrl}\``);
  }
  return (url.origin + url.pathname).replace(/\/+$/, "");
}

function positive(value: number, name: string, zeroAllowed = false): number {
  if (!Number.isFinite(value) || value < 0 || (!zeroAllowed && value === 0)) {
    throw new RangeError(`${name} must be a number ${zeroAllowed ? "≥" : ">"} 0`);
  }
  return value;
}
