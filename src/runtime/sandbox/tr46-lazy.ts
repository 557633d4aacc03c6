// Stands in for tr46 inside the prelude's whatwg-url: whatwg-url lowercases ASCII domains itself and calls
// toASCII only for a host name with other characters, so tr46's mapping tables load on that first call.
import { loadLib } from "./libs.js";

export function toASCII(domain: string, options: unknown): string | null {
  return loadLib("idna").toASCII(domain, options);
}
