import { parseRetryAfter } from "./retry.js";

/** An RFC 9457 problem-details body as Portcullis sends it; other members are kept too. */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  requestId?: string;
  errors?: Record<string, string[]>;
  [member: string]: unknown;
}

/**
 * Thrown for every non-2xx answer of the Portcullis API (after retries, where they apply).
 * Network failures and time-outs are {@link PortcullisConnectionError} instead.
 */
export class PortcullisError extends Error {
  override readonly name = "PortcullisError";
  /** The HTTP status. */
  readonly status: number;
  /** The problem's stable `code`, e.g. `"validation_failed"`; undefined when the body had none. */
  readonly code: string | undefined;
  /** The server's request id, from the body or the `X-Request-Id` header; quote it in support requests. */
  readonly requestId: string | undefined;
  /** For validation failures: each offending field with its messages. */
  readonly errors: Record<string, string[]> | undefined;
  /** Seconds to wait before trying again, from the `Retry-After` header. */
  readonly retryAfter: number | undefined;
  /** The whole problem body, e.g. `problem.billing` for 402; undefined when the body was not JSON. */
  readonly problem: ProblemDetails | undefined;

  constructor(init: {
    status: number;
    message: string;
    code?: string | undefined;
    requestId?: string | undefined;
    errors?: Record<string, string[]> | undefined;
    retryAfter?: number | undefined;
    problem?: ProblemDetails | undefined;
  }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.errors = init.errors;
    this.retryAfter = init.retryAfter;
    this.problem = init.problem;
  }

  /** Builds the error from an answer: the problem body when there is one, the headers otherwise. */
  static fromResponse(status: number, headers: Headers, bodyText: string): PortcullisError {
    const problem = parseProblem(bodyText);
    const message =
      stringOr(problem?.detail) ?? stringOr(problem?.title) ?? (bodyText.trim().slice(0, 200) || `HTTP ${status}`);
    return new PortcullisError({
      status,
      message,
      code: stringOr(problem?.code),
      requestId: stringOr(problem?.requestId) ?? headers.get("x-request-id") ?? undefined,
      errors: isObject(problem?.errors) ? (problem.errors as Record<string, string[]>) : undefined,
      retryAfter: parseRetryAfter(headers.get("retry-after")),
      problem,
    });
  }

  /** 401: the agent key is missing, unknown or revoked (the server does not say which). */
  get isUnauthorized(): boolean {
    return this.status === 401;
  }

  /** Kept for compatibility: the same as {@link isUnauthorized}, since a revoked key gets the same 401. */
  get isRevoked(): boolean {
    return this.isUnauthorized;
  }

  /** 402: the workspace's billing is locked; `problem.billing` carries the recovery summary. */
  get isBillingLocked(): boolean {
    return this.status === 402;
  }

  /** 429: too many requests for this key; see {@link retryAfter}. */
  get isRateLimited(): boolean {
    return this.status === 429;
  }

  /** 400: the request was malformed or a field was invalid; see {@link errors}. */
  get isValidation(): boolean {
    return this.status === 400;
  }

  /** 409: a conflict, e.g. a reused sequence number, a run that has ended, an approval already decided. */
  get isConflict(): boolean {
    return this.status === 409;
  }
}

/** The request did not get an answer: DNS, refused or reset connection, TLS failure. */
export class PortcullisConnectionError extends Error {
  override readonly name: string = "PortcullisConnectionError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The answer did not arrive within the client's time-out. */
export class PortcullisTimeoutError extends PortcullisConnectionError {
  override readonly name: string = "PortcullisTimeoutError";
}

function parseProblem(bodyText: string): ProblemDetails | undefined {
  if (!bodyText) return undefined;
  try {
    const parsed: unknown = JSON.parse(bodyText);
    return isObject(parsed) ? (parsed as ProblemDetails) : undefined;
  } catch {
    // Proxies answer with HTML or plain text; the status and headers still describe the error.
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringOr(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
