// node:stream for bundled npm packages: node core's streams published standalone (readable-stream). As
// in node, the module itself is the legacy Stream constructor, with Readable, Writable, … on it.
/* global module, require */
// eslint-disable-next-line @typescript-eslint/no-require-imports
module.exports = require("readable-stream/lib/stream.js");
