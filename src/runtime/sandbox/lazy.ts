// The web globals load on first use: each module below is `require`d (esbuild wraps a required module
// in a lazy initialiser), so an isolate whose function never touches, say, URL never builds its classes.
// This keeps the prelude's run, which every isolate start pays, short. Only type imports elsewhere.
declare function require(id: "./web.js"): typeof import("./web.js");
declare function require(id: "./fetch.js"): typeof import("./fetch.js");
declare function require(id: "./blob.js"): typeof import("./blob.js");
declare function require(id: "./url.js"): typeof import("./url.js");
declare function require(id: "./encoding.js"): typeof import("./encoding.js");
declare function require(id: "./events.js"): typeof import("./events.js");
declare function require(id: "./crypto.js"): typeof import("./crypto.js");
declare function require(id: "./clone.js"): typeof import("./clone.js");
declare function require(id: "./streams.js"): typeof import("./streams.js");

export const load = {
  web: () => require("./web.js"),
  fetch: () => require("./fetch.js"),
  blob: () => require("./blob.js"),
  url: () => require("./url.js"),
  encoding: () => require("./encoding.js"),
  events: () => require("./events.js"),
  crypto: () => require("./crypto.js"),
  clone: () => require("./clone.js"),
  streams: () => require("./streams.js"),
};
