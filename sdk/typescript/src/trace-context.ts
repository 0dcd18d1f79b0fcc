/** Gives the W3C `traceparent` to send with a call, or undefined to send none. */
export type TraceparentSource = () => string | undefined;

// The OpenTelemetry JS API registers itself on the global object under this key (API major version 1) and keeps the
// active span in the context under the second: reading them needs no dependency on @opentelemetry/api.
const OTEL_API = Symbol.for("opentelemetry.js.api.1");
const SPAN_KEY = Symbol.for("OpenTelemetry Context Key SPAN");

interface SpanContextLike {
  traceId?: string;
  spanId?: string;
  traceFlags?: number;
}

interface OtelGlobal {
  context?: { active?: () => { getValue?: (key: symbol) => unknown } | undefined };
}

/**
 * The `traceparent` of the caller's active OpenTelemetry span, when the application uses OpenTelemetry and a valid
 * span is active; undefined otherwise. The default {@link TraceparentSource}: Portcullis's spans then join the
 * caller's trace.
 */
export function activeTraceparent(): string | undefined {
  const api = (globalThis as Record<symbol, unknown>)[OTEL_API] as OtelGlobal | undefined;
  const span = api?.context?.active?.()?.getValue?.(SPAN_KEY) as { spanContext?: () => SpanContextLike } | undefined;
  const context = span?.spanContext?.();
  return context ? format(context) : undefined;
}

/** A W3C traceparent from trace and span ids, or undefined when either is not a valid (non-zero, lower-case hex) id. */
export function format({ traceId, spanId, traceFlags }: SpanContextLike): string | undefined {
  if (!traceId || !/^[0-9a-f]{32}$/.test(traceId) || /^0+$/.test(traceId)) return undefined;
  if (!spanId || !/^[0-9a-f]{16}$/.test(spanId) || /^0+$/.test(spanId)) return undefined;
  return `00-${traceId}-${spanId}-${((traceFlags ?? 0) & 1) === 1 ? "01" : "00"}`;
}
