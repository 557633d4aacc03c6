import assert from "node:assert/strict";
import path from "node:path";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";
import { TraceMap, originalPositionFor } from "@jridgewell/trace-mapping";
import { startDevServer } from "../../src/cli/dev-server.js";
import { connect, WAIT_MS, within } from "./devtools-client.js";
import { tempDir, writeFiles } from "./helpers.js";

const source = `interface Payload {
  n: number;
}

export default async function handler(event: { payload: Payload }) {
  const doubled = event.payload.n * 2;
  debugger;
  return { doubled };
}
`;

test("runlet dev --inspect: a DevTools client pauses on debugger; in index.ts, reads a local, resumes", async () => {
  const dir = tempDir("runlet-inspect-");
  writeFiles(dir, { "index.ts": source, "runlet.json": `{"name":"doubler"}` });
  const server = await startDevServer({ dir, inspect: { port: 0 } });
  let closed = false;
  after(async () => {
    if (!closed) await server.close();
  });
  const inspector = server.inspector;
  assert.ok(inspector, "--inspect gives an inspector endpoint");
  assert.match(
    inspector.devtoolsUrl,
    /^devtools:\/\/devtools\/bundled\/js_app\.html\?.*ws=127\.0\.0\.1:\d+\//,
  );

  // Discovery, as chrome://inspect and VS Code do it.
  const signal = AbortSignal.timeout(WAIT_MS);
  const version = (await (await fetch(`${inspector.url}/json/version`, { signal })).json()) as Record<
    string,
    string
  >;
  assert.ok(version["Protocol-Version"]);
  const list = (await (await fetch(`${inspector.url}/json/list`, { signal })).json()) as {
    title: string;
    type: string;
    webSocketDebuggerUrl: string;
  }[];
  assert.equal(list.length, 1);
  assert.equal(list[0]?.title, "doubler");
  assert.equal(list[0]?.webSocketDebuggerUrl, inspector.webSocketUrl);

  const devtools = await connect(inspector.webSocketUrl);
  await devtools.command("Runtime.enable");
  await devtools.command("Debugger.enable");

  // The function's script is announced with its source map, an inline data: URL naming index.ts.
  const parsed = await devtools.event("Debugger.scriptParsed", (m) =>
    String(m.params?.url).startsWith("fn:default/doubler@1.js"),
  );
  const mapUrl = String(parsed.params?.sourceMapURL);
  assert.match(mapUrl, /^data:application\/json;base64,/);
  const map = new TraceMap(Buffer.from(mapUrl.split(",")[1] ?? "", "base64").toString("utf8"));
  // Rooted at the folder: DevTools shows the file by its path, VS Code binds breakpoints set in it.
  const indexTs = pathToFileURL(path.join(dir, "index.ts")).href;
  assert.ok(map.resolvedSources.includes(indexTs), `sources: ${map.resolvedSources.join(", ")}`);

  // The invocation pauses on `debugger;`: line 7 of index.ts, through the map.
  const answer = fetch(server.invokeUrl, {
    method: "POST",
    headers: { authorization: `Bearer ${server.key}`, "content-type": "application/json" },
    body: JSON.stringify({ n: 21 }),
    signal: AbortSignal.timeout(WAIT_MS * 2),
  });
  answer.catch(() => undefined); // awaited below; a failure before then must not be unhandled
  const paused = await devtools.event("Debugger.paused");
  const frames = paused.params?.callFrames as {
    callFrameId: string;
    location: { scriptId: string; lineNumber: number; columnNumber: number };
  }[];
  const top = frames[0];
  assert.ok(top);
  assert.equal(top.location.scriptId, parsed.params?.scriptId);
  const original = originalPositionFor(map, {
    line: top.location.lineNumber + 1,
    column: top.location.columnNumber,
  });
  assert.equal(original.source, indexTs);
  assert.equal(original.line, 7);

  // The debugger sees the function's locals while it waits.
  const evaluated = await devtools.command("Debugger.evaluateOnCallFrame", {
    callFrameId: top.callFrameId,
    expression: "doubled",
  });
  assert.equal((evaluated.result as { value?: unknown }).value, 42);

  await devtools.command("Debugger.resume");
  const res = await answer;
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { doubled: 42 });

  // Stopping dev ends the debugger's connection with the instance's process.
  closed = true;
  await server.close();
  await within(devtools.closed, "the WebSocket did not close");
});
