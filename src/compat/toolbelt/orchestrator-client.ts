import { runletContext } from "./runlet-context.js";

export const ErrorStrategy = Object.freeze({
  ExitOnError: "ExitOnError",
  ContinueOnError: "ContinueOnError",
});
export type ErrorStrategyName = keyof typeof ErrorStrategy;

export interface Invocation {
  /** The function's UUID (GET …/lambdas/ lists them) or its name. */
  uuid: string;
  payload?: unknown;
  /** Accepted for compatibility; ctx.invoke passes the payload only, so a child does not see them. */
  headers?: unknown;
  /** Further attempts after a failure (0-10, default 3), within the deadline. */
  retries?: number;
}

export interface InvokeOptions {
  errorStrategy?: ErrorStrategyName;
  invokeParallel?: boolean;
  /** Milliseconds for everything, at most 25000 (default 15000); also taken as the second argument. */
  deadline?: number;
  timeout?: number;
  json?: boolean;
}

export type InvocationResult =
  { uuid: string; result: unknown } | { uuid: string; error: { code: string; message: string } };

const MAX_DEADLINE = 25_000;

/** What ExitOnError rejects with: the first failure, naming the invocation's uuid. */
export class OrchestratorError extends Error {
  override name = "OrchestratorError";
  constructor(
    readonly uuid: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** `Toolbelt.OrchestratorClient()`: invokes other functions of the account over ctx.invoke. */
export class OrchestratorClient {
  async invoke(
    invocations: Invocation[],
    deadlineOrOptions?: number | InvokeOptions,
    maybeOptions: InvokeOptions = {},
  ): Promise<InvocationResult[]> {
    const options = typeof deadlineOrOptions === "object" ? deadlineOrOptions : maybeOptions;
    const deadline = typeof deadlineOrOptions === "number" ? deadlineOrOptions : (options.deadline ?? 15_000);
    if (!Array.isArray(invocations)) throw new TypeError("invoke() takes an array of {uuid, payload}");
    if (!(deadline > 0) || deadline > MAX_DEADLINE) {
      throw new RangeError(`the deadline must be from 1 to ${MAX_DEADLINE} ms, got ${deadline}`);
    }
    const strategy = options.errorStrategy ?? "ExitOnError";
    if (!Object.hasOwn(ErrorStrategy, strategy))
      throw new TypeError(`unknown errorStrategy ${String(strategy)}`);
    const ctx = runletContext();
    const endAt = Math.min(Date.now() + deadline, ctx.deadline);
    const one = async (invocation: Invocation): Promise<InvocationResult> => {
      const uuid = String(invocation?.uuid);
      try {
        const name = await ctx.lambdaName(uuid);
        const retries = Math.max(0, Math.min(10, Math.floor(invocation.retries ?? 3)));
        const remaining = endAt - Date.now();
        if (remaining <= 0)
          throw Object.assign(new Error("the deadline passed before the call"), {
            code: "RUNLET_ERR_TIMEOUT",
          });
        const result = await ctx.invoke(name, invocation.payload ?? null, { timeoutMs: remaining, retries });
        return { uuid, result };
      } catch (err) {
        const code = String((err as { code?: unknown }).code ?? "RUNLET_ERR_FUNCTION_ERROR");
        const message = (err as Error).message ?? String(err);
        if (strategy === "ExitOnError") throw new OrchestratorError(uuid, code, `${uuid}: ${message}`);
        return { uuid, error: { code, message } };
      }
    };
    if (options.invokeParallel) return Promise.all(invocations.map(one));
    const results: InvocationResult[] = [];
    for (const invocation of invocations) results.push(await one(invocation));
    return results;
  }
}
