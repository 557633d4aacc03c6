// Runs every test/**/*.test.ts with node's test runner (TypeScript through tsx).
// Extra arguments filter by path substring: `npm test -- store` runs only matching files.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const filters = process.argv.slice(2);

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "fixtures" ? [] : find(full);
    return entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

const files = find(path.join(root, "test"))
  .map((file) => path.relative(root, file))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(" ")}`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-timeout=300000", ...files],
  // isolated-vm needs --no-node-snapshot on Node 20+; test files run in child processes that inherit it.
  {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --no-node-snapshot`.trim() },
  },
);
process.exit(result.status ?? 1);
