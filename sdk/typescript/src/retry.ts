/** Backoff starts here and doubles per attempt, up to the cap. */
const BASE_DELAY_MS = 500;
const MAX_BACKOFF_MS = 8_000;
/** A longer `Retry-After` is not waited out inside a call: the error goes to the caller, who can plan. */
export const MAX_RETRY_AFTER_SECONDS = 60;

/**
 * Reads `Retry-After` as seconds: either delta-seconds or an HTTP date.
 * Returns undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * How long to wait before retry number `attempt + 1` (attempt counts from 0), or undefined
 * when the server asked for a longer pause than a call should block for.
 * Without `Retry-After`: exponential backoff with jitter, so clients that failed together
 * do not come back together.
 */
export function retryDelayMs(
  attempt: number,
  retryAfterSeconds: number | undefined,
  random: () => number = Math.random,
): number | undefined {
  if (retryAfterSeconds !== undefined) {
    return retryAfterSeconds <= MAX_RETRY_AFTER_SECONDS ? retryAfterSeconds * 1000 : undefined;
  }
  const backoff = Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** attempt);
  return backoff / 2 + random() * (backoff / 2);
}
