import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PortcullisClient } from "../src/index.js";
import { FakeServer, useFakeServer } from "./fake-server.js";
import { AGENT_KEY } from "./fixtures.js";

const OTEL_API = Symbol.for("opentelemetry.js.api.1");
const SPAN_KEY = Symbol.for("OpenTelemetry Context Key SPAN");
const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN_ID = "00f067aa0ba902b7";

/** Registers what @opentelemetry/api registers globally, with one active span, for the length of `body`. */
async function withActiveSpan(traceId: string, body: () => Promise<void>): Promise<void> {
  const span = { spanContext: () => ({ traceId, spanId: SPAN_ID, traceFlags: 1 }) };
  const context = { getValue: (key: symbol) => (key === SPAN_KEY ? span : undefined) };
  const global = globalThis as Record<symbol, unknown>;
  global[OTEL_API] = { version: "1.9.0", context: { active: () => context } };
  try {
    await body();
  } finally {
    delete global[OTEL_API];
  }
}

describe("trace context", () => {
  let server: FakeServer;
  let client: PortcullisClient;
  useFakeServer((s, c) => {
    server = s;
    client = c;
  });

  it("sends the active OpenTelemetry span as traceparent", async () => {
    server.reply({ status: 201, body: { runId: "run_1", status: "running" } });
    await withActiveSpan(TRACE_ID, () => client.startRun({ triggerType: "t" }).then(() => undefined));
    assert.equal(server.received[0]?.headers.traceparent, `00-${TRACE_ID}-${SPAN_ID}-01`);
  });

  it("sends no traceparent without an active span, with an invalid one, or when turned off", async () => {
    server.reply({ status: 201, body: { runId: "run_1", status: "running" } });
    await client.startRun({ triggerType: "t" });
    server.reply({ status: 201, body: { runId: "run_2", status: "running" } });
    await withActiveSpan("0".repeat(32), () => client.startRun({ triggerType: "t" }).then(() => undefined));
    server.reply({ status: 201, body: { runId: "run_3", status: "running" } });
    const off = new PortcullisClient(server.url, AGENT_KEY, { traceparent: false });
    await withActiveSpan(TRACE_ID, () => off.startRun({ triggerType: "t" }).then(() => undefined));
    assert.deepEqual(server.received.map((r) => r.headers.traceparent), [undefined, undefined, undefined]);
  });

  it("takes a traceparent from a source of the caller's own", async () => {
    server.reply({ status: 201, body: { runId: "run_1", status: "running" } });
    const custom = new PortcullisClient(server.url, AGENT_KEY, { traceparent: () => `00-${TRACE_ID}-${SPAN_ID}-00` });
    await custom.startRun({ triggerType: "t" });
    assert.equal(server.received[0]?.headers.traceparent, `00-${TRACE_ID}-${SPAN_ID}-00`);
  });
});
