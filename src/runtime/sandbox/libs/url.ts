// dist/sandbox/url.js: whatwg-url's URL and URLSearchParams, loaded into an isolate on first use (libs.ts).
import { URL, URLSearchParams } from "whatwg-url";

(globalThis as unknown as { __runlet_define(name: string, exports: unknown): void }).__runlet_define("url", {
  URL,
  URLSearchParams,
});
