import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { fastQueue } from "../queue/helpers.js";
import { eventually } from "../rollouts/helpers.js";
import { run, tempDir } from "./helpers.js";

describe("runlet trace against a real server", () => {
  let p: TestPlatform;
  let env: NodeJS.ProcessEnv;
  const cwd = tempDir("runlet-cli-trace-");
  const cli = (...argv: string[]) => run(argv, { cwd, env });

  before(async () => {
    p = await startPlatform({ config: { queue: fastQueue() } });
    env = { RUNLET_URL: p.url, RUNLET_ACCOUNT: p.account, RUNLET_KEY: p.key };
    await p.deploy("c", "export default async () => 'c'");
    await p.deploy("b", "export default async (e, ctx) => ctx.invoke('c', {}, { async: true })");
    await p.deploy("a", "export default async (e, ctx) => ctx.invoke('b', {}, { async: true })");
  });
  after(() => p.close());

  it("prints the tree of a 3-level async chain with each activation's start, queued time and duration", async () => {
    const root = (await p.invoke("a")).headers.get("x-runlet-activation-id")!;
    const res = await eventually(async () => {
      const out = await cli("trace", root);
      return out.code === 0 && (out.stdout.match(/ succeeded /g) ?? []).length === 3 && out;
    });
    const lines = res.stdout.trimEnd().split("\n");
    assert.match(lines[0]!, /^trace [0-9a-f]{32} \(3 activations\)$/);
    const time = "\\+[\\d.]+ m?s, queued [\\d.]+ m?s, ran [\\d.]+ m?s";
    assert.match(lines[1]!, new RegExp(`^a v1 \\(http\\) succeeded  ${time}  ${root}$`));
    assert.match(lines[2]!, new RegExp(`^└─ b v1 \\(function\\) succeeded  ${time}  act_\\w{24}$`));
    assert.match(lines[3]!, new RegExp(`^   └─ c v1 \\(function\\) succeeded  ${time}  act_\\w{24}$`));
    const json = JSON.parse((await cli("trace", root, "--json")).stdout);
    assert.equal(json.roots[0].children[0].children[0].function, "c");
  });

  it("an id that is neither an activation nor a trace id is refused before any request", async () => {
    const res = await cli("trace", "yesterday");
    assert.equal(res.code, 1);
    assert.match(
      res.stderr,
      /yesterday is neither an activation id nor a trace id\n {2}hint: pick an activation from runlet activations/,
    );
  });
});
