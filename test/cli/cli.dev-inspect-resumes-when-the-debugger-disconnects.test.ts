import assert from "node:assert/strict";
import { after, test } from "node:test";
import { startDevServer } from "../../src/cli/dev-server.js";
import { connect, WAIT_MS } from "./devtools-client.js";
import { tempDir, writeFiles } from "./helpers.js";

const source = `export default async function handler() {
  debugger;
  return { resumed: true };
}
`;

test("runlet dev --inspect: a debugger that leaves while paused lets the invocation finish", async () => {
  const dir = tempDir("runlet-inspect-");
  writeFiles(dir, { "index.ts": source, "runlet.json": `{"name":"leaver"}` });
  const server = await startDevServer({ dir, inspect: { port: 0 } });
  after(() => server.close());
  const devtools = await connect(server.inspector?.webSocketUrl ?? "");
  await devtools.command("Debugger.enable");

  const answer = fetch(server.invokeUrl, {
    method: "POST",
    headers: { authorization: `Bearer ${server.key}`, "content-type": "application/json" },
    body: "{}",
    signal: AbortSignal.timeout(WAIT_MS),
  });
  answer.catch(() => undefined); // awaited below; a failure before then must not be unhandled
  await devtools.event("Debugger.paused");
  // Gone without a Debugger.resume, as when DevTools' window is closed.
  devtools.close();
  const res = await answer;
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { resumed: true });
});
