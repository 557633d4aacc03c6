// Libraries kept out of the prelude, loaded into an isolate the first time it needs one: every function
// in the prelude's source costs every isolate memory (its SharedFunctionInfo), whether it runs or not
// (whatwg-url and the hashes in the prelude made an idle instance 0.65 MiB bigger). The host runs the library's prebuilt script (dist/sandbox/<name>.js, with V8's code cache: about
// 0.3 ms, once per isolate) in this isolate while the call waits; the script hands its exports to
// __runlet_define. Only the names below exist; the host refuses any other.
import type * as whatwg from "whatwg-url";
import { hostSync } from "./bridge.js";
import type * as hashes from "./libs/hashes-exports.js";

export interface Libs {
  /** whatwg-url's classes (see url.ts). */
  url: { URL: typeof whatwg.URL; URLSearchParams: typeof whatwg.URLSearchParams };
  /** tr46: UTS #46 mapping of Unicode domain names, for whatwg-url. */
  idna: { toASCII(domain: string, options: unknown): string | null };
  /** @noble/hashes and @noble/ciphers (see crypto.ts). */
  hashes: typeof hashes;
}

const loaded: Partial<Libs> = {};
let loading: keyof Libs | undefined;

export function installLibLoader(): void {
  // For a library that needs another (url needs idna): it is bundled apart, so it reaches this loader,
  // the one that tracks what is loaded, through the global object.
  Object.defineProperty(globalThis, "__runlet_load", {
    value: loadLib,
    enumerable: false,
    writable: false,
    configurable: false,
  });
  Object.defineProperty(globalThis, "__runlet_define", {
    value: (name: keyof Libs, exports: Libs[keyof Libs]) => {
      // Only the script being loaded may define, and only once: anything else is tenant code.
      if (name !== loading || loaded[name]) throw new TypeError("__runlet_define: nothing is loading");
      (loaded as Record<string, unknown>)[name] = exports;
    },
    enumerable: false,
    writable: false,
    configurable: false,
  });
}

export function loadLib<K extends keyof Libs>(name: K): Libs[K] {
  const have = loaded[name];
  if (have) return have;
  loading = name;
  try {
    hostSync("lib", name);
  } finally {
    loading = undefined;
  }
  const lib = loaded[name];
  if (!lib) throw new Error(`the ${name} library did not load`);
  return lib;
}
