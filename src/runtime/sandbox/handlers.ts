// The three handler styles of DESIGN §2: detection at deploy time and the adapters that call them.
import { hostCall } from "./hostcall.js";
import { load } from "./lazy.js";
import type { Response } from "./web.js";
import { JSONParse, JSONStringify, ObjectFromEntries, bare } from "./primordials.js";
import { boundedStringify, JsonBudgetExceeded } from "./json-bound.js";

export type Style = "event" | "http" | "classic";
type AnyFn = (...args: unknown[]) => unknown;
interface HttpModule {
  fetch: AnyFn;
  event?: AnyFn;
}

export interface Handler {
  style: Style;
  run(job: Job, ctx: Record<string, unknown>): Promise<Envelope>;
}

/** Thrown at deploy time; the host turns it into RUNLET_ERR_NO_HANDLER. */
export class NoHandlerError extends Error {
  override name = "NoHandlerError";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null;
}

export function detect(mod: unknown, responseBytes: number): Handler {
  const exports = isObject(mod) ? mod : {};
  const main = exports.default ?? (typeof mod === "function" ? mod : undefined);
  if (typeof main === "function") return eventHandler(main as AnyFn, responseBytes);
  if (isObject(main) && typeof main.fetch === "function") {
    return httpHandler(main as unknown as HttpModule, responseBytes);
  }
  if (typeof exports.lambda === "function") return classicHandler(exports.lambda as AnyFn, responseBytes);
  const names = Object.keys(exports);
  throw new NoHandlerError(
    `no handler found (module exports: ${names.length ? names.join(", ") : "nothing"}${
      main !== undefined ? `; default export is a ${typeof main}` : ""
    })`,
  );
}

/** JSON text of a result, or an error envelope when it cannot be sent back. */
export function jsonEnvelope(value: unknown, responseBytes: number): Envelope {
  let body: string | undefined;
  try {
    body = value === undefined ? "null" : boundedStringify(value, responseBytes);
  } catch (err) {
    if (err instanceof JsonBudgetExceeded) {
      return bare({ ok: false, code: "result_too_large", message: `result is over ${responseBytes} bytes` });
    }
    return bare({
      ok: false,
      code: "invalid_result",
      message: `result is not JSON-serialisable: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
  if (typeof body !== "string") {
    return bare({
      ok: false,
      code: "invalid_result",
      message: `result is not JSON-serialisable: a ${typeof value}`,
    });
  }
  if (body.length > responseBytes) {
    return bare({
      ok: false,
      code: "result_too_large",
      message: `result is ${body.length} bytes, over ${responseBytes}`,
    });
  }
  return bare({ ok: true, kind: "json", body });
}

/** A message for anything thrown: Errors keep name, message and stack; other values are described. */
export function describe(err: unknown): string {
  if (err instanceof Error)
    return err.stack && err.stack.includes(err.message) ? err.stack : `${err.name}: ${err.message}`;
  if (typeof err === "string") return err;
  try {
    // Bounded: a thrown value can be a shared-subtree graph too (the host keeps 16 KiB of a message).
    const json = boundedStringify(err, 16_384) as string | undefined;
    return json === undefined ? String(err) : `thrown value: ${json}`;
  } catch {
    return `thrown value: ${String(err)}`;
  }
}

function eventHandler(fn: AnyFn, responseBytes: number): Handler {
  return {
    style: "event",
    async run(job, ctx) {
      const event = { ...job.event, headers: ObjectFromEntries(job.event.headers) };
      return jsonEnvelope(await fn(event, ctx), responseBytes);
    },
  };
}

function classicHandler(fn: AnyFn, responseBytes: number): Handler {
  return {
    style: "classic",
    run(job) {
      const input = {
        timestamp: Date.parse(job.event.time),
        headers: job.event.headers.map(([key, value]) => ({ key, value })),
        payload: job.event.payload,
      };
      return new Promise<Envelope>((resolve, reject) => {
        let done = false;
        const callback = (err: unknown, result?: unknown) => {
          if (done) return;
          done = true;
          if (err !== null && err !== undefined) reject(err);
          else resolve(jsonEnvelope(result, responseBytes));
        };
        const returned = fn(input, callback);
        // The later hosted generation: `async function lambda(input)` answers by returning. An async
        // lambda that takes the callback answers through it, but its rejection is still its failure.
        if (isObject(returned) && typeof returned.then === "function") {
          (returned as unknown as Promise<unknown>).then(
            (value) => {
              if (fn.length < 2) callback(null, value);
            },
            (err) => callback(err ?? "rejected"),
          );
        }
      });
    },
  };
}

function httpHandler(mod: HttpModule, responseBytes: number): Handler {
  return {
    style: "http",
    async run(job, ctx) {
      if (!job.request && typeof mod.event === "function") {
        const event = { ...job.event, headers: ObjectFromEntries(job.event.headers) };
        return jsonEnvelope(await mod.event(event, ctx), responseBytes);
      }
      const req = job.request ?? {
        method: "POST",
        url: `https://runlet.invalid${job.event.source}`,
        headers: [["content-type", "application/json"]] as [string, string][],
        body: JSONStringify(job.event.payload ?? null),
      };
      const { Response, trustedRequest } = load.web();
      const request = trustedRequest(req.url, { method: req.method, headers: req.headers, body: req.body });
      const response = await mod.fetch(request, ctx.env, ctx);
      if (!(response instanceof Response)) {
        return bare({
          ok: false,
          code: "invalid_result",
          message: "fetch() must return a Response (or a Promise of one)",
        });
      }
      const headers = [...response.headers];
      if (job.request && job.stream && response._isStream) {
        return streamBody(job.id, response, headers);
      }
      const consumed = response.bodyUsed ? null : await response._consume();
      const body = consumed === null || typeof consumed === "string" ? consumed : transferable(consumed);
      const size = body === null ? 0 : typeof body === "string" ? body.length : body.byteLength;
      if (size > responseBytes) {
        return bare({
          ok: false,
          code: "result_too_large",
          message: `response body is ${size} bytes, over ${responseBytes}`,
        });
      }
      if (!job.request) {
        // Invoked through the JSON API: answer with the body as JSON when it is JSON, else as text.
        const text =
          body === null
            ? ""
            : typeof body === "string"
              ? body
              : new (load.encoding().TextDecoder)().decode(body);
        const isJson = (response.headers.get("content-type") ?? "").includes("json");
        return isJson ? typedJson(text || "null") : jsonEnvelope(text, responseBytes);
      }
      return bare({ ok: true, kind: "http", status: response.status, headers, body });
    },
  };
}

/**
 * The body of a Response typed as JSON, as the JSON answer of an invocation through the JSON API: it must
 * be JSON (the host checks again, and refuses it the same way).
 */
function typedJson(text: string): Envelope {
  try {
    JSONParse(text);
  } catch (err) {
    return bare({
      ok: false,
      code: "invalid_response_json",
      message: `the Response says Content-Type: application/json but its body is not JSON (${
        err instanceof Error ? err.message : String(err)
      }); answer JSON or another content type`,
    });
  }
  return bare({ ok: true, kind: "json", body: text });
}

function transferable(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}

/**
 * Streams a ReadableStream body to the client: the head goes first ("response.start"), then each chunk
 * ("response.write" resolves once the host has room for more: backpressure). The invocation lasts until
 * the stream ends; one that never ends is cut by the host at the deadline.
 */
async function streamBody(id: string, response: Response, headers: [string, string][]): Promise<Envelope> {
  await hostCall(id, "response.start", { status: response.status, headers });
  const reader = response.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const chunk = load.streams().toChunk(value, load.encoding().utf8Encode);
      if (chunk.byteLength > 0) await hostCall(id, "response.write", null, transferable(chunk.slice()));
    }
  } catch (err) {
    void reader.cancel(err).catch(() => undefined);
    throw err;
  }
  return bare({ ok: true, kind: "http", status: response.status, headers, body: null });
}
