// Stands in for tr46 inside the url library's whatwg-url: whatwg-url lowercases ASCII domains itself and
// calls toASCII only for a host name with other characters, so tr46's mapping tables load on that first
// call, through the prelude's loader (libs.ts).
import type { Libs } from "./libs.js";

const load = (globalThis as unknown as { __runlet_load(name: "idna"): Libs["idna"] }).__runlet_load;

export function toASCII(domain: string, options: unknown): string | null {
  return load("idna").toASCII(domain, options);
}
