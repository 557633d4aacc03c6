import type { IncomingHttpHeaders } from "node:http";

/** The request headers a function sees: all but the caller's credentials, repeated ones joined. */
export function forwardedHeaders(headers: IncomingHttpHeaders): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key === "authorization" || value === undefined) continue;
    out.push([key, Array.isArray(value) ? value.join(", ") : value]);
  }
  return out;
}
