import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Caller } from "../../src/runtime/host-ops.js";
import type { FetchAnswer } from "../../src/security/outbound/fetch-op.js";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { startRemote } from "./local-server.js";

// Names that exist only in this test's resolver; api/api2 lead to the local server.
const DNS: Record<string, string[]> = {
  "api.test.example": ["127.0.0.1"],
  "api2.test.example": ["127.0.0.1"],
  "internal.test.example": ["10.0.0.7"],
  "mixed.test.example": ["127.0.0.1", "192.168.1.10"],
};

describe("the fetch host op: allowlist, address guard on every hop, limits", () => {
  let remote: Awaited<ReturnType<typeof startRemote>>;
  let t: TestPlatform;
  let base: string;
  let n = 0;
  const logs: string[] = [];
  const resolved: string[] = [];

  const caller = (overrides: Partial<Caller> = {}): Caller => ({
    account: "default",
    function: "f",
    version: 1,
    activationId: `act-${++n}`,
    deadline: Date.now() + 10_000,
    depth: 0,
    chain: "chain-test",
    log: (_level, message) => logs.push(message),
    ...overrides,
  });
  const fetchOp = (url: string, init: Partial<Record<string, unknown>> = {}, who = caller()) =>
    t.platform.ops.call(who, "fetch", {
      url,
      method: "GET",
      headers: [],
      body: null,
      redirect: "follow",
      ...init,
    }) as Promise<FetchAnswer>;
  const json = (answer: FetchAnswer) => JSON.parse(Buffer.from(answer.body).toString("utf8"));
  const refused = async (promise: Promise<unknown>, code: string, message: RegExp) =>
    assert.rejects(promise, (err: { code?: string; errorName?: string; message: string }) => {
      assert.equal(err.code, code, err.message);
      assert.equal(err.errorName, "TypeError");
      assert.match(err.message, message);
      return true;
    });

  before(async () => {
    remote = await startRemote();
    base = `http://api.test.example:${remote.port}`;
    t = await startPlatform({
      // The per-second rate is left to the counters' unit test: here it would depend on timing.
      limits: { fetchPerInvocation: 4, fetchResponseBytes: 4096, fetchPerSecond: 100_000 },
      platform: {
        outbound: {
          allowPrivate: ["127.0.0.1"],
          resolve: async (host) => {
            resolved.push(host);
            return DNS[host] ?? [];
          },
        },
      },
    });
    const put = await t.call("PUT", "/v1/accounts/default/allowlist", {
      domains: ["api.test.example", "api2.test.example", "internal.test.example", "mixed.test.example"],
    });
    assert.equal(put.status, 200, put.text);
  });
  after(async () => {
    await t.close();
    await remote.close();
  });

  it("sends to the pinned address with the original Host, a body, and answers status, headers and body", async () => {
    resolved.length = 0;
    const answer = await fetchOp(`${base}/echo?x=1`, {
      method: "POST",
      headers: [
        ["Content-Type", "text/plain"],
        ["X-Custom", "1"],
        ["Host", "evil.example"],
      ],
      body: new TextEncoder().encode("hello").buffer,
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.redirected, false);
    assert.equal(answer.url, `${base}/echo?x=1`);
    assert.ok(answer.headers.some(([k, v]) => k === "x-remote" && v === "yes"));
    const seen = json(answer);
    assert.equal(seen.method, "POST");
    assert.equal(seen.host, `api.test.example:${remote.port}`, "Host stays the name, not the address");
    assert.equal(seen.body, "hello");
    assert.equal(seen.headers["x-custom"], "1");
    assert.deepEqual(resolved, ["api.test.example"], "resolved once, then connected to that address");
  });

  it("carries the invocation's W3C trace: same trace id, a new span for the outbound call", async () => {
    const parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const traced = json(await fetchOp(`${base}/echo`, {}, caller({ traceparent: parent })));
    const [version, traceId, spanId, flags] = String(traced.headers.traceparent).split("-");
    assert.deepEqual([version, traceId, flags], ["00", "0af7651916cd43dd8448eb211c80319c", "01"]);
    assert.match(spanId!, /^[0-9a-f]{16}$/);
    assert.notEqual(spanId, "b7ad6b7169203331");
    // An invocation with no trace context still starts one; a traceparent the function set is kept.
    assert.match(
      String(json(await fetchOp(`${base}/echo`)).headers.traceparent),
      /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/,
    );
    const own = "00-11111111111111111111111111111111-2222222222222222-00";
    const kept = json(await fetchOp(`${base}/echo`, { headers: [["traceparent", own]] }));
    assert.equal(kept.headers.traceparent, own);
  });

  it("refuses hosts not on the allowlist, naming the host and the list", async () => {
    await refused(
      fetchOp(`http://elsewhere.example.net:${remote.port}/echo`),
      "RUNLET_ERR_FETCH_BLOCKED",
      /elsewhere\.example\.net is not on the account's allowlist \(api\.test\.example, .*\); add it/,
    );
  });

  it("refuses names resolving to private addresses, and names with any private answer", async () => {
    await refused(
      fetchOp("http://internal.test.example/"),
      "RUNLET_ERR_FETCH_BLOCKED",
      /internal\.test\.example resolves to 10\.0\.0\.7, a private address/,
    );
    await refused(
      fetchOp(`http://mixed.test.example:${remote.port}/echo`),
      "RUNLET_ERR_FETCH_BLOCKED",
      /192\.168\.1\.10, a private address/,
    );
  });

  it("refuses other schemes and URLs with credentials", async () => {
    await refused(fetchOp("file:///etc/passwd"), "RUNLET_ERR_FETCH_BLOCKED", /only http: and https:/);
    await refused(fetchOp("ftp://api.test.example/x"), "RUNLET_ERR_FETCH_BLOCKED", /only http: and https:/);
    await refused(
      fetchOp(`http://u:p@api.test.example:${remote.port}/`),
      "RUNLET_ERR_FETCH_BLOCKED",
      /credentials/,
    );
    await refused(fetchOp("not a url"), "RUNLET_ERR_FETCH_FAILED", /not a valid URL/);
  });

  it("follows redirects, checking each hop: into metadata, a private name or an unlisted host is refused", async () => {
    const ok = await fetchOp(`${base}/redirect?to=/echo`);
    assert.equal(ok.status, 200);
    assert.equal(ok.redirected, true);
    assert.equal(ok.url, `${base}/echo`);

    const into = (to: string) => fetchOp(`${base}/redirect?to=${encodeURIComponent(to)}`);
    await refused(
      into("http://169.254.169.254/latest/meta-data/"),
      "RUNLET_ERR_FETCH_BLOCKED",
      /169\.254\.169\.254, the cloud metadata address/,
    );
    await refused(into("http://[::1]/"), "RUNLET_ERR_FETCH_BLOCKED", /::1, a loopback address/);
    await refused(
      into("http://internal.test.example/"),
      "RUNLET_ERR_FETCH_BLOCKED",
      /10\.0\.0\.7, a private address/,
    );
    await refused(
      into("http://unlisted.example.org/"),
      "RUNLET_ERR_FETCH_BLOCKED",
      /not on the account's allowlist/,
    );
    await refused(fetchOp(`${base}/loop`), "RUNLET_ERR_FETCH_LIMIT", /more than 5 redirects/);
  });

  it("redirect modes: manual answers the 3xx, error fails; 303 turns POST into GET; a new origin loses Authorization", async () => {
    const manual = await fetchOp(`${base}/redirect?to=/echo`, { redirect: "manual" });
    assert.equal(manual.status, 302);
    assert.ok(manual.headers.some(([k, v]) => k === "location" && v === "/echo"));
    await refused(
      fetchOp(`${base}/redirect?to=/echo`, { redirect: "error" }),
      "RUNLET_ERR_FETCH_FAILED",
      /redirect is "error"/,
    );

    const posted = await fetchOp(`${base}/redirect?status=303&to=/echo`, {
      method: "POST",
      body: new TextEncoder().encode("gone").buffer,
    });
    assert.equal(json(posted).method, "GET");
    assert.equal(json(posted).body, "");
    const kept = await fetchOp(`${base}/redirect?status=307&to=/echo`, {
      method: "POST",
      body: new TextEncoder().encode("kept").buffer,
    });
    assert.deepEqual([json(kept).method, json(kept).body], ["POST", "kept"]);

    const auth: [string, string][] = [["authorization", "Bearer t"]];
    const same = await fetchOp(`${base}/redirect?to=/echo`, { headers: auth });
    assert.equal(json(same).headers.authorization, "Bearer t");
    const cross = await fetchOp(
      `${base}/redirect?to=${encodeURIComponent(`http://api2.test.example:${remote.port}/echo`)}`,
      {
        headers: auth,
      },
    );
    assert.equal(json(cross).host, `api2.test.example:${remote.port}`);
    assert.equal(json(cross).headers.authorization, undefined);
  });

  it("bounds the response size, after decompression too (a gzip bomb stops at the limit)", async () => {
    assert.equal((await fetchOp(`${base}/big?bytes=4096`)).body.byteLength, 4096);
    await refused(fetchOp(`${base}/big?bytes=4097`), "RUNLET_ERR_FETCH_LIMIT", /over 4096 bytes/);
    const small = await fetchOp(`${base}/gzip?bytes=1000`);
    assert.equal(Buffer.from(small.body).toString(), "b".repeat(1000));
    assert.ok(!small.headers.some(([k]) => k === "content-encoding"), "decoded, so the header goes");
    await refused(fetchOp(`${base}/gzip?bytes=5000000`), "RUNLET_ERR_FETCH_LIMIT", /over 4096 bytes/);
  });

  it("counts requests per invocation", async () => {
    const one = caller();
    for (let i = 0; i < 4; i++) assert.equal((await fetchOp(`${base}/echo`, {}, one)).status, 200);
    await refused(fetchOp(`${base}/echo`, {}, one), "RUNLET_ERR_FETCH_LIMIT", /at most 4 requests/);
    assert.equal((await fetchOp(`${base}/echo`)).status, 200, "a new invocation starts afresh");
  });

  it("is bounded by the caller's deadline", async () => {
    await refused(
      fetchOp(`${base}/hang`, {}, caller({ deadline: Date.now() + 200 })),
      "RUNLET_ERR_FETCH_FAILED",
      /timed out after \d+ ms/,
    );
    await refused(
      fetchOp(`${base}/echo`, {}, caller({ deadline: Date.now() - 1 })),
      "RUNLET_ERR_FETCH_FAILED",
      /no time left/,
    );
  });

  it("writes every refusal to the caller's log", () => {
    assert.ok(logs.some((line) => /^fetch: .*169\.254\.169\.254.* \[RUNLET_ERR_FETCH_BLOCKED\]$/.test(line)));
    assert.ok(logs.some((line) => /\[RUNLET_ERR_FETCH_LIMIT\]$/.test(line)));
  });
});

describe("the fetch host op with the real guard and no test hooks", () => {
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform();
    await t.call("PUT", "/v1/accounts/default/allowlist", { domains: ["*.example.com"] });
  });
  after(() => t.close());

  const op = (url: string) =>
    t.platform.ops.call(
      {
        account: "default",
        function: "f",
        version: 1,
        activationId: "a",
        deadline: Date.now() + 5000,
        depth: 0,
        chain: "chain-test",
        log() {},
      },
      "fetch",
      { url, method: "GET", headers: [], body: null, redirect: "follow" },
    );

  it("refuses 127.0.0.1, [::1], 169.254.169.254, [fd00:ec2::254] and localhost, naming why", async () => {
    const cases: [string, RegExp][] = [
      ["http://127.0.0.1:7070/v1/accounts", /127\.0\.0\.1, a loopback address/],
      ["http://[::1]/", /::1, a loopback address/],
      ["http://169.254.169.254/latest/meta-data/", /169\.254\.169\.254, the cloud metadata address/],
      ["http://[fd00:ec2::254]/", /the cloud metadata address/],
      ["http://[::ffff:127.0.0.1]/", /loopback/],
      ["http://0.0.0.0/", /unspecified/],
      ["http://localhost/", /localhost is not on the account's allowlist/],
    ];
    for (const [url, message] of cases) {
      await assert.rejects(op(url), (err: { code?: string; message: string }) => {
        assert.equal(err.code, "RUNLET_ERR_FETCH_BLOCKED", url);
        assert.match(err.message, message, url);
        return true;
      });
    }
  });
});
