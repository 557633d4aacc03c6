import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { startDevServer } from "../../src/cli/dev-server.js";
import { connect, WAIT_MS, within } from "./devtools-client.js";
import { tempDir, writeFiles } from "./helpers.js";

const source = (answer: string) => `export default async function handler() {
  return ${JSON.stringify(answer)};
}
`;

test("runlet dev --inspect: a redeploy ends the debugger's connection and the same URL reaches the new version", async () => {
  const dir = tempDir("runlet-inspect-");
  writeFiles(dir, { "index.ts": source("one"), "runlet.json": `{"name":"mover"}` });
  const server = await startDevServer({ dir, inspect: { port: 0 }, debounceMs: 10_000 });
  after(() => server.close());
  const url = server.inspector?.webSocketUrl ?? "";
  const first = await connect(url);
  await first.command("Debugger.enable");
  await first.event("Debugger.scriptParsed", (m) => String(m.params?.url) === "fn:default/mover@1.js");

  writeFileSync(path.join(dir, "index.ts"), source("two"));
  const event = await server.deploy();
  assert.equal(event.kind, "deployed", event.message);
  assert.equal(event.version, 2);
  // The old version's process is gone, and with it the connection.
  assert.equal(await within(first.closed, "the old connection did not close"), 1001);

  const second = await connect(url);
  await second.command("Debugger.enable");
  await second.event("Debugger.scriptParsed", (m) => String(m.params?.url) === "fn:default/mover@2.js");
  const res = await fetch(server.invokeUrl, {
    method: "POST",
    headers: { authorization: `Bearer ${server.key}`, "content-type": "application/json" },
    body: "{}",
    signal: AbortSignal.timeout(WAIT_MS),
  });
  assert.equal(await res.json(), "two");
  second.close();
});
