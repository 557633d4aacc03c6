import { randomBytes } from "node:crypto";
import { parseTraceparent, rootSpanId, rootTraceId } from "../model/span-ids.js";

export { parseTraceparent, rootSpanId, rootTraceId, spanIdsOf } from "../model/span-ids.js";
export type { SpanIds, TraceContext } from "../model/span-ids.js";

/**
 * The traceparent for a call made from `parent`: same trace id and flags, a new span id. A caller with
 * no trace context starts one whose id is derived from its activation id (`root`), so every call it makes
 * lands in the same trace without minting a context for every invocation on the hot path.
 */
export function childTraceparent(parent: string | undefined, root: string): string {
  const context = parseTraceparent(parent);
  const traceId = context?.traceId ?? rootTraceId(root);
  return `00-${traceId}-${randomBytes(8).toString("hex")}-${context?.flags ?? "01"}`;
}

/** The span of the caller `activationId` (running under `traceparent`), which a call it makes descends from. */
export function callerSpanId(traceparent: string | undefined, activationId: string): string {
  return parseTraceparent(traceparent)?.spanId ?? rootSpanId(activationId);
}

/**
 * The span an invocation is in when its HTTP request carries a valid W3C `traceparent`: a new span of that
 * trace (everything it calls, ctx.invoke and fetch, stays in it), child of the caller's span. Invalid or
 * absent: nothing (the invocation starts its own trace when it calls out).
 */
export function incomingTrace(value: string | string[] | undefined): {
  traceparent?: string;
  parentSpanId?: string;
} {
  const context = typeof value === "string" ? parseTraceparent(value) : undefined;
  if (!context) return {};
  return { traceparent: childTraceparent(value as string, ""), parentSpanId: context.spanId };
}
