// URL and URLSearchParams: whatwg-url (the URL Standard's reference implementation, current with the WPT
// data), bundled into the prelude and run inside the isolate, so parsing a tenant's URLs costs the tenant's
// own isolate and never the host's main thread. Its Unicode domain mapping (tr46's tables, ≈300 KB) loads
// only for a host name that is not ASCII (see tr46-lazy.ts); legacy query encodings are left out (only an
// HTML document can ask for one).
import * as whatwg from "whatwg-url";

type URLClass = typeof whatwg.URL & { parse(url: unknown, base?: unknown): whatwg.URL | null };

export const URL = whatwg.URL as URLClass;
export type URL = whatwg.URL;
export const URLSearchParams = whatwg.URLSearchParams;
export type URLSearchParams = whatwg.URLSearchParams;
