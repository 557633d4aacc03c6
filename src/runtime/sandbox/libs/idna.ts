// dist/sandbox/idna.js: tr46 (UTS #46), loaded into an isolate on its first non-ASCII host name (libs.ts).
import { toASCII } from "tr46";

(globalThis as unknown as { __runlet_define(name: string, exports: unknown): void }).__runlet_define("idna", {
  toASCII,
});
