import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import { ADMIN_KEY, startPlatform, type TestPlatform } from "../helpers/platform.js";
import { fastQueue, settled } from "../queue/helpers.js";

interface RawAnswer {
  status: number;
  /** Every header line as sent, in order, lower-cased names. */
  headers: [string, string][];
  body: string;
}

/** One request over node:http, with exactly these headers, read back as the raw header lines and bytes. */
function send(url: string, path: string, headers: Record<string, string>, body?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url + path, { method: "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const lines: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          lines.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
        }
        resolve({ status: res.statusCode!, headers: lines, body: Buffer.concat(chunks).toString("utf8") });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** What differs between two answers only because they are two invocations: ids, durations, the date. */
function normalised(answer: RawAnswer): RawAnswer {
  const ids = (text: string) => text.replace(/act_[0-9A-Za-z_]+/g, "act_…");
  return {
    status: answer.status,
    headers: answer.headers
      .filter(([name]) => name !== "date")
      .map(([name, value]): [string, string] => [
        name,
        name === "x-runlet-duration-ms" ? "…" : name === "content-length" ? value : ids(value),
      ]),
    body: ids(answer.body),
  };
}

const JSON_HEADERS = { "content-type": "application/json" };
const auth = (key: string | null): Record<string, string> =>
  key === null ? {} : { authorization: `Bearer ${key}` };

// Plain invokes are served by src/server/fast-invoke.ts; a query string it does not know sends them through
// the Fastify route. Both call handleInvoke, so every answer must be the same, status, headers and bytes.
describe("the invoke fast path answers exactly as the Fastify route does", () => {
  let t: TestPlatform;
  let invokerKey: string;
  before(async () => {
    t = await startPlatform({ config: { queue: fastQueue() } });
    await t.deploy(
      "echo",
      `export default async (e) => ({ got: e.payload, h: e.headers["x-test"] ?? null, traced: Boolean(e.headers.traceparent) })`,
    );
    await t.deploy("fails", `export default async () => { throw new Error("bad") }`);
    await t.deploy(
      "web",
      `export default { fetch: () => new Response("made", { status: 201, headers: { "x-made": "1", "content-type": "text/plain" } }) }`,
    );
    await t.call("PUT", "/v1/accounts/default/functions/draft", { source: "export default async () => 1" });
    invokerKey = (await t.call("POST", "/v1/accounts/default/keys", { name: "inv", role: "invoker" })).body
      .key;
  });
  after(() => t.close());

  const echo = "/v1/accounts/default/functions/echo/invoke";
  const big = JSON.stringify("x".repeat(6 * 1024 * 1024 + 1));
  const cases: {
    name: string;
    path?: string;
    body?: string;
    headers?: Record<string, string>;
    key?: string | null;
  }[] = [
    { name: "success", body: '{"a":1}', headers: { ...JSON_HEADERS, "x-test": "yes" } },
    { name: "no body, no content type" },
    { name: "JSON content type, empty body", headers: JSON_HEADERS, body: "" },
    {
      name: "JSON with a charset",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: "[1]",
    },
    { name: "a body without a content type", body: "{}" },
    {
      name: "a valid traceparent joins the trace",
      body: "{}",
      headers: { ...JSON_HEADERS, traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
    },
    {
      name: "function error",
      path: "/v1/accounts/default/functions/fails/invoke",
      body: "{}",
      headers: JSON_HEADERS,
    },
    {
      name: "an http-style function's own status and headers",
      path: "/v1/accounts/default/functions/web/invoke",
      body: "{}",
      headers: JSON_HEADERS,
    },
    {
      name: "not deployed",
      path: "/v1/accounts/default/functions/draft/invoke",
      body: "{}",
      headers: JSON_HEADERS,
    },
    {
      name: "unknown function",
      path: "/v1/accounts/default/functions/nope/invoke",
      body: "{}",
      headers: JSON_HEADERS,
    },
    {
      name: "unknown account",
      path: "/v1/accounts/ghost/functions/echo/invoke",
      body: "{}",
      headers: JSON_HEADERS,
    },
    { name: "no key", body: "{}", headers: JSON_HEADERS, key: null },
    { name: "bad key", body: "{}", headers: JSON_HEADERS, key: "rlk_wrong" },
    { name: "an invoker key", body: '{"n":1}', headers: JSON_HEADERS, key: "invoker" },
    { name: "invalid JSON", body: "{oops", headers: JSON_HEADERS },
    { name: "too large", body: big, headers: JSON_HEADERS },
    { name: "async: queued", path: `${echo}?async=true`, body: '{"q":1}', headers: JSON_HEADERS },
    {
      name: "async: Prefer: respond-async",
      body: "[2]",
      headers: { ...JSON_HEADERS, prefer: "respond-async, wait=10" },
    },
    {
      name: "async: too large",
      path: `${echo}?async=true`,
      body: JSON.stringify("x".repeat(300 * 1024)),
      headers: JSON_HEADERS,
    },
    {
      name: "async: bad callback URL",
      path: `${echo}?async=true`,
      body: "{}",
      headers: { ...JSON_HEADERS, "x-callback-url": "ftp://x" },
    },
    {
      name: "async: bad Idempotency-Key",
      path: `${echo}?async=true`,
      body: "{}",
      headers: { ...JSON_HEADERS, "idempotency-key": "a b" },
    },
    {
      name: "async: unknown function",
      path: "/v1/accounts/default/functions/nope/invoke?async=true",
      body: "{}",
      headers: JSON_HEADERS,
    },
    { name: "async: no key", path: `${echo}?async=true`, body: "{}", headers: JSON_HEADERS, key: null },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const path = c.path ?? echo;
      const key = c.key === "invoker" ? invokerKey : c.key === undefined ? ADMIN_KEY : c.key;
      const headers = { ...c.headers, ...auth(key) };
      const fast = await send(t.url, path, headers, c.body);
      const routed = await send(
        t.url,
        `${path}${path.includes("?") ? "&" : "?"}through=fastify`,
        headers,
        c.body,
      );
      assert.deepEqual(normalised(routed), normalised(fast));
      if (fast.status === 202) {
        const { activationId } = JSON.parse(fast.body) as { activationId: string };
        assert.equal((await settled(t, activationId)).status, "succeeded");
      }
    });
  }
});
