// Free `Buffer` and `process` in bundled npm packages resolve to the polyfills (esbuild adds an import
// only where the name is used).
export { Buffer } from "buffer";
export { default as process } from "process";
