// node:events for bundled npm packages: node core's EventEmitter published standalone (the `events`
// package). As in node, the module itself is EventEmitter (old-style `EventEmitter.call(this)` works).
/* global module, require */
// eslint-disable-next-line @typescript-eslint/no-require-imports
module.exports = require("events/events.js");
