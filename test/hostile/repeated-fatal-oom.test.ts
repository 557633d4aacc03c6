import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";

const CHILD = path.join(import.meta.dirname, "fixtures", "repeated-fatal-oom-child.ts");

interface Report {
  failed?: string;
  rssBefore: number;
  answers: { status: number; code: string; message: string; rss: number }[];
  lastActivation: { status: string; error: { code: string } };
  answered: number;
  health: number;
  ready: { before: number; after: number; error: { code: string; message: string } };
  neighbour: unknown;
  redeployed: { status: number; code: string };
}

// Every fatal V8 out-of-memory leaves an isolate whose thread and heap the process can never free (80–245
// MB each, DESIGN §3): a function that does it at will would grow the server without bound. After three
// within 15 minutes its version is quarantined; a new version starts clean.
describe("hostile: a function that makes V8 itself run out of memory again and again", () => {
  it("is quarantined after 3: 409 RUNLET_ERR_QUARANTINED (recorded), host RSS stops growing, the neighbour is served, /readyz asks for a restart; a deploy lifts it", () => {
    const run = spawnSync(process.execPath, ["--no-node-snapshot", "--import", "tsx", CHILD, "8"], {
      encoding: "utf8",
      timeout: 240_000,
    });
    const line = run.stdout.trim().split("\n").pop() ?? "";
    const output = `signal ${run.signal}, exit ${run.status}\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`;
    assert.ok(line.startsWith("{"), output);
    const report = JSON.parse(line) as Report;
    assert.equal(report.failed, undefined, report.failed);
    console.log(
      `host RSS: ${report.rssBefore} MiB before, after each call ${report.answers.map((a) => a.rss).join(", ")} MiB`,
    );

    const codes = report.answers.map((a) => `${a.status} ${a.code}`);
    assert.deepEqual(codes, [
      ...Array(3).fill("502 RUNLET_ERR_MEMORY_LIMIT"),
      ...Array(5).fill("409 RUNLET_ERR_QUARANTINED"),
    ]);
    const refused = report.answers[3]!.message;
    assert.match(
      refused,
      /attacker\/hog@1 is quarantined: it ran V8 itself out of memory 3 times within 15 minutes/,
    );
    assert.match(refused, /allocate less or raise memoryMb, and deploy a new version/);
    assert.equal(report.lastActivation.status, "rejected");
    assert.equal(report.lastActivation.error.code, "RUNLET_ERR_QUARANTINED");

    // Quarantined calls start no isolate: RSS after the 8th is where it was after the 3rd (generous bound).
    const afterThird = report.answers[2]!.rss;
    const last = report.answers[7]!.rss;
    assert.ok(last - afterThird < 64, `RSS grew ${last - afterThird} MiB while quarantined`);
    assert.ok(last - report.rssBefore < 1024, `RSS grew ${last - report.rssBefore} MiB in all`);

    assert.ok(report.answered >= 1);
    assert.equal(report.health, 200);
    // The child runs with RUNLET_MAX_LOST_ISOLATES=3: the node now asks to be restarted, and still serves.
    assert.equal(report.ready.before, 200);
    assert.equal(report.ready.after, 503);
    assert.equal(report.ready.error.code, "RUNLET_ERR_UNAVAILABLE");
    assert.match(
      report.ready.error.message,
      /3 isolates were lost to fatal out-of-memory errors .* restart it/,
    );
    assert.deepEqual(report.neighbour, { doubled: 42, me: "neighbour" });
    assert.deepEqual(report.redeployed, { status: 502, code: "RUNLET_ERR_MEMORY_LIMIT" });
  });
});
