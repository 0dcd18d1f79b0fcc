import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseRetryAfter, retryDelayMs } from "../src/retry.js";

describe("retry delays", () => {
  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-11-21T22:00:00Z");
    assert.equal(parseRetryAfter("7", now), 7);
    assert.equal(parseRetryAfter(" 0 ", now), 0);
    assert.equal(parseRetryAfter("Sat, 21 Nov 2026 22:00:30 GMT", now), 30);
    assert.equal(parseRetryAfter("Sat, 21 Nov 2026 21:00:00 GMT", now), 0);
    assert.equal(parseRetryAfter("soon", now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
  });

  it("backs off exponentially with jitter, capped at 8 s", () => {
    assert.equal(retryDelayMs(0, undefined, () => 0), 250);
    assert.equal(retryDelayMs(0, undefined, () => 1), 500);
    assert.equal(retryDelayMs(1, undefined, () => 1), 1000);
    assert.equal(retryDelayMs(10, undefined, () => 1), 8000);
  });

  it("follows Retry-After up to a minute and refuses longer", () => {
    assert.equal(retryDelayMs(0, 3), 3000);
    assert.equal(retryDelayMs(0, 60), 60_000);
    assert.equal(retryDelayMs(0, 61), undefined);
  });
});
