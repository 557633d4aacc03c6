// The URL components the host's parser hands back, in this order: shared by the sandbox's URL class and the
// host side of the bridge (src/runtime/sync-bridge.ts), so both always agree on the wire format.
export const URL_PARTS = [
  "href",
  "origin",
  "protocol",
  "username",
  "password",
  "host",
  "hostname",
  "port",
  "pathname",
  "search",
  "hash",
] as const;
