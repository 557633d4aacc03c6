// Re-exports this package's own isolated-vm 5.0.4 (installed under its node_modules on Node 20).
/* global module, require */
// eslint-disable-next-line @typescript-eslint/no-require-imports
module.exports = require("isolated-vm");
