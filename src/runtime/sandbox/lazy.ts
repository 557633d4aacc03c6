// The web globals load on first use: each module below is `require`d (esbuild wraps a required module
// in a lazy initialiser), so an isolate whose function never touches, say, URL never builds its classes.
// This keeps the prelude's run, which every isolate start pays, short. Only type imports elsewhere.
import type * as webModule from "./web.js";
import type * as fetchModule from "./fetch.js";
import type * as blobModule from "./blob.js";
import type * as urlModule from "./url.js";
import type * as encodingModule from "./encoding.js";
import type * as eventsModule from "./events.js";
import type * as cryptoModule from "./crypto.js";
import type * as cloneModule from "./clone.js";
import type * as streamsModule from "./streams.js";
import type * as textStreamsModule from "./text-streams.js";
declare function require(id: "./web.js"): typeof webModule;
declare function require(id: "./fetch.js"): typeof fetchModule;
declare function require(id: "./blob.js"): typeof blobModule;
declare function require(id: "./url.js"): typeof urlModule;
declare function require(id: "./encoding.js"): typeof encodingModule;
declare function require(id: "./events.js"): typeof eventsModule;
declare function require(id: "./crypto.js"): typeof cryptoModule;
declare function require(id: "./clone.js"): typeof cloneModule;
declare function require(id: "./streams.js"): typeof streamsModule;
declare function require(id: "./text-streams.js"): typeof textStreamsModule;

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
  textStreams: () => require("./text-streams.js"),
};
