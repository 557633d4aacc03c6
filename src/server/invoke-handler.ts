import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import type { Logger } from "pino";
import type { Limits } from "../config.js";
import type { Dispatcher } from "../dispatcher/dispatcher.js";
import type { AsyncInvoker } from "../model/invocation.js";
import { RunletError } from "../errors.js";
import type { Quotas } from "../metering/quotas.js";
import type { Principal } from "../security/authenticator.js";
import type { FaultProfiles } from "../faults/fault-profiles.js";
import type { FaultPlan } from "../model/fault.js";
import { incomingTrace } from "../telemetry/traceparent.js";
import { forwardedHeaders } from "../triggers/forwarded-headers.js";
import { INVALID_JSON, JSON_ONLY, toRunletError } from "./errors.js";
import { checkAccess, type AccessDeps } from "./guard.js";
import { asyncTooLarge, submitAsync } from "./invoke-async.js";
import { errorAnswer, invokeAnswer, type HttpAnswer } from "./reply.js";

/** The services POST …/invoke uses. */
export interface InvokeDeps extends AccessDeps {
  quotas: Pick<Quotas, "checkPayload">;
  dispatcher: Pick<Dispatcher, "invoke">;
  async: AsyncInvoker;
  limits: Pick<Limits, "syncPayloadBytes" | "asyncPayloadBytes">;
  log: Pick<Logger, "error">;
  faults: Pick<FaultProfiles, "plan">;
}

/** One `POST /v1/accounts/{acct}/functions/{name}/invoke`, as either gateway received it. */
export interface InvokeCall {
  account: string;
  name: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** `?async=true` or `Prefer: respond-async`. */
  async: boolean;
  /** `?version=N`: a developer's test-invoke of a kept version. */
  version?: number;
  /** The body, not read yet (nothing is copied before its size is checked); undefined when there is none. */
  body: Readable | undefined;
  /** Who is calling, when the gateway checked access already (Fastify does, before validating the query). */
  principal?: Principal;
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;

/**
 * The invoke route, free of any framework: access, size, JSON, async or sync, and the answer (an error
 * too). The node:http fast path (fast-invoke.ts) and the Fastify route (routes/invoke.ts) only adapt it.
 */
export async function handleInvoke(deps: InvokeDeps, call: InvokeCall): Promise<HttpAnswer> {
  try {
    return await answer(deps, call);
  } catch (err) {
    const error = toRunletError(err);
    if (error.status >= 500) deps.log.error({ err, url: call.url }, "request failed");
    call.body?.resume(); // what is left of a refused body is drained, so the connection stays usable
    return errorAnswer(error);
  }
}

async function answer(deps: InvokeDeps, call: InvokeCall): Promise<HttpAnswer> {
  const { account, name, headers } = call;
  const principal = call.principal ?? (await checkAccess(deps, headers.authorization, account, "invoker"));
  if (call.version !== undefined) deps.auth.authorize(principal, account, "developer");
  const faults = await faultPlan(deps, principal, account, headers["x-runlet-faults"]);
  const limit = call.async ? deps.limits.asyncPayloadBytes : deps.limits.syncPayloadBytes;
  const tooLarge = (size: number): RunletError =>
    call.async
      ? asyncTooLarge(limit, size)
      : new RunletError(
          "RUNLET_ERR_PAYLOAD_TOO_LARGE",
          `the body is over the ${limit}-byte limit for a sync invocation; send less`,
        );
  const declared = Number(headers["content-length"] ?? 0);
  if (declared > limit) throw tooLarge(declared);
  if (declared > 0) deps.quotas.checkPayload(account, declared);
  const type = headers["content-type"];
  if (type !== undefined && !JSON_TYPE.test(type))
    throw new RunletError("RUNLET_ERR_INVALID_JSON", JSON_ONLY);
  const body = call.body ? await readBody(call.body, limit, tooLarge) : "";
  let payload: unknown = null;
  if (body.length > 0) {
    deps.quotas.checkPayload(account, Buffer.byteLength(body));
    if (type === undefined) throw new RunletError("RUNLET_ERR_INVALID_JSON", JSON_ONLY);
    try {
      payload = JSON.parse(body);
    } catch {
      throw new RunletError("RUNLET_ERR_INVALID_JSON", INVALID_JSON);
    }
  }
  const trace = incomingTrace(headers.traceparent);
  const invocation = {
    kind: "http" as const,
    account,
    function: name,
    payload,
    headers: forwardedHeaders(headers),
    ...trace,
    ...(faults ? { faults } : {}),
    ...routeKeyOf(headers, principal),
  };
  if (call.async) return submitAsync(deps.async, invocation, headers);
  const version = call.version !== undefined ? { version: call.version } : {};
  return invokeAnswer(await deps.dispatcher.invoke({ ...invocation, ...version }));
}

/**
 * The fault profile `X-Runlet-Faults` names: a developer's or admin's only. An invoker key that sends it
 * is refused (403), not ignored, so a test never passes believing faults were injected when none were.
 */
async function faultPlan(
  deps: InvokeDeps,
  principal: Principal,
  account: string,
  header: string | string[] | undefined,
): Promise<FaultPlan | undefined> {
  if (header === undefined) return undefined;
  try {
    deps.auth.authorize(principal, account, "developer");
  } catch {
    throw new RunletError(
      "RUNLET_ERR_FAULTS_FORBIDDEN",
      "X-Runlet-Faults needs a developer or admin key of this account; invoker keys cannot inject faults, so send the request without the header",
    );
  }
  return deps.faults.plan(account, Array.isArray(header) ? header.join(",") : header);
}

/** What a canary split is sticky on: X-Runlet-Route-Key, else the calling key's id (none: random). */
export function routeKeyOf(headers: IncomingHttpHeaders, principal?: Principal): { routeKey?: string } {
  const header = headers["x-runlet-route-key"];
  const given = Array.isArray(header) ? header[0] : header;
  if (given) return { routeKey: given.slice(0, 256) };
  return principal?.kind === "key" ? { routeKey: `key:${principal.keyId}` } : {};
}

/** Reads a body as UTF-8 text, refusing it (unread past the limit) once it grows over `limit` bytes. */
function readBody(stream: Readable, limit: number, tooLarge: (size: number) => RunletError): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stream.removeAllListeners("data");
        reject(tooLarge(size));
        return;
      }
      chunks.push(chunk);
    });
    stream.on("end", () =>
      resolve(chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8")),
    );
    stream.on("error", reject);
  });
}
