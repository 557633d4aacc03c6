import http from "node:http";
import type net from "node:net";
import { Client } from "liveperson-functions-client";
import type { TestPlatform } from "../helpers/platform.js";

/**
 * The client builds its URL from the gateway domain with url.format, which brackets any hostname holding a
 * colon (`127.0.0.1:7070` becomes the IPv6 literal `[127.0.0.1:7070]`), so a domain cannot carry a port; and
 * it picks the second generation for a domain containing "functions". So each test server gets two names,
 * and the process's HTTP agent connects those names to the server's port on the loopback address (what
 * DNS and a load balancer on port 80 would do for a real deployment). The client's own request, headers,
 * body and response handling run unchanged.
 */
const routes = new Map<string, number>();
const connect = http.globalAgent.createConnection.bind(http.globalAgent) as unknown as (
  options: net.NetConnectOpts & { host?: string },
  callback?: () => void,
) => net.Socket;
(http.globalAgent as unknown as { createConnection: typeof connect }).createConnection = (
  options,
  callback,
) => {
  const port = options.host === undefined ? undefined : routes.get(options.host);
  return connect(port === undefined ? options : { ...options, host: "127.0.0.1", port }, callback);
};

/** The gateway domains of one test server: a first-generation one and a second-generation one. */
export function gatewayDomains(t: TestPlatform): Record<Generation, string> {
  const port = Number(new URL(t.url).port);
  const domains = { v1: `faasgw-${port}.localhost`, v2: `functions-${port}.localhost` };
  routes.set(domains.v1, port);
  routes.set(domains.v2, port);
  return domains;
}

export type Generation = "v1" | "v2";

/** The published client, unchanged, pointed at the test server; `failOnErrorStatusCode` as users set it. */
export function hostedClient(
  t: TestPlatform,
  generation: Generation,
  opts: { accountId?: string; bearer?: () => Promise<string> } = {},
): Client {
  const domain = gatewayDomains(t)[generation];
  return new Client(
    {
      accountId: opts.accountId ?? t.account,
      authStrategy: async () => (opts.bearer ? opts.bearer() : `Bearer ${t.key}`),
      protocol: "http" as never,
      failOnErrorStatusCode: true,
      timeout: 20_000,
    },
    { getCsdsEntry: async () => domain } as never,
  );
}

/** The response body the client attached to a failed call (VError → HttpRequestError → response). */
export function failedBody(err: unknown): Record<string, unknown> | undefined {
  const cause = (err as { jse_cause?: { jse_cause?: { jse_info?: { response?: { body?: unknown } } } } })
    .jse_cause;
  return cause?.jse_cause?.jse_info?.response?.body as Record<string, unknown> | undefined;
}
