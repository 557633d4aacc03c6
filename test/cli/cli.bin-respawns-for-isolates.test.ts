import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { tempDir, writeFiles } from "./helpers.js";

const BIN = fileURLToPath(new URL("../../bin/runlet.js", import.meta.url));

/** bin/runlet.js copied next to a stand-in dist/cli.js whose main reports how node was started. */
function install(withDist: boolean): string {
  const root = tempDir();
  mkdirSync(path.join(root, "bin"));
  copyFileSync(BIN, path.join(root, "bin", "runlet.js"));
  if (withDist) {
    writeFiles(root, {
      "package.json": '{ "type": "module" }',
      "dist/cli.js": [
        "export async function main(argv) {",
        "  console.log(JSON.stringify({ argv, execArgv: process.execArgv }));",
        "  return argv.includes('--fail') ? 3 : 0;",
        "}",
      ].join("\n"),
    });
  }
  return path.join(root, "bin", "runlet.js");
}

function runBin(bin: string, args: string[]) {
  const child = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
  const report = child.stdout
    ? (JSON.parse(child.stdout) as { argv: string[]; execArgv: string[] })
    : undefined;
  return { status: child.status, stderr: child.stderr, report };
}

test("commands that need isolates run under node --no-node-snapshot, with their exit code", () => {
  const bin = install(true);
  const local = runBin(bin, ["invoke", "hello", "--local", "--fail"]);
  assert.equal(local.status, 3);
  assert.deepEqual(local.report?.argv, ["invoke", "hello", "--local", "--fail"]);
  assert.ok(local.report?.execArgv.includes("--no-node-snapshot"));
  const dev = runBin(bin, ["dev"]);
  assert.ok(dev.report?.execArgv.includes("--no-node-snapshot"));
});

test("other commands run in the first process", () => {
  const plain = runBin(install(true), ["list", "--json"]);
  assert.equal(plain.status, 0);
  assert.deepEqual(plain.report?.execArgv, []);
});

test("a missing dist/ says to run npm install", () => {
  const missing = runBin(install(false), ["list"]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /run npm install \(it builds dist\/\)/);
});
