import { createHash } from "node:crypto";

/*
 * Where an activation sits in its W3C trace, from its record alone: the store indexes records by trace
 * id, the trace API and the OTLP export link spans by these ids. telemetry/traceparent.ts mints them.
 */

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

/** The trace id of a chain started by the invocation `activationId` (which had no trace context). */
export function rootTraceId(activationId: string): string {
  return createHash("sha256").update(activationId).digest("hex").slice(0, 32);
}

/** The span id of an activation that had no trace context: derived from its id, like its trace id. */
export function rootSpanId(activationId: string): string {
  return createHash("sha256").update(activationId).digest("hex").slice(32, 48);
}

/** An activation's place in its trace: the trace, its own span, the span that called it (if any). */
export interface SpanIds {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
}

/**
 * Where an activation sits in its trace. One with a traceparent is that span; one without (an outside
 * call with no trace context, a schedule's tick) is the root of the trace its own calls start
 * (childTraceparent), with ids derived from its activation id so its children's records point at it.
 */
export function spanIdsOf(a: { id: string; traceparent?: string; parentSpanId?: string }): SpanIds {
  const context = parseTraceparent(a.traceparent);
  return {
    traceId: context?.traceId ?? rootTraceId(a.id),
    spanId: context?.spanId ?? rootSpanId(a.id),
    ...(a.parentSpanId !== undefined ? { parentSpanId: a.parentSpanId } : {}),
  };
}
