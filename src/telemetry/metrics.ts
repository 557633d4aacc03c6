import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Activation } from "../model/activation.js";
import { THROTTLED_CODES } from "../outcomes.js";
import type { Scheduler } from "../scheduler/scheduler.js";

/** The stream of activation records (the dispatcher's ActivationLog) the invocation metrics count. */
export interface ActivationStream {
  on(event: "activation", listener: (activation: Activation) => void): unknown;
}

const THROTTLED = new Set<string>(THROTTLED_CODES);

const DURATION_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900,
];

/**
 * Prometheus metrics (GET /metrics). Invocation metrics come from the activation stream, so the
 * dispatcher does no extra work; pool gauges are read from the scheduler when scraped.
 */
export class Metrics {
  readonly registry = new Registry();
  #invocations = new Counter({
    name: "runlet_invocations_total",
    help: "Finished invocations by function, version and status (a canary's apart from the deployed version's)",
    labelNames: ["account", "function", "version", "status"] as const,
    registers: [this.registry],
  });
  #duration = new Histogram({
    name: "runlet_invocation_duration_seconds",
    help: "Invocation duration (what is billed, before rounding)",
    labelNames: ["account", "function"] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  #coldStarts = new Counter({
    name: "runlet_cold_starts_total",
    help: "Invocations that waited for an instance to start",
    labelNames: ["account", "function"] as const,
    registers: [this.registry],
  });
  #throttled = new Counter({
    name: "runlet_throttled_total",
    help: "Invocations refused with 429 because every instance was busy",
    labelNames: ["account", "function"] as const,
    registers: [this.registry],
  });
  /** Label children cached per function: looking labels up is the costly part of counting. */
  #children = new Map<
    string,
    {
      duration: Histogram.Internal<"account" | "function">;
      status: Map<string, Counter.Internal>;
    }
  >();

  /** `observe: false` leaves invocations uncounted (RUNLET_METRICS=false); gauges still answer. */
  constructor(scheduler: Scheduler, activations: ActivationStream, options: { observe?: boolean } = {}) {
    collectDefaultMetrics({ register: this.registry, prefix: "runlet_" });
    new Gauge({
      name: "runlet_instances",
      help: "Warm instances per function version, by state (idle or busy)",
      labelNames: ["account", "function", "version", "state"] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const pool of scheduler.pools()) {
          const [account, rest] = pool.key.split("/") as [string, string];
          const [fn, version] = rest.split("@") as [string, string];
          const busy = pool.busy;
          this.set({ account, function: fn, version, state: "busy" }, busy);
          this.set({ account, function: fn, version, state: "idle" }, pool.instances.length - busy);
        }
      },
    });
    new Gauge({
      name: "runlet_queue_waiting",
      help: "Requests waiting for a free instance slot",
      registers: [this.registry],
      collect() {
        this.set(scheduler.pools().reduce((sum, pool) => sum + pool.waiting, 0));
      },
    });
    // Read from the budget's cached measurements: asking a busy isolate synchronously would block the
    // event loop until the code running in it yields.
    new Gauge({
      name: "runlet_isolate_memory_bytes",
      help: "Memory held by all warm isolates (resident V8 heap, malloc'd, ArrayBuffers), as last measured",
      registers: [this.registry],
      collect() {
        this.set(scheduler.memory.inUse());
      },
    });
    new Gauge({
      name: "runlet_isolate_memory_budget_bytes",
      help: "RUNLET_ISOLATE_MEMORY_MB: past it, idle instances are evicted or starts refused",
      registers: [this.registry],
      collect() {
        this.set(scheduler.memory.limitBytes);
      },
    });
    // Counts kept by the scheduler, exposed as the counters they are (the metric only reads them).
    counter(
      this.registry,
      "runlet_instance_evictions",
      "Idle instances disposed under memory pressure since the node started",
      () => scheduler.memory.evictions,
    );
    counter(
      this.registry,
      "runlet_instances_started",
      "Instances started since the node started (cold starts, prewarms, deploy validations)",
      () => scheduler.instancesStarted,
    );
    counter(
      this.registry,
      "runlet_lost_isolates",
      "Isolates lost to fatal out-of-memory errors since the node started (their memory stays until restart)",
      () => scheduler.lostIsolates,
    );
    new Gauge({
      name: "runlet_quarantined_versions",
      help: "Function versions refused after repeated fatal out-of-memory errors (RUNLET_ERR_QUARANTINED)",
      registers: [this.registry],
      collect() {
        this.set(scheduler.quarantine.size);
      },
    });
    if (options.observe !== false) activations.on("activation", (activation) => this.observe(activation));
  }

  observe(a: Activation): void {
    if (a.status === "queued" || a.status === "running") return;
    const key = `${a.account}/${a.function}`;
    let children = this.#children.get(key);
    if (!children) {
      children = { duration: this.#duration.labels(a.account, a.function), status: new Map() };
      this.#children.set(key, children);
    }
    const statusKey = `${a.version}/${a.status}`;
    let counter = children.status.get(statusKey);
    if (!counter) {
      counter = this.#invocations.labels(a.account, a.function, String(a.version), a.status);
      children.status.set(statusKey, counter);
    }
    counter.inc();
    if (a.billedMs > 0) children.duration.observe(a.durationMs / 1000);
    if (a.coldStart) this.#coldStarts.labels(a.account, a.function).inc();
    if (a.status === "rejected" && THROTTLED.has(a.error?.code ?? ""))
      this.#throttled.labels(a.account, a.function).inc();
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** A Prometheus counter whose total is kept elsewhere: read when scraped. */
function counter(registry: Registry, name: string, help: string, total: () => number): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(total());
    },
  });
}
