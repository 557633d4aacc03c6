// node:url for bundled npm packages: the legacy API (parse, format, resolve) from the `url` package, and
// the WHATWG URL classes from the sandbox's globals.
import legacy from "url/url.js";

export const parse = legacy.parse;
export const format = legacy.format;
export const resolve = legacy.resolve;
export const resolveObject = legacy.resolveObject;
export const Url = legacy.Url;
export const URL = globalThis.URL;
export const URLSearchParams = globalThis.URLSearchParams;
export function fileURLToPath() {
  throw new Error("url.fileURLToPath: there are no files in Runlet's sandbox");
}
export function pathToFileURL() {
  throw new Error("url.pathToFileURL: there are no files in Runlet's sandbox");
}
export default {
  parse,
  format,
  resolve,
  resolveObject,
  Url,
  URL,
  URLSearchParams,
  fileURLToPath,
  pathToFileURL,
};
