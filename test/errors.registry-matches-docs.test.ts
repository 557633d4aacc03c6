import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { it } from "node:test";
import { ERRORS } from "../src/errors.js";
import { httpStatusOf } from "../src/outcomes.js";

const docs = readFileSync(new URL("../docs/errors.md", import.meta.url), "utf8");
const documented = new Map(
  [...docs.matchAll(/^\|\s*`(RUNLET_ERR_\w+)`\s*\|\s*(\d+)\s*\|\s*(user|system)\s*\|\s*(.+?)\s*\|$/gm)].map(
    (m) => [m[1], { status: Number(m[2]), kind: m[3], fix: m[4] }],
  ),
);

it("docs/errors.md lists every registered code with its status, kind and fix, and nothing else", () => {
  assert.deepEqual([...documented.keys()].sort(), Object.keys(ERRORS).sort());
  for (const [code, entry] of Object.entries(ERRORS)) {
    assert.deepEqual(documented.get(code), { status: entry.status, kind: entry.kind, fix: entry.fix }, code);
  }
});

it("every code is RUNLET_ERR_* and every fix is one sentence that says what to do", () => {
  for (const [code, entry] of Object.entries(ERRORS)) {
    assert.match(code, /^RUNLET_ERR_[A-Z_]+$/);
    assert.ok(entry.fix.length > 15 && entry.fix.endsWith("."), code);
    assert.equal(entry.kind === "system", entry.status === 500 || entry.status === 503, code);
  }
});

it("a failed invocation answers with the status its code has in the registry, a success with 200", () => {
  assert.equal(httpStatusOf({ status: "succeeded", answer: { kind: "json", body: "1" } }), 200);
  for (const [code, entry] of Object.entries(ERRORS) as [
    keyof typeof ERRORS,
    (typeof ERRORS)[keyof typeof ERRORS],
  ][]) {
    const outcome = { status: "platform_error", code, message: "m" } as const;
    assert.equal(httpStatusOf(outcome), entry.status, code);
  }
  // The case the registry used to lose to a second mapping: a pool being replaced is a 503, not a 500.
  assert.equal(httpStatusOf({ status: "platform_error", code: "RUNLET_ERR_UNAVAILABLE", message: "m" }), 503);
});
