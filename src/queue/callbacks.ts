import type { Activation } from "../store/records.js";

/** What an X-Callback-Url receives when an async activation ends. */
export interface CallbackBody {
  activationId: string;
  status: Activation["status"];
  result: unknown;
  error: Activation["error"];
}

/**
 * POSTs the activation's outcome to its callback URL; resolves undefined when the receiver answered 2xx,
 * else why not (its status, or the network error), for the activation's record and the next retry.
 */
export async function deliverCallback(
  url: string,
  activation: Activation,
  timeoutMs: number,
): Promise<string | undefined> {
  const body: CallbackBody = {
    activationId: activation.id,
    status: activation.status,
    result: activation.result,
    error: activation.error,
  };
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-runlet-activation-id": activation.id,
        "x-runlet-status": activation.status,
      },
      body: JSON.stringify(body),
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.ok ? undefined : `HTTP ${res.status}`;
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  }
}

/** Checks an X-Callback-Url: an absolute http(s) URL; returns the reason it is not, or undefined. */
export function callbackUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `X-Callback-Url ${JSON.stringify(raw.slice(0, 200))} is not an absolute URL; send an absolute http:// or https:// URL`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return `X-Callback-Url must be http:// or https://, got ${url.protocol}`;
  }
  if (raw.length > 2048) return "X-Callback-Url is longer than 2048 characters";
  return undefined;
}
