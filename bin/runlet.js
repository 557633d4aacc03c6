#!/usr/bin/env node
// The `runlet` command: runs the CLI bundled into dist/cli.js (built by `npm install` / `npm run build`).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { constants } from "node:os";
import { fileURLToPath } from "node:url";

const NO_SNAPSHOT = "--no-node-snapshot";
const args = process.argv.slice(2);
const cli = new URL("../dist/cli.js", import.meta.url);

// isolated-vm (used by `dev` and `invoke --local`) crashes on Node >= 20 unless node runs without its
// startup snapshot, a flag that only works on node's own command line: so start node again with it.
const needsIsolates = args.includes("--local") || args[0] === "dev";

if (needsIsolates && !process.execArgv.includes(NO_SNAPSHOT)) {
  const script = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [NO_SNAPSHOT, ...process.execArgv, script, ...args], {
    stdio: "inherit",
  });
  // Ctrl-C reaches both processes; the child decides how to end, and its exit code becomes ours.
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => {
    process.exitCode = code ?? 128 + (signal ? constants.signals[signal] : 1);
  });
} else if (!existsSync(cli)) {
  process.stderr.write("runlet: dist/cli.js is missing\n  hint: run npm install (it builds dist/)\n");
  process.exitCode = 1;
} else {
  const { main } = await import(cli.href);
  process.exitCode = await main(args);
}
