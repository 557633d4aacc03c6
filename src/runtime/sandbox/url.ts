// URL and URLSearchParams: whatwg-url (the URL Standard's reference implementation, current with the WPT
// data), run inside the isolate, so parsing a tenant's URLs costs the tenant's own isolate and never the
// host's main thread. It loads on first use (libs.ts): a web function that never parses a URL does not
// pay for it. Its Unicode domain mapping (tr46's tables) loads only for a host name that is not ASCII
// (tr46-lazy.ts); legacy query encodings are left out (only an HTML document can ask for one).
import type * as whatwg from "whatwg-url";
import { loadLib } from "./libs.js";

export type URL = whatwg.URL;
export type URLSearchParams = whatwg.URLSearchParams;
type URLClass = typeof whatwg.URL & { parse(url: unknown, base?: unknown): whatwg.URL | null };

let loaded = false;

function lib() {
  loaded = true;
  return loadLib("url");
}

export const urlClass = (): URLClass => lib().URL as URLClass;
export const searchParamsClass = (): typeof whatwg.URLSearchParams => lib().URLSearchParams;

/** Without loading the library: before it loads, no URLSearchParams can exist. */
export function isURLSearchParams(value: unknown): value is URLSearchParams {
  return loaded && value instanceof lib().URLSearchParams;
}
