// fetch(): builds the Request here and asks the host to send it (host operation "fetch", where the
// account's allowlist, the SSRF guard and the limits apply). Request bodies are sent whole; the response
// body arrives whole and is readable as a stream or at once. An AbortSignal rejects the call at once.
import { hostCall } from "./hostcall.js";
import type { URL } from "./url.js";
import { Request, Response, type RequestInit } from "./web.js";

interface FetchAnswer {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: ArrayBuffer | null;
  url: string;
  redirected: boolean;
}

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** A fetch bound to the activation its host calls are made for. */
export function fetchFor(activationId: () => string) {
  return async function fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const request = new Request(input as string | Request, init);
    const signal = request.signal;
    signal.throwIfAborted();
    const body = request.body === null ? null : ((await request.arrayBuffer()) as ArrayBuffer);
    signal.throwIfAborted();
    const head = {
      url: request.url,
      method: request.method,
      headers: [...request.headers],
      redirect: request.redirect,
    };
    const call = hostCall(activationId(), "fetch", head, body) as Promise<FetchAnswer>;
    const answer = await new Promise<FetchAnswer>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      call.then(
        (value) => {
          signal.removeEventListener("abort", onAbort);
          resolve(value);
        },
        (err: unknown) => {
          signal.removeEventListener("abort", onAbort);
          reject(err);
        },
      );
    });
    const status = Number(answer.status);
    const hasBody = !NULL_BODY.has(status) && request.method !== "HEAD" && answer.body !== null;
    // Statuses outside 200–599 cannot be constructed by functions, but a server may answer with them.
    const response = new Response(hasBody ? answer.body : null, {
      status: status >= 200 && status <= 599 ? status : 200,
      statusText: String(answer.statusText ?? ""),
      headers: answer.headers,
    });
    if (status < 200 || status > 599) Object.defineProperty(response, "status", { value: status });
    return response._fetched(String(answer.url || request.url), Boolean(answer.redirected));
  };
}
