import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { startDevServer, type DevEvent } from "../../src/cli/dev-server.js";
import type { Activation } from "../../src/model/activation.js";
import { tempDir, writeFiles } from "./helpers.js";

const handler = (body: string) => `import { word } from "./lib/word";
export default {
  async fetch(): Promise<Response> {
    console.log("answering");
    return new Response(${body});
  },
};
`;

/** What editors do: write the new text to a temporary file beside it, then rename it over the old file. */
function atomicSave(file: string, text: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  writeFileSync(temp, text);
  renameSync(temp, file);
}

test("runlet dev redeploys on atomic saves, in-place writes, sed -i, new files in new subfolders and a fixed syntax error", async (t) => {
  const dir = tempDir("runlet-dev-watch-");
  writeFiles(dir, {
    "index.ts": handler("`one ${word}`"),
    "lib/word.ts": `export const word = "a";\n`,
    "runlet.json": `{"name":"watched"}`,
  });
  const events: DevEvent[] = [];
  const activations: Activation[] = [];
  const server = await startDevServer({
    dir,
    onEvent: (event) => events.push(event),
    onActivation: (activation) => activations.push(activation),
  });
  after(() => server.close());
  const answer = async () => (await fetch(server.webUrl)).text();

  /** Waits (bounded) until the function answers `expected`: redeploys land a few hundred ms after a save. */
  async function answers(expected: string, step: string): Promise<void> {
    let got = "";
    for (let i = 0; i < 300; i++) {
      got = await answer();
      if (got === expected) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail(`${step}: still answering ${JSON.stringify(got)}, not ${JSON.stringify(expected)}`);
  }
  async function fails(since: number, step: string): Promise<DevEvent> {
    for (let i = 0; i < 300; i++) {
      const failed = events.slice(since).find((e) => e.kind === "failed");
      if (failed) return failed;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail(`${step}: no failed deploy reported`);
  }

  assert.equal(await answer(), "one a");
  const index = path.join(dir, "index.ts");

  atomicSave(index, handler("`two ${word}`"));
  await answers("two a", "atomic save");
  // The old inode is gone: an fs.watch on it would miss every write from now on.
  writeFileSync(index, handler("`three ${word}`"));
  await answers("three a", "in-place write after an atomic save");
  execFileSync("sed", ["-i", "s/three/four/", index]);
  await answers("four a", "sed -i");
  writeFileSync(index, handler("`five ${word}`"));
  await answers("five a", "in-place write after sed -i");

  // A new file in a new subfolder, then a write to it: the new folder is watched too.
  mkdirSync(path.join(dir, "extra", "deep"), { recursive: true });
  writeFileSync(path.join(dir, "extra", "deep", "tail.ts"), `export const tail = "!";\n`);
  atomicSave(
    index,
    handler("`six ${word}${tail}`").replace("\n", `\nimport { tail } from "./extra/deep/tail";\n`),
  );
  await answers("six a!", "a new file in a new subfolder");
  writeFileSync(path.join(dir, "extra", "deep", "tail.ts"), `export const tail = "?";\n`);
  await answers("six a?", "a write to the new file");

  // A syntax error is reported and the last good version keeps answering; fixing it (by atomic save) deploys.
  const before = events.length;
  atomicSave(index, "export default {\n  fetch( {\n");
  const failed = await fails(before, "a syntax error");
  assert.match(failed.message ?? "", /index\.ts:\d+:\d+/);
  assert.equal(await answer(), "six a?");
  atomicSave(index, handler("`fixed ${word}`"));
  await answers("fixed a", "the fix of the syntax error");

  // Every answer's console output reached the dev terminal's hook, with its activation.
  const last = activations.at(-1);
  assert.equal(last?.status, "succeeded");
  assert.deepEqual(
    last?.logs.map((l) => l.msg),
    ["answering"],
  );
  t.diagnostic(
    `${events.filter((e) => e.kind === "deployed").length} deploys, ${activations.length} activations`,
  );
});
