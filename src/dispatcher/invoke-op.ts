import type { Limits } from "../config.js";
import { RunletError } from "../errors.js";
import { isName } from "../functions/names.js";
import { HostCallError, type Caller, type HostOps } from "../runtime/host-ops.js";
import { callerSpanId, childTraceparent } from "../telemetry/traceparent.js";
import { isRetryable } from "../outcomes.js";
import { answerValue } from "./answer-value.js";
import type { Dispatcher } from "./dispatcher.js";
import type { AsyncInvoker, CallTrace, InvokeResult } from "../model/invocation.js";
import { InvokeBudget, MAX_INVOKES_PER_ACTIVATION } from "./invoke-budget.js";

/** What `ctx.invoke(name, payload, options)` sends over the host-call seam. */
interface InvokeArgs {
  name: string;
  json: string;
  options: { async?: unknown; timeoutMs?: unknown; retries?: unknown };
}

/** At most this many extra attempts per ctx.invoke (sync ones retry within the caller's deadline). */
const MAX_RETRIES = 10;

function bad(message: string): HostCallError {
  return new HostCallError("RUNLET_ERR_BAD_REQUEST", message, "TypeError");
}

function parseArgs(raw: unknown): {
  name: string;
  json: string;
  async: boolean;
  timeoutMs?: number;
  retries?: number;
} {
  const args = (raw ?? {}) as Partial<InvokeArgs>;
  const name = args.name;
  if (typeof name !== "string" || !isName(name)) {
    throw new HostCallError(
      "RUNLET_ERR_INVALID_NAME",
      `ctx.invoke: "${String(name).slice(0, 80)}" is not a function name; pass the name of a function in this account`,
      "TypeError",
    );
  }
  if (typeof args.json !== "string") throw bad("ctx.invoke: the payload must be JSON-serializable");
  const options = args.options ?? {};
  const { timeoutMs, retries } = options;
  if (timeoutMs !== undefined && (typeof timeoutMs !== "number" || !(timeoutMs > 0))) {
    throw bad(
      `ctx.invoke: options.timeoutMs must be a positive number of milliseconds, got ${String(timeoutMs)}`,
    );
  }
  if (
    retries !== undefined &&
    (typeof retries !== "number" || !Number.isInteger(retries) || retries < 0 || retries > MAX_RETRIES)
  ) {
    throw bad(
      `ctx.invoke: options.retries must be an integer from 0 to ${MAX_RETRIES}, got ${String(retries)}`,
    );
  }
  return {
    name,
    json: args.json,
    async: options.async === true,
    ...(timeoutMs !== undefined ? { timeoutMs: Math.ceil(timeoutMs as number) } : {}),
    ...(retries !== undefined ? { retries: retries as number } : {}),
  };
}

export interface InvokeOpDeps {
  dispatcher: Dispatcher;
  limits: Limits;
  /** The durable queue, once the platform has one (async children need it). */
  async: AsyncInvoker;
}

/**
 * The `invoke` host operation behind `ctx.invoke`: another function of the caller's own account (the
 * account comes from the host, never from the function), one hop deeper, in the caller's trace, within
 * the caller's deadline. A sync child's failure rejects in the parent with the child's code and
 * activation id.
 */
export function registerInvokeOp(ops: HostOps, deps: InvokeOpDeps): void {
  const budget = new InvokeBudget(deps.limits.maxInvokesPerChain);
  ops.register(
    "invoke",
    async (caller, raw) => {
      const args = parseArgs(raw);
      const over = budget.take(caller);
      if (over) {
        throw new HostCallError(
          "RUNLET_ERR_INVOKE_LIMIT",
          over === "activation"
            ? `ctx.invoke("${args.name}"): this invocation already made ${MAX_INVOKES_PER_ACTIVATION} ctx.invoke calls, the most one may make`
            : `ctx.invoke("${args.name}"): this chain of invocations already made ${deps.limits.maxInvokesPerChain} ctx.invoke calls, the most one chain may make; is a function fanning out to copies of itself?`,
        );
      }
      const depth = caller.depth + 1;
      if (depth > deps.limits.maxInvokeDepth) {
        throw new HostCallError(
          "RUNLET_ERR_INVOKE_DEPTH",
          `ctx.invoke("${args.name}") would be invocation ${depth} in one chain, over the limit of ${deps.limits.maxInvokeDepth}; is a function invoking itself?`,
        );
      }
      const limit = args.async ? deps.limits.asyncPayloadBytes : deps.limits.syncPayloadBytes;
      if (Buffer.byteLength(args.json) > limit) {
        throw new HostCallError(
          "RUNLET_ERR_PAYLOAD_TOO_LARGE",
          `ctx.invoke("${args.name}"): the payload is over the ${limit}-byte ${args.async ? "async" : "sync"} limit; send less`,
        );
      }
      const payload = JSON.parse(args.json) as unknown;
      const trace = {
        depth,
        traceparent: childTraceparent(caller.traceparent, caller.activationId),
        parentSpanId: callerSpanId(caller.traceparent, caller.activationId),
        parentId: caller.activationId,
        chain: caller.chain,
      };
      if (args.async) return submitAsync(deps, caller, args, payload, trace);
      return invokeSync(deps, caller, args, payload, trace);
    },
    {
      field: "json",
      // Characters of JSON text; the byte limit of the sync or async form is checked above, after the copy.
      max: Math.max(deps.limits.syncPayloadBytes, deps.limits.asyncPayloadBytes),
      unit: "characters",
      what: "ctx.invoke: the payload as JSON",
    },
  );
}

async function submitAsync(
  deps: InvokeOpDeps,
  caller: Caller,
  args: ReturnType<typeof parseArgs>,
  payload: unknown,
  trace: CallTrace,
): Promise<{ activationId: string }> {
  try {
    const submitted = await deps.async.submit({
      invocation: { kind: "function", account: caller.account, function: args.name, payload, trace },
      ...(args.retries !== undefined ? { maxAttempts: args.retries + 1 } : {}),
    });
    return { activationId: submitted.activationId };
  } catch (err) {
    throw asHostError(err);
  }
}

async function invokeSync(
  deps: InvokeOpDeps,
  caller: Caller,
  args: ReturnType<typeof parseArgs>,
  payload: unknown,
  trace: CallTrace,
): Promise<unknown> {
  let result: InvokeResult | undefined;
  for (let attempt = 0; attempt <= (args.retries ?? 0); attempt++) {
    const remaining = caller.deadline - Date.now();
    if (remaining <= 0) break;
    result = await deps.dispatcher.invoke({
      kind: "function",
      account: caller.account,
      function: args.name,
      payload,
      trace,
      timeoutMs: Math.min(remaining, args.timeoutMs ?? Infinity),
    });
    if (!isRetryable(result.outcome.status)) break;
  }
  if (!result) {
    throw new HostCallError(
      "RUNLET_ERR_TIMEOUT",
      `ctx.invoke("${args.name}"): no time left before the caller's deadline`,
    );
  }
  const { outcome, activation } = result;
  if (outcome.status !== "succeeded") {
    // A child that ran says how it ended; one that could not be found says only that.
    const message = activation ? `${args.name} ended ${outcome.status}: ${outcome.message}` : outcome.message;
    throw new HostCallError(outcome.code, message, "Error", activation?.id);
  }
  return answerValue(result);
}

function asHostError(err: unknown): unknown {
  if (err instanceof RunletError) return new HostCallError(err.code, err.message, "Error", err.activationId);
  return err;
}
