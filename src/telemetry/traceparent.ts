import { createHash, randomBytes } from "node:crypto";

/** W3C Trace Context `traceparent`: version-traceid-parentid-flags, lower-case hex. */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export interface TraceContext {
  traceId: string;
  spanId: string;
  flags: string;
}

/** Parses a traceparent; undefined when it is not a valid one (the spec says: start a new trace). */
export function parseTraceparent(value: string | undefined): TraceContext | undefined {
  const match = value === undefined ? null : TRACEPARENT.exec(value.trim());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags] = match as unknown as [string, string, string, string, string];
  if (version === "ff" || /^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId, flags };
}

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

/** The trace id of a chain started by the invocation `activationId` (which had no trace context). */
export function rootTraceId(activationId: string): string {
  return createHash("sha256").update(activationId).digest("hex").slice(0, 32);
}

/**
 * The span an invocation is in when its HTTP request carries a valid W3C `traceparent`: a new span of that
 * trace, and everything it calls (ctx.invoke, fetch) stays in it. Invalid or absent: undefined (the
 * invocation starts its own trace when it calls out).
 */
export function incomingTraceparent(value: string | string[] | undefined): string | undefined {
  if (typeof value !== "string" || !parseTraceparent(value)) return undefined;
  return childTraceparent(value, "");
}
