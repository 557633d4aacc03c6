import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { run, tempDir } from "./helpers.js";

// a invokes b synchronously and c asynchronously; c fails, so its row says so.
const A = `export default async (event, ctx) => { await ctx.invoke("b", {}); await ctx.invoke("c", {}, { async: true, retries: 0 }); return "a"; }`;
const B = `export default async () => "b"`;
const C = `export default async () => { throw new Error("c broke"); }`;

describe("runlet trace against a real server", () => {
  let p: TestPlatform;
  let env: NodeJS.ProcessEnv;
  const cwd = tempDir("runlet-cli-trace-");
  const cli = (...argv: string[]) => run(argv, { cwd, env });
  let rootId = "";

  before(async () => {
    p = await startPlatform();
    env = { RUNLET_URL: p.url, RUNLET_ACCOUNT: p.account, RUNLET_KEY: p.key };
    await p.deploy("a", A);
    await p.deploy("b", B);
    await p.deploy("c", C);
    const res = await p.call("POST", `/v1/accounts/${p.account}/functions/a/invoke`, {});
    assert.equal(res.status, 200, res.text);
    rootId = res.headers.get("x-runlet-activation-id")!;
    // Until the queued c has run (its record says function_error).
    for (;;) {
      const json = await cli("trace", rootId, "--json");
      assert.equal(json.code, 0, json.stderr);
      const trace = JSON.parse(json.stdout);
      if (
        trace.count === 3 &&
        trace.roots[0].children.every((n: { status: string }) => !["queued", "running"].includes(n.status))
      )
        break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  after(() => p.close());

  it("prints the tree: a with b and c under it, each with trigger, status, queue time, start and duration", async () => {
    const { code, stdout, stderr } = await cli("trace", rootId);
    assert.equal(code, 0, stderr);
    const lines = stdout.split("\n");
    assert.match(lines[0]!, /^trace [0-9a-f]{32} {2}3 activations, /);
    const header = lines.find((l) => l.startsWith("FUNCTION"))!;
    assert.match(header, /^FUNCTION +ACTIVATION +TRIGGER +STATUS +QUEUED +START +DURATION +NOTES$/);
    const rows = lines.slice(lines.indexOf(header) + 1, lines.indexOf(header) + 4);
    assert.match(rows[0]!, new RegExp(`^a +${rootId} +http +succeeded +- +\\+0 ms +\\d+ ms`));
    // b ran first (sync), c after it (queued); the last child is drawn with └─.
    assert.match(rows[1]!, /^├─ b +act_\S+ +function +succeeded +- +\+\d+ ms +\d+ ms/);
    assert.match(rows[2]!, /^└─ c +act_\S+ +function +function_error +(-|\d+ ms) +\+\d+ ms +\d+ ms/);
    assert.match(stdout, /\nact_\S+ \(c\): RUNLET_ERR_FUNCTION_ERROR: Error: c broke\n/);
    assert.ok(!stdout.includes("\u001b["), "no colours when piped");
  });

  it("takes the trace id as well, and --json prints the API's tree", async () => {
    const json = JSON.parse((await cli("trace", rootId, "--json")).stdout);
    const byTrace = await cli("trace", json.traceId, "--json");
    assert.equal(byTrace.code, 0, byTrace.stderr);
    assert.deepEqual(JSON.parse(byTrace.stdout), json);
    assert.deepEqual(
      json.roots[0].children.map((n: { function: string }) => n.function),
      ["b", "c"],
    );
  });

  it("runlet activation points at runlet trace for the trace it is in", async () => {
    const { stdout } = await cli("activation", rootId);
    assert.match(stdout, new RegExp(`^trace +runlet trace ${rootId} shows it whole$`, "m"));
  });

  it("an unknown id fails saying what to send", async () => {
    const { code, stderr } = await cli("trace", "act_unknown");
    assert.notEqual(code, 0);
    assert.match(
      stderr,
      /neither a trace id .* nor an activation of this account; list activations with runlet activations/,
    );
  });
});
