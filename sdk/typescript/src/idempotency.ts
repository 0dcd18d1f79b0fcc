/**
 * A fresh idempotency key (a random UUID). `crypto.randomUUID` is global on Node 19+, Bun and
 * Deno; Node 18 may lack the global, so fall back to its module.
 */
export async function newIdempotencyKey(): Promise<string> {
  const webCrypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof webCrypto?.randomUUID === "function") return webCrypto.randomUUID();
  const nodeCrypto = await import("node:crypto");
  return nodeCrypto.randomUUID();
}
