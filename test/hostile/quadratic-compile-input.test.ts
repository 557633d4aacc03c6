import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { openArena, underAttack, type Arena } from "./arena.js";

// esbuild's time grows with the square of the number of repeated `var` declarations: 80,000 of them
// (880 KB, well under the code limit) take it about 15 s of a core uncut. Every compile now runs in a
// process of its own under RUNLET_COMPILE_TIMEOUT_MS; past it, the process group is killed.
const QUADRATIC = `${"var x = 1;\n".repeat(80_000)}export default async () => x;\n`;
const TIMEOUT_MS = 1000;

/** A process is gone once it no longer exists or is only a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** The compile processes and their children (esbuild's service), while they run. */
function compileProcesses(arena: Arena): number[] {
  return arena.t.platform.compiler.pids().flatMap((pid) => {
    try {
      const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
      return [pid, ...children.split(/\s+/).filter(Boolean).map(Number)];
    } catch {
      return [pid];
    }
  });
}

async function allGone(pids: number[]): Promise<void> {
  for (let i = 0; i < 200 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 25));
  assert.deepEqual(pids.filter(alive), [], "no compile process outlives its compile");
}

describe("hostile: an upload that esbuild compiles in quadratic time", () => {
  let arena: Arena;
  before(async () => {
    arena = await openArena({ limits: { compileTimeoutMs: TIMEOUT_MS, compileConcurrency: 1 } });
  });
  after(() => arena.close());

  it("is cut at the compile time limit: 400 RUNLET_ERR_COMPILE_TIMEOUT, nothing stored, others deploy meanwhile", async (t) => {
    let during: number[] = [];
    const started = performance.now();
    const { res, neighbourDeploy } = await underAttack(arena, async () => {
      const upload = arena.attacker.call("PUT", "/v1/accounts/{acct}/functions/slow?deploy=true", {
        source: QUADRATIC,
      });
      // Another account's deploy is not held up by the attacker's compile.
      const deployStarted = performance.now();
      await arena.neighbour.deploy("fresh", "export default async () => 'fresh'");
      const neighbourDeploy = performance.now() - deployStarted;
      during = compileProcesses(arena);
      return { res: await upload, neighbourDeploy };
    });
    t.diagnostic(
      `refused after ${Math.round(performance.now() - started)} ms; neighbour deployed in ${Math.round(neighbourDeploy)} ms`,
    );
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_COMPILE_TIMEOUT");
    assert.match(res.body.error.message, new RegExp(`within ${TIMEOUT_MS} ms`));
    assert.equal((await arena.attacker.call("GET", "/v1/accounts/{acct}/functions/slow")).status, 404);
    assert.equal((await arena.neighbour.invoke("fresh")).body, "fresh");
    // The killed compile took its esbuild process with it; the neighbour's warm one may stay.
    await allGone(during.filter((pid) => !compileProcesses(arena).includes(pid)));
  });

  it("compiles one account's uploads a few at a time, refuses a flood with 429, and dies with the server", async () => {
    const uploads = Array.from({ length: 12 }, (_, i) =>
      arena.attacker.call("PUT", `/v1/accounts/{acct}/functions/flood-${i}`, { source: QUADRATIC }),
    );
    const refused = await Promise.race(
      uploads.map((u) => u.then((res) => (res.status === 429 ? res : never()))),
    );
    assert.equal(refused.body.error.code, "RUNLET_ERR_COMPILE_BUSY");
    assert.match(refused.headers.get("retry-after") ?? "", /^\d+$/);
    // Shutting down kills the compile in progress and fails those waiting: none runs on after it.
    for (let i = 0; i < 100 && compileProcesses(arena).length < 2; i++)
      await new Promise((r) => setTimeout(r, 20));
    const running = compileProcesses(arena);
    assert.ok(running.length >= 2, "a compile process and its esbuild are running");
    arena.t.platform.compiler.close();
    const answers = await Promise.all(uploads);
    const codes = new Set(answers.map((res) => res.body.error.code));
    assert.deepEqual(
      [...codes].filter(
        (c) =>
          !["RUNLET_ERR_COMPILE_BUSY", "RUNLET_ERR_UNAVAILABLE", "RUNLET_ERR_COMPILE_TIMEOUT"].includes(c),
      ),
      [],
    );
    assert.ok(
      codes.has("RUNLET_ERR_UNAVAILABLE"),
      "uploads still waiting when the server stopped are refused",
    );
    await allGone(running);
  });
});

function never(): Promise<never> {
  return new Promise(() => {});
}
