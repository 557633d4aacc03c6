// What a function may put in its response head, as both the runtime (which checks what an isolate
// answers) and the gateways (which send it) see it.

/** RFC 9110 §5.6.2 token: a header name. */
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 9110 §5.5 field-value as Node sends it: visible ASCII, space, tab, obs-text; no CR, LF or NUL. */
export const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Framing and hop-by-hop headers (RFC 9110 §7.6.1) and the gateway's own: only the gateway frames a
 * response and names its activation, so a function's copies of these are dropped, whatever their case.
 */
const GATEWAY_OWNED = new Set([
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "http2-settings",
]);

/** Whether the gateway drops a function's header `lowerName` (lower-case) instead of sending it. */
export function isGatewayOwned(lowerName: string): boolean {
  return GATEWAY_OWNED.has(lowerName) || lowerName.startsWith("proxy-") || lowerName.startsWith("x-runlet-");
}
