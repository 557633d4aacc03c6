import { AddressGuard, AddressRefused, type OutboundOptions } from "../security/outbound/address-guard.js";
import { sendPinned } from "../security/outbound/http-request.js";
import type { Activation } from "../model/activation.js";

/** What an X-Callback-Url receives when an async activation ends. */
export interface CallbackBody {
  activationId: string;
  status: Activation["status"];
  result: unknown;
  error: Activation["error"];
}

/** How one delivery went: undefined when the receiver answered 2xx. */
export type CallbackFailure = { reason: string; permanent: boolean } | undefined;

/**
 * POSTs an activation's outcome to its callback URL. The callback goes out from the platform's own
 * network, so it passes the same address guard as a function's fetch: loopback, private, link-local and
 * metadata addresses are refused (for good: retrying would not help), and the connection is pinned to
 * the address that was checked, so DNS cannot rebind it.
 */
export class CallbackSender {
  readonly #guard: AddressGuard;

  constructor(
    private readonly timeoutMs: number,
    private readonly outbound: OutboundOptions = {},
  ) {
    this.#guard = new AddressGuard(outbound);
  }

  async deliver(url: string, activation: Activation): Promise<CallbackFailure> {
    const body: CallbackBody = {
      activationId: activation.id,
      status: activation.status,
      result: activation.result,
      error: activation.error,
    };
    return this.post(url, JSON.stringify(body), {
      "x-runlet-activation-id": activation.id,
      "x-runlet-status": activation.status,
    });
  }

  /** POSTs a JSON text with extra headers (budget alerts add their signature) through the same guard. */
  async post(url: string, json: string, headers: Record<string, string>): Promise<CallbackFailure> {
    const target = new URL(url);
    try {
      const pinned = await this.#guard.resolve(target.hostname);
      const payload = Buffer.from(json);
      const res = await sendPinned(
        {
          url: target,
          method: "POST",
          headers: {
            "content-type": "application/json",
            "content-length": String(payload.length),
            ...headers,
          },
          body: payload,
          signal: AbortSignal.timeout(this.timeoutMs),
        },
        pinned,
        this.outbound.ca ? { ca: this.outbound.ca } : {},
      );
      res.resume();
      const status = res.statusCode ?? 0;
      return status >= 200 && status < 300 ? undefined : { reason: `HTTP ${status}`, permanent: false };
    } catch (err) {
      if (err instanceof AddressRefused) return { reason: err.message, permanent: true };
      const code = (err as { code?: string }).code;
      return { reason: code ?? (err instanceof Error ? err.message : String(err)), permanent: false };
    }
  }
}

/** Checks an X-Callback-Url: an absolute http(s) URL; returns the reason it is not, or undefined. */
export function callbackUrlProblem(raw: string, guard?: AddressGuard): string | undefined {
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
  // A literal address is judged now (a name is judged at each delivery: its answer may change).
  const refused = guard?.literalRefusal(url.hostname);
  if (refused !== undefined) return `X-Callback-Url: ${refused}; send a public URL`;
  return undefined;
}
