import assert from "node:assert/strict";
import { test } from "node:test";
import { readEvents } from "../../src/cli/sse.js";
import { fakeApi, run, tempDir } from "./helpers.js";

const LOGS = "/v1/accounts/acme/functions/hello/logs";
const line = (n: number) => ({
  activationId: `act_${n}`,
  t: Date.UTC(2025, 0, 1, 12, 0, n),
  level: "info",
  msg: `line ${n}`,
});

test("logs prints the lines oldest first and passes --limit", async () => {
  const api = await fakeApi({ [`GET ${LOGS}`]: () => ({ json: { logs: [line(1), line(2)] } }) });
  const { code, stdout } = await run(["logs", "hello", "--limit", "2"], { cwd: tempDir(), env: api.env });
  assert.equal(code, 0);
  assert.equal(api.requests[0]?.query.get("limit"), "2");
  assert.match(
    stdout,
    /^\d{4}-\d\d-\d\d \d\d:\d\d:01\.000 {2}act_1 {2}info {3}line 1\n.*act_2 {2}info {3}line 2\n$/,
  );
});

test("logs --follow reads server-sent events, whatever the chunking, until the stream ends", async () => {
  const api = await fakeApi({
    [`GET ${LOGS}`]: (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const first = `data: ${JSON.stringify(line(1))}\n\n`;
      res.write(first.slice(0, 10));
      res.write(first.slice(10) + ": ping\n\n");
      setTimeout(() => res.end(`data: ${JSON.stringify(line(2))}\r\n\r\n`), 20);
    },
  });
  const { code, stdout, stderr } = await run(["logs", "hello", "--follow", "--json"], {
    cwd: tempDir(),
    env: api.env,
  });
  assert.equal(code, 0, stderr);
  assert.equal(api.requests[0]?.query.get("follow"), "true");
  assert.equal(api.requests[0]?.headers.accept, "text/event-stream");
  assert.deepEqual(
    stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l)),
    [line(1), line(2)],
  );
});

test("logs --follow ends cleanly when interrupted", async () => {
  const controller = new AbortController();
  const api = await fakeApi({
    [`GET ${LOGS}`]: (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(`data: ${JSON.stringify(line(1))}\n\n`);
    },
  });
  // Interrupted once the line is printed (Ctrl-C), however long that took.
  let printed = "";
  const result = await run(["logs", "hello", "-f"], {
    cwd: tempDir(),
    env: api.env,
    extra: {
      signal: controller.signal,
      out: (text) => {
        printed += text;
        if (printed.includes("line 1")) controller.abort();
      },
    },
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(printed, /act_1 {2}info {3}line 1\n$/);
  assert.match(result.stderr, /following hello's logs/);
});

test("multi-line data fields are joined with newlines", async () => {
  const stream = new Response("data: a\ndata: b\n\nid: 3\ndata: c\n\n").body;
  assert.ok(stream);
  const events: string[] = [];
  for await (const data of readEvents(stream)) events.push(data);
  assert.deepEqual(events, ["a\nb", "c"]);
});
