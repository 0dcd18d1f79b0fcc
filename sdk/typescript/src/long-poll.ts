import { sleep } from "./transport.js";

/** The server holds a long-poll for at most this long. */
export const MAX_WAIT_SECONDS = 60;

/** Options of a wait built on the server's long-poll, e.g. {@link PortcullisClient.waitForApproval}. */
export interface WaitOptions {
  /** How long to wait in total, in milliseconds. */
  timeoutMs: number;
  /** Pause between two long-polls, in milliseconds. Default 1 000. */
  pollIntervalMs?: number;
  /** Aborts the wait. */
  signal?: AbortSignal;
}

const DEFAULT_POLL_INTERVAL_MS = 1_000;

/**
 * Long-polls with `fetchOnce(waitSeconds)` (at most 60 s each, never past the deadline) until
 * `settled` holds or `timeoutMs` is up, and resolves with the last answer either way.
 */
export async function waitUntil<T>(
  fetchOnce: (waitSeconds: number) => Promise<T>,
  settled: (answer: T) => boolean,
  options: WaitOptions,
): Promise<T> {
  const timeoutMs = nonNegative(options.timeoutMs, "timeoutMs");
  const pollIntervalMs = nonNegative(options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, "pollIntervalMs");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const waitSeconds = Math.min(MAX_WAIT_SECONDS, Math.max(0, Math.floor((deadline - Date.now()) / 1000)));
    const answer = await fetchOnce(waitSeconds);
    const leftMs = deadline - Date.now();
    if (settled(answer) || leftMs <= 0) return answer;
    await sleep(Math.min(pollIntervalMs, leftMs), options.signal);
  }
}

function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a number ≥ 0`);
  return value;
}
