import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { HostCallError, type Caller } from "../../src/runtime/host-ops.js";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

const GLOBALS = [
  "fetch",
  "Request",
  "Response",
  "Headers",
  "FormData",
  "Blob",
  "File",
  "ReadableStream",
  "WritableStream",
  "TransformStream",
  "URL",
  "URLSearchParams",
  "TextEncoder",
  "TextDecoder",
  "TextEncoderStream",
  "TextDecoderStream",
  "atob",
  "btoa",
  "structuredClone",
  "AbortController",
  "AbortSignal",
  "DOMException",
  "Event",
  "EventTarget",
  "setTimeout",
  "clearTimeout",
  "setInterval",
  "clearInterval",
  "queueMicrotask",
  "crypto",
  "performance",
  "console",
];

async function activation(
  t: TestPlatform,
  id: string,
): Promise<{ status: string; error: { code: string } | null }> {
  for (let i = 0; i < 400; i++) {
    const res = await t.call("GET", `/v1/accounts/${t.account}/activations/${id}`);
    if (res.status === 200) return res.body;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`activation ${id} was never recorded`);
}

describe("web-standard globals work inside the isolate", () => {
  let t: TestPlatform;
  const fetches: { caller: Caller; args: Record<string, unknown> }[] = [];
  const gates: (() => void)[] = [];

  before(async () => {
    t = await startPlatform();
    // Stand-in for the outbound "fetch" operation: the sandbox side is what is tested here.
    t.platform.ops.register("fetch", async (caller, args) => {
      const a = args as {
        url: string;
        method: string;
        headers: [string, string][];
        body: ArrayBuffer | null;
      };
      fetches.push({ caller, args: a as unknown as Record<string, unknown> });
      const url = new URL(a.url);
      if (url.hostname === "blocked.example") {
        throw new HostCallError(
          "RUNLET_ERR_FETCH_BLOCKED",
          "blocked.example is not on this account's allowlist; add it with runlet allowlist add",
          "TypeError",
        );
      }
      if (url.hostname === "slow.example") return new Promise(() => undefined);
      const body = JSON.stringify({
        method: a.method,
        headers: a.headers,
        body: a.body === null ? null : Buffer.from(a.body).toString("utf8"),
      });
      const bytes = Buffer.from(body);
      return {
        status: 201,
        statusText: "Created",
        headers: [
          ["content-type", "application/json"],
          ["set-cookie", "a=1"],
          ["set-cookie", "b=2"],
        ],
        body: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
        url: a.url,
        redirected: false,
      };
    });
    t.platform.ops.register(
      "test.gate",
      () => new Promise<null>((resolve) => gates.push(() => resolve(null))),
    );
  });
  after(() => t.close());

  it("every documented global exists", async () => {
    await t.deploy(
      "globals",
      `export default async () => Object.fromEntries(${JSON.stringify(GLOBALS)}.map((n) => [n, typeof globalThis[n]]))`,
    );
    const res = await t.invoke("globals");
    assert.equal(res.status, 200, res.text);
    for (const name of GLOBALS) assert.notEqual(res.body[name], "undefined", `${name} is missing`);
  });

  it("URL, encoding, base64, crypto, clone, abort, Blob and FormData behave as the standards say", async () => {
    await t.deploy(
      "behaviour",
      `export default async () => {
        const out = {};
        const u = new URL("../c?x=1#f", "HTTP://Ex%41mple.COM:80/a/b");
        u.searchParams.append("q", "a b&c");
        out.url = [u.href, u.origin, u.host, u.pathname];
        out.badUrl = (() => { try { new URL("http://exa mple.com"); return "parsed"; } catch (e) { return e.constructor.name; } })();
        out.canParse = [URL.canParse("x:"), URL.canParse("nope")];
        out.params = [...new URLSearchParams("?a=1&a=2&b=%20+")].map(([k, v]) => k + "=" + v).join("|");
        const bytes = new TextEncoder().encode("é€😀\\uD800");
        out.encoded = [...bytes];
        out.decoded = new TextDecoder().decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0xc3, 0x28]));
        out.fatal = (() => { try { new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array([0xff])); return "decoded"; } catch (e) { return e.constructor.name; } })();
        const d = new TextDecoder(); out.streamed = d.decode(new Uint8Array([0xe2, 0x82]), { stream: true }) + d.decode(new Uint8Array([0xac]));
        out.latin1 = new TextDecoder("latin1").decode(new Uint8Array([0x80, 0xe9]));
        out.b64 = [btoa("hi\\u00ff"), atob(" aGk\\n="), (() => { try { btoa("€"); } catch (e) { return e.name; } })()];
        const data = new TextEncoder().encode("message");
        const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("secret"), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
        const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, data));
        out.hmac = [...sig].map((b) => b.toString(16).padStart(2, "0")).join("");
        out.verify = [await crypto.subtle.verify("HMAC", key, sig, data), await crypto.subtle.verify("HMAC", key, sig.slice(1), data)];
        out.sha1 = [...new Uint8Array(await crypto.subtle.digest("SHA-1", data))].map((b) => b.toString(16).padStart(2, "0")).join("");
        out.unsupported = await crypto.subtle.encrypt({ name: "AES-GCM" }, key, data).catch((e) => e.name);
        const r = crypto.getRandomValues(new Uint32Array(8));
        out.random = new Set(r).size > 1;
        out.uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID());
        const original = { d: new Date(0), m: new Map([["k", new Set([1])]]), buf: new Uint8Array([1, 2]) };
        original.self = original;
        const copy = structuredClone(original);
        out.clone = [copy !== original, copy.self === copy, copy.d.getTime(), copy.m.get("k").has(1), copy.buf[1]];
        out.cloneFn = (() => { try { structuredClone(() => 1); } catch (e) { return e.name; } })();
        const c = new AbortController(); let fired = 0; c.signal.addEventListener("abort", () => fired++); c.abort(); c.abort();
        out.abort = [c.signal.aborted, c.signal.reason.name, fired];
        const form = new FormData(); form.append("name", "Ada"); form.append("file", new Blob(["xyz"], { type: "text/plain" }), "x.txt");
        const back = await new Response(form).formData();
        out.form = [back.get("name"), back.get("file").name, await back.get("file").text()];
        out.blob = [await new Blob(["ab", new Uint8Array([99])]).slice(1).text(), new Blob([], { type: "A/B" }).type];
        const stream = new ReadableStream({ start(ctl) { ctl.enqueue(new TextEncoder().encode("str")); ctl.enqueue(new TextEncoder().encode("eam")); ctl.close(); } });
        out.stream = await new Response(stream).text();
        out.headers = (() => { const h = new Headers({ "X-A": " 1 " }); h.append("x-a", "2"); h.append("Set-Cookie", "a"); h.append("set-cookie", "b"); return [h.get("x-a"), h.getSetCookie(), [...h.keys()]]; })();
        out.badHeader = (() => { try { new Headers({ "bad name": "x" }); } catch (e) { return e.constructor.name; } })();
        const piped = new ReadableStream({ start(c) { c.enqueue("h\u00e9"); c.enqueue("\\uD83D"); c.enqueue("\\uDE00!"); c.close(); } })
          .pipeThrough(new TextEncoderStream()).pipeThrough(new TextDecoderStream());
        let pipedText = ""; for await (const part of piped) pipedText += part;
        out.textStreams = pipedText;
        out.perf = typeof performance.now();
        out.microtask = await new Promise((res) => queueMicrotask(() => res("ran")));
        return out;
      }`,
    );
    const res = await t.invoke("behaviour");
    assert.equal(res.status, 200, res.text);
    const out = res.body;
    assert.deepEqual(out.url, [
      "http://example.com/c?x=1&q=a+b%26c#f",
      "http://example.com",
      "example.com",
      "/c",
    ]);
    assert.equal(out.badUrl, "TypeError");
    assert.deepEqual(out.canParse, [true, false]);
    assert.equal(out.params, "a=1|a=2|b=  ");
    assert.deepEqual(out.encoded, [...Buffer.from("é€😀\uFFFD", "utf8")]);
    assert.equal(out.decoded, "h\uFFFD(");
    assert.equal(out.fatal, "TypeError");
    assert.equal(out.streamed, "€");
    assert.equal(out.latin1, "€é");
    assert.deepEqual(out.b64, ["aGn/", "hi", "InvalidCharacterError"]);
    assert.equal(out.hmac, createHmac("sha256", "secret").update("message").digest("hex"));
    assert.deepEqual(out.verify, [true, false]);
    assert.equal(out.sha1, createHash("sha1").update("message").digest("hex"));
    assert.equal(out.unsupported, "NotSupportedError");
    assert.equal(out.random, true);
    assert.equal(out.uuid, true);
    assert.deepEqual(out.clone, [true, true, 0, true, 2]);
    assert.equal(out.cloneFn, "DataCloneError");
    assert.deepEqual(out.abort, [true, "AbortError", 1]);
    assert.deepEqual(out.form, ["Ada", "x.txt", "xyz"]);
    assert.deepEqual(out.blob, ["bc", "a/b"]);
    assert.equal(out.stream, "stream");
    assert.deepEqual(out.headers, ["1, 2", ["a", "b"], ["set-cookie", "set-cookie", "x-a"]]);
    assert.equal(out.badHeader, "TypeError");
    assert.equal(out.textStreams, "hé😀!");
    assert.equal(out.perf, "number");
    assert.equal(out.microtask, "ran");
  });

  it("big URLs, digests and random streams are the function's own work: no host cap, the right answers", async () => {
    await t.deploy(
      "oversized",
      `export default async () => {
        const url = new URL("https://x.example/" + "a".repeat(1024 * 1024 + 1));
        const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(9 * 1024 * 1024)));
        const random = new Uint8Array(65536);
        for (let i = 0; i < 32; i++) crypto.getRandomValues(random);
        return {
          path: url.pathname.length,
          digest: [...digest.slice(0, 4)],
          spread: new Set(random).size,
          idn: new URL("https://Bücher.example/").host,
        };
      }`,
      { memoryMb: 256, timeoutMs: 60_000 },
    );
    const res = await t.invoke("oversized");
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.path, 1024 * 1024 + 2);
    // SHA-256 of 9 MiB of zeros, as node:crypto computes it.
    const expected = createHash("sha256")
      .update(new Uint8Array(9 * 1024 * 1024))
      .digest();
    assert.deepEqual(res.body.digest, [...expected.subarray(0, 4)]);
    assert.equal(res.body.spread, 256, "64 KiB of random bytes take every byte value");
    assert.equal(res.body.idn, "xn--bcher-kva.example");
  });

  it("fetch sends the request through the host's fetch operation as the invoking activation", async () => {
    await t.deploy(
      "fetcher",
      `export default async (event, ctx) => {
        const res = await fetch("https://api.example/items?x=1", {
          method: "post",
          headers: { "x-token": "t" },
          body: JSON.stringify({ n: 1 }),
        });
        const viaCtx = await ctx.fetch(new Request("https://api.example/ctx"));
        let blocked;
        try { await fetch("https://blocked.example/"); } catch (err) {
          blocked = { type: err.constructor.name, code: err.code, message: err.message };
        }
        const c = new AbortController();
        const pending = fetch("https://slow.example/", { signal: c.signal });
        c.abort();
        const aborted = await pending.then(() => "resolved", (err) => err.name);
        const relative = await fetch("/relative").then(() => "resolved", (err) => err.constructor.name);
        return {
          status: res.status, statusText: res.statusText, ok: res.ok, url: res.url,
          cookies: res.headers.getSetCookie(), echoed: await res.json(),
          immutable: (() => { try { res.headers.set("x", "y"); return "mutable"; } catch (e) { return e.constructor.name; } })(),
          ctxMethod: (await viaCtx.json()).method, blocked, aborted, relative,
        };
      }`,
    );
    const res = await t.invoke("fetcher");
    assert.equal(res.status, 200, res.text);
    const out = res.body;
    assert.equal(out.status, 201);
    assert.equal(out.statusText, "Created");
    assert.equal(out.ok, true);
    assert.equal(out.url, "https://api.example/items?x=1");
    assert.deepEqual(out.cookies, ["a=1", "b=2"]);
    assert.equal(out.echoed.method, "POST");
    assert.equal(out.echoed.body, '{"n":1}');
    assert.deepEqual(out.echoed.headers, [
      ["content-type", "text/plain;charset=UTF-8"],
      ["x-token", "t"],
    ]);
    assert.equal(out.immutable, "TypeError");
    assert.equal(out.ctxMethod, "GET");
    assert.deepEqual(out.blocked, {
      type: "TypeError",
      code: "RUNLET_ERR_FETCH_BLOCKED",
      message: "blocked.example is not on this account's allowlist; add it with runlet allowlist add",
    });
    assert.equal(out.aborted, "AbortError");
    assert.equal(out.relative, "TypeError");
    const activationId = res.headers.get("x-runlet-activation-id");
    const mine = fetches.filter((f) => f.caller.function === "fetcher");
    assert.ok(mine.length >= 3);
    for (const f of mine) assert.equal(f.caller.activationId, activationId);
  });

  it("a ReadableStream body is streamed to the client while the function still runs", async () => {
    await t.deploy(
      "streamer",
      `export default {
        async fetch(request, env, ctx) {
          const encoder = new TextEncoder();
          const stream = new ReadableStream({
            async pull(controller) {
              controller.enqueue(encoder.encode("first;"));
              // Wait until the test has read the first chunk: proves it left before the stream ended.
              await ctx.invoke.call(null, "unused").catch(() => undefined);
              controller.enqueue(encoder.encode("second"));
              controller.close();
            },
          });
          return new Response(stream, { headers: { "content-type": "text/plain", "x-kind": "stream" } });
        },
      }`,
    );
    // ctx.invoke's op is swapped for the gate in this platform: it answers when the test says so.
    t.platform.ops.register("invoke", () => new Promise<null>((resolve) => gates.push(() => resolve(null))));
    const res = await fetch(`${t.url}/fn/${t.account}/streamer/`, {
      headers: { authorization: `Bearer ${t.key}` },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-kind"), "stream");
    assert.ok(res.headers.get("x-runlet-activation-id"));
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const first = await reader.read();
    assert.equal(decoder.decode(first.value), "first;");
    while (gates.length === 0) await new Promise((r) => setTimeout(r, 5));
    gates.shift()!();
    let rest = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += decoder.decode(value, { stream: true });
    }
    assert.equal(rest, "second");
    const record = await activation(t, res.headers.get("x-runlet-activation-id")!);
    assert.equal(record.status, "succeeded");
  });

  it("a stream that never ends is cut at the deadline and the activation ends as timeout", async () => {
    await t.deploy(
      "endless",
      `export default {
        fetch() {
          let n = 0;
          const stream = new ReadableStream({
            async pull(controller) {
              await new Promise((r) => setTimeout(r, 20));
              controller.enqueue(new TextEncoder().encode("tick " + n++ + "\\n"));
            },
          });
          return new Response(stream);
        },
      }`,
      { timeoutMs: 1500 },
    );
    const res = await fetch(`${t.url}/fn/${t.account}/endless/`, {
      headers: { authorization: `Bearer ${t.key}` },
    });
    assert.equal(res.status, 200);
    const id = res.headers.get("x-runlet-activation-id")!;
    await assert.rejects(res.text(), "the client sees the response cut, not a clean end");
    const record = await activation(t, id);
    assert.equal(record.status, "timeout");
    assert.equal(record.error?.code, "RUNLET_ERR_TIMEOUT");
  });

  it("a stream body invoked through the JSON API is read whole", async () => {
    await t.deploy(
      "stream-json",
      `export default { fetch() {
        const s = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('{"a":')); c.enqueue(new TextEncoder().encode("1}")); c.close(); } });
        return new Response(s, { headers: { "content-type": "application/json" } });
      } }`,
    );
    const res = await t.invoke("stream-json");
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { a: 1 });
  });
});

describe("fetch with the platform's own outbound operation", () => {
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform();
  });
  after(() => t.close());

  it("a host that is not on the account's allowlist fails inside the function with a clear TypeError", async () => {
    await t.deploy(
      "outbound",
      `export default async () => {
        try {
          await fetch("https://not-allowed.example/data", { headers: { accept: "application/json" } });
          return { fetched: true };
        } catch (err) {
          return { type: err.constructor.name, code: err.code, message: err.message };
        }
      }`,
    );
    const res = await t.invoke("outbound");
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.type, "TypeError");
    assert.equal(res.body.code, "RUNLET_ERR_FETCH_BLOCKED");
    assert.match(res.body.message, /not-allowed\.example/);
  });
});
