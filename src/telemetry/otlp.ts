import { SpanKind, SpanStatusCode, TraceFlags, type Attributes, type HrTime } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import { FINAL_STATUSES, type Activation, type Trigger } from "../model/activation.js";
import { spanIdsOf } from "./traceparent.js";

/** Activation ids already exported, remembered so a record written again (callback progress) is not. */
const REMEMBERED = 50_000;
const FINAL = new Set<string>(FINAL_STATUSES);
const SCOPE = { name: "runlet" };
const CLOSE_WAIT_MS = 2000;

/** OpenTelemetry's `faas.trigger` for each way of being invoked. */
const FAAS_TRIGGER: Record<Trigger, string> = {
  http: "http",
  web: "http",
  event: "pubsub",
  queue: "pubsub",
  schedule: "timer",
  function: "other",
  local: "other",
};

export interface SpanSource {
  on(event: "activation", listener: (a: Activation) => void): unknown;
  off(event: "activation", listener: (a: Activation) => void): unknown;
}

/**
 * Exports a span for every finished activation to an OpenTelemetry collector over OTLP/HTTP (JSON), when
 * RUNLET_OTLP_ENDPOINT is set. Spans are made from activation records as they are written (a queued
 * activation's once it ends), with the trace and span ids of its traceparent (derived from its id for a
 * root) and its parent's span, so a collector shows chains of ctx.invoke, sequences and fan-outs as the
 * trace API does. The SDK's batch span processor buffers them and sends from a timer, off the request
 * path; a collector that is down costs dropped spans (the processor's bounded queue), never invocations.
 * The standard OTEL_BSP_* variables tune the batches.
 */
export class OtlpExport {
  readonly #processor: BatchSpanProcessor;
  readonly #resource;
  readonly #exported = new Set<string>();
  readonly #listener = (a: Activation) => this.#onActivation(a);

  constructor(
    private readonly source: SpanSource,
    endpoint: string,
  ) {
    const url = /\/v1\/traces\/?$/.test(endpoint) ? endpoint : `${endpoint.replace(/\/+$/, "")}/v1/traces`;
    this.#processor = new BatchSpanProcessor(new OTLPTraceExporter({ url }));
    this.#resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: "runlet" });
    source.on("activation", this.#listener);
  }

  /**
   * Sends what is buffered and stops listening; waits at most CLOSE_WAIT_MS (a collector that is down
   * would otherwise hold shutdown through the exporter's retries).
   */
  async close(): Promise<void> {
    this.source.off("activation", this.#listener);
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS).unref()));
    const shutdown = this.#processor.shutdown();
    shutdown.catch(() => {}); // failing after we stopped waiting is no one's concern
    await Promise.race([shutdown, gaveUp]);
    clearTimeout(timer);
  }

  #onActivation(a: Activation): void {
    if (!FINAL.has(a.status) || this.#exported.has(a.id)) return;
    this.#exported.add(a.id);
    if (this.#exported.size > REMEMBERED) {
      const oldest = this.#exported.values().next().value;
      if (oldest !== undefined) this.#exported.delete(oldest);
    }
    this.#processor.onEnd(this.#spanOf(a));
  }

  #spanOf(a: Activation): ReadableSpan {
    const ids = spanIdsOf(a);
    const start = hrTime(a.startedAt);
    const end = hrTime(a.startedAt + a.durationMs);
    const attributes: Attributes = {
      "faas.name": a.function,
      "faas.version": String(a.version),
      "faas.coldstart": a.coldStart,
      "faas.trigger": FAAS_TRIGGER[a.trigger] ?? "other",
      "faas.invocation_id": a.id,
      "runlet.account": a.account,
      "runlet.trigger": a.trigger,
      "runlet.status": a.status,
      "runlet.billed_ms": a.billedMs,
      "runlet.memory_mb": a.memoryMb,
      "runlet.attempts": a.attempts ?? 1,
      ...(a.queuedMs !== undefined ? { "runlet.queued_ms": a.queuedMs } : {}),
      ...(a.parentId !== undefined ? { "runlet.parent_id": a.parentId } : {}),
      ...(a.error ? { "runlet.error.code": a.error.code } : {}),
    };
    return {
      name: a.function,
      kind: a.queuedMs !== undefined ? SpanKind.CONSUMER : SpanKind.SERVER,
      spanContext: () => ({ traceId: ids.traceId, spanId: ids.spanId, traceFlags: TraceFlags.SAMPLED }),
      ...(ids.parentSpanId !== undefined
        ? {
            parentSpanContext: {
              traceId: ids.traceId,
              spanId: ids.parentSpanId,
              traceFlags: TraceFlags.SAMPLED,
              isRemote: true,
            },
          }
        : {}),
      startTime: start,
      endTime: end,
      duration: hrTime(a.durationMs),
      status:
        a.status === "succeeded"
          ? { code: SpanStatusCode.OK }
          : {
              code: SpanStatusCode.ERROR,
              message: a.error ? `${a.error.code}: ${a.error.message}` : a.status,
            },
      attributes,
      links: [],
      events: [],
      ended: true,
      resource: this.#resource,
      instrumentationScope: SCOPE,
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    };
  }
}

/** ms since epoch (fractions kept to the microsecond) as OpenTelemetry's [seconds, nanoseconds]. */
function hrTime(ms: number): HrTime {
  const micros = Math.round(ms * 1000);
  return [Math.floor(micros / 1_000_000), (micros % 1_000_000) * 1000];
}
