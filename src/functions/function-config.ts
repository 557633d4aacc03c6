import type { Limits } from "../config.js";
import { RunletError } from "../errors.js";
import type { FunctionConfig } from "../model/function.js";
import type { RecordConfig } from "../model/recording.js";
import { validateSchedules } from "../triggers/cron.js";
import { validateSubscriptions } from "../triggers/event-subscriptions.js";
import { validateSubjects } from "../triggers/subjects.js";
import { validateSequenceShape } from "./sequence.js";

/** The settable part of a function's config, as the API and runlet.json accept it. */
export type FunctionConfigInput = Partial<FunctionConfig>;

function invalid(message: string): RunletError {
  return new RunletError("RUNLET_ERR_INVALID_CONFIG", message);
}

function range(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** Async retries (src/queue): `attempts` runs in all, the n-th retry after initialDelayMs × 2^(n-1). */
function resolveRetry(input: Partial<FunctionConfig["retry"]> | undefined): FunctionConfig["retry"] {
  if (input?.backoff !== undefined && input.backoff !== "exponential") {
    throw invalid(`retry.backoff must be "exponential", got ${JSON.stringify(input.backoff)}`);
  }
  return {
    attempts: range("retry.attempts", input?.attempts ?? 3, 1, 100),
    backoff: "exponential",
    initialDelayMs: range("retry.initialDelayMs", input?.initialDelayMs ?? 1000, 0, 3_600_000),
  };
}

/** Record and replay: a share of 0.01 to 1 of activations, kept 1 to 30 days (7 by default). */
function resolveRecord(input: Partial<RecordConfig>): RecordConfig {
  const { sample } = input;
  if (typeof sample !== "number" || !(sample >= 0.01 && sample <= 1)) {
    throw invalid(
      `record.sample must be a number from 0.01 to 1 (the share of activations kept), got ${String(sample)}`,
    );
  }
  return { sample, days: range("record.days", input.days ?? 7, 1, 30) };
}

/**
 * Invocations one instance serves at once unless the function says otherwise. Most functions wait on I/O
 * (fetch, ctx.invoke, kv), and the isolate is idle while they wait: several in one isolate share its
 * memory and its warm code, enter it in one batch, and a timed-out one no longer fails the rest (unless it
 * spins: runtime/instance.ts). CPU-bound functions that must run alone set `concurrency: 1`.
 */
export const DEFAULT_CONCURRENCY = 8;

/** Applies defaults and the account's limits (the JSON schema has already checked the types). */
export function resolveConfig(input: FunctionConfigInput, limits: Limits): FunctionConfig {
  const maxInstances = range("maxInstances", input.maxInstances ?? limits.maxInstances, 1, 1000);
  const env = input.env ?? {};
  for (const [key, value] of Object.entries(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,199}$/.test(key)) {
      throw invalid(
        `env name "${key.slice(0, 40)}" must match [A-Za-z_][A-Za-z0-9_]* and be at most 200 chars`,
      );
    }
    if (typeof value !== "string" || value.length > 4096) {
      throw invalid(`env ${key} must be a string of at most 4096 chars`);
    }
  }
  return {
    timeoutMs: range("timeoutMs", input.timeoutMs ?? limits.defaultTimeoutMs, 1, limits.maxTimeoutMs),
    memoryMb: range("memoryMb", input.memoryMb ?? limits.defaultMemoryMb, 16, limits.maxMemoryMb),
    concurrency: range("concurrency", input.concurrency ?? DEFAULT_CONCURRENCY, 1, 1000),
    minInstances: range("minInstances", input.minInstances ?? 0, 0, maxInstances),
    maxInstances,
    idleTimeoutMs: range("idleTimeoutMs", input.idleTimeoutMs ?? limits.idleTimeoutMs, 100, 86_400_000),
    env,
    events: validateSubscriptions(input.events ?? []),
    schedules: validateSchedules(input.schedules ?? []),
    public: input.public ?? false,
    retry: resolveRetry(input.retry),
    // Only present on sequences, so other functions' config (and its digest) is unchanged.
    ...(input.sequence !== undefined ? { sequence: validateSequenceShape(input.sequence) } : {}),
    // Likewise only present when set, so configs stored before queues existed keep their digest.
    ...(input.queues?.length ? { queues: validateSubjects(input.queues) } : {}),
    ...(input.record !== undefined ? { record: resolveRecord(input.record) } : {}),
  };
}
