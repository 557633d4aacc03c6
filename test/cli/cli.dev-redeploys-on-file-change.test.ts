import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { startDevServer, type DevEvent, type DevServer } from "../../src/cli/dev-server.js";
import { tempDir, writeFiles } from "./helpers.js";

const source = (greeting: string) => `export default {
  async fetch(request: Request): Promise<Response> {
    const name = new URL(request.url).searchParams.get("name") ?? "world";
    return new Response(\`${greeting}, \${name}\`);
  },
};
`;

test("runlet dev serves the folder and answers with the new code after a file changes", async (t) => {
  const dir = tempDir("runlet-dev-");
  writeFiles(dir, { "index.ts": source("hello"), "runlet.json": `{"name":"greeter"}` });
  const events: DevEvent[] = [];
  let notify: ((event: DevEvent) => void) | undefined;
  const server: DevServer = await startDevServer({
    dir,
    allow: ["api.example.com", "*.example.org"],
    onEvent: (event) => {
      events.push(event);
      notify?.(event);
    },
  });
  after(() => server.close());
  const next = () => new Promise<DevEvent>((resolve) => (notify = resolve));

  assert.match(server.webUrl, /^http:\/\/127\.0\.0\.1:\d+\/fn\/default\/greeter\/$/);
  assert.equal(events[0]?.kind, "deployed");
  assert.equal(await (await fetch(`${server.webUrl}?name=Ada`)).text(), "hello, Ada");

  // A change to the file: the watcher redeploys, and the next request gets the new code.
  let deployed = next();
  writeFileSync(path.join(dir, "index.ts"), source("bonjour"));
  let event = await deployed;
  assert.equal(event.kind, "deployed", event.message);
  assert.equal(event.version, 2);
  t.diagnostic(
    `redeploy after the change: ${event.ms.toFixed(0)} ms (bundle, upload, deploy, warm instance)`,
  );
  assert.equal(await (await fetch(`${server.webUrl}?name=Ada`)).text(), "bonjour, Ada");

  // Code that does not compile is reported; the previous version keeps answering.
  deployed = next();
  writeFileSync(path.join(dir, "index.ts"), "export default {\n  fetch( {\n");
  event = await deployed;
  assert.equal(event.kind, "failed");
  assert.match(event.message ?? "", /index\.ts:\d+:\d+/);
  assert.equal(await (await fetch(`${server.webUrl}?name=Bo`)).text(), "bonjour, Bo");

  // --allow set the dev account's allowlist.
  const allowlist = await fetch(`${server.url}/v1/accounts/default/allowlist`, {
    headers: { authorization: `Bearer ${server.key}` },
  });
  assert.deepEqual(((await allowlist.json()) as { domains: string[] }).domains.sort(), [
    "*.example.org",
    "api.example.com",
  ]);

  // The JSON invoke route answers too, with the key dev prints.
  const invoked = await fetch(server.invokeUrl, {
    method: "POST",
    headers: { authorization: `Bearer ${server.key}`, "content-type": "application/json" },
    body: "{}",
  });
  assert.equal(invoked.status, 200);
  assert.equal(await invoked.text(), '"bonjour, world"');
});
