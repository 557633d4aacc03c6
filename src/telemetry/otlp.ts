import { createHash } from "node:crypto";
import { SpanKind, SpanStatusCode, TraceFlags, context, trace, type Tracer } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor, type IdGenerator } from "@opentelemetry/sdk-trace-base";
import { timeOfId } from "../ids.js";
import type { Activation } from "../model/activation.js";
import type { ActivationStream } from "./metrics.js";
import { traceIdOf } from "./traces.js";

/**
 * A span's id from its activation's id: every node, and a child finishing before its parent (a sync
 * ctx.invoke), names a parent's span the same without reading its record.
 */
export function spanIdOf(activationId: string): string {
  return createHash("sha256").update(activationId).digest("hex").slice(0, 16);
}

/** Hands the SDK the ids of the activation being exported (it asks for them inside startSpan). */
class ActivationIds implements IdGenerator {
  traceId = "";
  spanId = "";
  generateTraceId = () => this.traceId;
  generateSpanId = () => this.spanId;
}

const KIND: Record<Activation["trigger"], SpanKind> = {
  http: SpanKind.SERVER,
  web: SpanKind.SERVER,
  event: SpanKind.CONSUMER,
  schedule: SpanKind.CONSUMER,
  queue: SpanKind.CONSUMER,
  function: SpanKind.INTERNAL,
  local: SpanKind.INTERNAL,
};

/**
 * Exports each finished activation as a span over OTLP/HTTP (RUNLET_OTLP_ENDPOINT), with the official
 * @opentelemetry SDK: batched, off the request path. A span is in its activation's trace (its
 * traceparent's, or the one its chain's root mints), its parent the activation that invoked it.
 */
export class OtlpExport {
  readonly #provider: BasicTracerProvider;
  readonly #tracer: Tracer;
  readonly #ids = new ActivationIds();
  /** Runs exported lately: an async run is recorded again when it settles and when its callback goes. */
  readonly #sent = new Set<string>();

  constructor(endpoint: string, activations: ActivationStream, options: { service?: string } = {}) {
    const url = endpoint.endsWith("/v1/traces") ? endpoint : `${endpoint.replace(/\/$/, "")}/v1/traces`;
    this.#provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ "service.name": options.service ?? "runlet" }),
      idGenerator: this.#ids,
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }), { scheduledDelayMillis: 500 })],
    });
    this.#tracer = this.#provider.getTracer("runlet");
    activations.on("activation", (a) => {
      if (a.status !== "queued" && a.status !== "running") this.export(a);
    });
  }

  export(a: Activation): void {
    const attempt = a.attempts ?? 1;
    const run = `${a.id}#${attempt}`;
    if (this.#sent.has(run)) return;
    if (this.#sent.size >= 10_000) this.#sent.delete(this.#sent.values().next().value!);
    this.#sent.add(run);
    const traceId = traceIdOf(a);
    this.#ids.traceId = traceId;
    // A retry is a run of its own; its children (and the first run's) hang under the first run's span.
    this.#ids.spanId = spanIdOf(attempt > 1 ? run : a.id);
    const parent = a.parentId
      ? trace.setSpanContext(context.active(), {
          traceId,
          spanId: spanIdOf(a.parentId),
          traceFlags: TraceFlags.SAMPLED,
          isRemote: true,
        })
      : context.active();
    const queuedAt = timeOfId(a.id, "act_") ?? a.startedAt;
    const span = this.#tracer.startSpan(
      `${a.function} v${a.version}`,
      {
        kind: KIND[a.trigger],
        startTime: a.startedAt,
        attributes: {
          "runlet.account": a.account,
          "runlet.function": a.function,
          "runlet.version": a.version,
          "runlet.activation_id": a.id,
          "runlet.trigger": a.trigger,
          "runlet.status": a.status,
          "runlet.queued_ms": Math.max(0, a.startedAt - queuedAt),
          "runlet.cold_start": a.coldStart,
          "runlet.attempt": attempt,
        },
      },
      parent,
    );
    if (a.status !== "succeeded")
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: `${a.error?.code ?? a.status}: ${a.error?.message ?? ""}`,
      });
    span.end(a.startedAt + a.durationMs);
  }

  /** Sends what is batched (close, tests). */
  flush(): Promise<void> {
    return this.#provider.forceFlush();
  }

  close(): Promise<void> {
    return this.#provider.shutdown();
  }
}
