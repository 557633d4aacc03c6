import type { Logger } from "pino";
import { AddressGuard, type OutboundOptions } from "../security/outbound/address-guard.js";
import type { Limits, QueueSettings } from "../config.js";
import type { ActivationLog } from "../dispatcher/activation-log.js";
import type { Dispatcher } from "../dispatcher/dispatcher.js";
import type { AsyncInvoker, Submission, Submitted } from "../model/invocation.js";
import { RunletError } from "../errors.js";
import type { Catalog } from "../functions/catalog.js";
import { notFound } from "../functions/service.js";
import { timeId } from "../ids.js";
import { jsonText } from "../model/json-text.js";
import { callbackUrlProblem } from "./callbacks.js";
import { GroupCommit } from "./group-commit.js";
import type { DeadJob, Enqueue, EnqueueResult, JobQueue, JobSpec } from "../model/job.js";
import { blankActivation, withCallback } from "./records.js";
import { QueueWorker } from "./worker.js";

export interface AsyncQueueDeps {
  queue: JobQueue;
  catalog: Catalog;
  dispatcher: Dispatcher;
  activations: ActivationLog;
  limits: Limits;
  settings: QueueSettings;
  log: Logger;
  /** Test hooks for the callback's address guard (a local receiver). */
  outbound?: OutboundOptions;
}

/**
 * Durable async invocation (`platform.async`): a submission is answered once its job is committed (grouped
 * with the others arriving at the same time), its activation is `queued` at once, and this node's worker
 * runs it. HTTP async invoke, events, schedules and ctx.invoke all submit here.
 */
export class AsyncQueue implements AsyncInvoker {
  readonly #commit: GroupCommit<Enqueue, EnqueueResult>;
  readonly #worker: QueueWorker;
  readonly #guard: AddressGuard;

  constructor(private readonly deps: AsyncQueueDeps) {
    this.#guard = new AddressGuard(deps.outbound);
    this.#commit = new GroupCommit((entries) => deps.queue.enqueue(entries));
    this.#worker = new QueueWorker(deps);
  }

  start(): void {
    this.#worker.start();
  }

  close(): Promise<void> {
    return this.#worker.close();
  }

  async submit(s: Submission): Promise<Submitted> {
    const { catalog, limits, queue } = this.deps;
    const { account, function: name, payload } = s.invocation;
    const bytes = Buffer.byteLength(jsonText(payload, "the payload"));
    if (bytes > limits.asyncPayloadBytes) {
      throw new RunletError(
        "RUNLET_ERR_PAYLOAD_TOO_LARGE",
        `async payloads are limited to ${limits.asyncPayloadBytes} bytes, got ${bytes}; send less or invoke synchronously`,
      );
    }
    const problem = s.callbackUrl === undefined ? undefined : callbackUrlProblem(s.callbackUrl, this.#guard);
    if (problem) throw new RunletError("RUNLET_ERR_INVALID_CALLBACK_URL", problem);
    const fn = await catalog.function(account, name);
    if (!fn) throw notFound(name);
    if (fn.deployedVersion === null) {
      throw new RunletError(
        "RUNLET_ERR_NOT_DEPLOYED",
        `function ${name} is not deployed; deploy it first (runlet deploy ${name})`,
      );
    }
    if (s.idempotencyKey !== undefined) {
      const first = await queue.lookup(account, name, s.idempotencyKey);
      if (first) return this.#repeat(s, first.id, first.bodyDigest === (s.bodyDigest ?? null));
    }

    const now = Date.now();
    const job: JobSpec = {
      id: timeId("act_", now),
      invocation: { ...s.invocation, payload: payload ?? null },
      createdAt: now,
      ...(s.callbackUrl ? { callbackUrl: s.callbackUrl } : {}),
      ...(s.maxAttempts !== undefined ? { maxAttempts: s.maxAttempts } : {}),
    };
    // Stored with the job, in the same commit: it exists once the 202 is sent, and before any run.
    const queued = withCallback(job, { ...blankActivation(job, "queued", now), version: fn.deployedVersion });
    let result: EnqueueResult;
    try {
      result = await this.#commit.add({
        job,
        activation: queued,
        ...(s.idempotencyKey !== undefined ? { idempotencyKey: s.idempotencyKey } : {}),
        ...(s.bodyDigest !== undefined ? { bodyDigest: s.bodyDigest } : {}),
      });
    } catch (err) {
      this.deps.log.error({ err }, "queueing an async invocation failed");
      throw new RunletError("RUNLET_ERR_PLATFORM", "the invocation could not be queued; retry", {
        cause: err,
      });
    }
    // Another request with the same key was stored first, between the lookup and this commit.
    if (result.kind !== "queued") return this.#repeat(s, result.id, result.kind === "duplicate");
    this.#worker.wake();
    return { activationId: job.id, duplicate: false };
  }

  /** Dead-lettered invocations of an account, newest first. */
  dead(account: string, limit: number, before?: string): Promise<DeadJob[]> {
    return this.deps.queue.listDead(account, limit, before);
  }

  /** Runs a dead-lettered invocation again, under the same activation id. */
  async redrive(account: string, id: string): Promise<void> {
    const now = Date.now();
    const activation = await this.deps.activations.get(account, id);
    if (!(await this.deps.queue.redrive(account, id, now))) {
      throw new RunletError(
        "RUNLET_ERR_ACTIVATION_NOT_FOUND",
        `no dead-lettered activation ${id} in this account; list them with GET …/dlq`,
      );
    }
    if (activation) {
      const { callback: _callback, ...rest } = activation;
      this.deps.activations.record({ ...rest, status: "queued", attempts: 0 });
    }
    this.#worker.wake();
  }

  #repeat(s: Submission, id: string, sameBody: boolean): Submitted {
    if (!sameBody) {
      throw new RunletError(
        "RUNLET_ERR_IDEMPOTENCY_CONFLICT",
        `Idempotency-Key ${JSON.stringify(s.idempotencyKey)} was first used with a different body (activation ${id}); use a new key for a new request`,
        { activationId: id },
      );
    }
    return { activationId: id, duplicate: true };
  }
}
