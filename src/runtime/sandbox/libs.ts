// Libraries too big to put in every isolate's prelude, loaded into an isolate the first time it needs
// one. The host runs the library's prebuilt script (dist/sandbox/<name>.js, with V8's code cache: about
// 0.3 ms, once per isolate) in this isolate while the call waits; the script hands its exports to
// __runlet_define. Only the names below exist; the host refuses any other.
import { hostSync } from "./bridge.js";

export interface Libs {
  /** tr46: UTS #46 mapping of Unicode domain names, for whatwg-url. */
  idna: { toASCII(domain: string, options: unknown): string | null };
}

const loaded: Partial<Libs> = {};
let loading: keyof Libs | undefined;

export function installLibLoader(): void {
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
