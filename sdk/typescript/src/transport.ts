import { PortcullisConnectionError, PortcullisError, PortcullisTimeoutError } from "./errors.js";
import { retryDelayMs } from "./retry.js";
import type { TraceparentSource } from "./trace-context.js";
import { SDK_VERSION } from "./version.js";

/**
 * When a failed attempt may be repeated.
 * - `idempotent`: on 429, 5xx, network errors and time-outs, because repeating the call
 *   cannot apply it twice (reads, events keyed by sequenceNo, actions with an idempotency key).
 * - `not-sent`: only when the server certainly did not act on it: a 429 (refused before any
 *   work) or a refused connection. Used for calls that would be applied twice.
 */
export type RetryPolicy = "idempotent" | "not-sent";

/** One API call, before retries. */
export interface HttpCall {
  method: "GET" | "POST";
  /** Path and query, starting with `/api/`. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  retry: RetryPolicy;
  /** Overrides the client's time-out for this call, e.g. for a long-poll. */
  timeoutMs?: number;
  signal?: AbortSignal | undefined;
}

export interface TransportOptions {
  baseUrl: string;
  agentKey: string;
  timeoutMs: number;
  maxRetries: number;
  fetch: typeof fetch;
  /** The caller's trace, sent as `traceparent` when it gives one. */
  traceparent?: TraceparentSource | undefined;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** Sends calls with authentication, JSON, time-outs and retries; turns failures into typed errors. */
export class Transport {
  readonly #options: TransportOptions;

  constructor(options: TransportOptions) {
    this.#options = options;
  }

  async call<T>(call: HttpCall): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const mayRetry = attempt < this.#options.maxRetries;
      let answer: Answer;
      try {
        answer = await this.#send(call);
      } catch (error) {
        if (!mayRetry || !(error instanceof PortcullisConnectionError) || !retriesFailure(call.retry, error)) {
          throw error;
        }
        await sleep(retryDelayMs(attempt, undefined) ?? 0, call.signal);
        continue;
      }
      if (answer.status >= 200 && answer.status < 300) return parseJson<T>(answer);

      const error = PortcullisError.fromResponse(answer.status, answer.headers, answer.text);
      const delay = mayRetry && retriesStatus(call.retry, answer.status) ? retryDelayMs(attempt, error.retryAfter) : undefined;
      if (delay === undefined) throw error;
      await sleep(delay, call.signal);
    }
  }

  async #send(call: HttpCall): Promise<Answer> {
    call.signal?.throwIfAborted();
    const timeoutMs = call.timeoutMs ?? this.#options.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const forwardAbort = () => controller.abort(call.signal?.reason);
    call.signal?.addEventListener("abort", forwardAbort, { once: true });
    try {
      const response = await this.#options.fetch(this.#options.baseUrl + call.path, {
        method: call.method,
        headers: this.#headers(call),
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: controller.signal,
        // A redirect is an answer, not followed: following would resend the key and the body elsewhere.
        redirect: "manual",
      });
      // The time-out also covers reading the body: a server can stall half-way through it.
      const text = await response.text();
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      if (timedOut) {
        throw new PortcullisTimeoutError(`no answer to ${call.method} ${call.path} within ${timeoutMs} ms`, { cause: error });
      }
      if (call.signal?.aborted) throw call.signal.reason;
      throw new PortcullisConnectionError(`${call.method} ${call.path} failed: ${describe(error)}`, { cause: error });
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener("abort", forwardAbort);
    }
  }

  #headers(call: HttpCall): Record<string, string> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.#options.agentKey}`,
      Accept: "application/json",
      "User-Agent": `portcullis-sdk-typescript/${SDK_VERSION}`,
      "X-Portcullis-Sdk": `typescript/${SDK_VERSION}`,
    };
    if (call.body !== undefined) headers["Content-Type"] = "application/json";
    const traceparent = this.#options.traceparent?.();
    if (traceparent) headers.traceparent = traceparent;
    return { ...headers, ...call.headers };
  }
}

function retriesStatus(policy: RetryPolicy, status: number): boolean {
  if (status === 429) return true;
  return policy === "idempotent" && status >= 500;
}

function retriesFailure(policy: RetryPolicy, error: PortcullisConnectionError): boolean {
  return policy === "idempotent" || isConnectionRefused(error);
}

/** A refused connection means the request never reached a server (Node's and Bun's error codes). */
function isConnectionRefused(error: PortcullisConnectionError): boolean {
  if (error instanceof PortcullisTimeoutError) return false;
  let current: unknown = error.cause;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (code === "ECONNREFUSED" || code === "ConnectionRefused") return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function parseJson<T>(answer: Answer): T {
  try {
    return JSON.parse(answer.text) as T;
  } catch {
    // A 2xx the SDK cannot read (a proxy's HTML page, a truncated body) must not pass as a result.
    throw new PortcullisError({
      status: answer.status,
      code: "invalid_response",
      message: `the server answered ${answer.status} with a body that is not JSON`,
      requestId: answer.headers.get("x-request-id") ?? undefined,
    });
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return error.message + cause;
}

/** Waits, but gives up at once when the caller aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
