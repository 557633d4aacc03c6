import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import type { TestResponse } from "../helpers/platform.js";
import { activationOf, openArena, underAttack, type Arena } from "./arena.js";
import { forging, forgingWeb, installForgeDoor } from "./forge.js";

// A function puts framing and hop-by-hop headers in mixed case on its response, with a second HTTP
// response hidden in its body: were any of them sent, the client's next request on the same keep-alive
// connection would read the attacker's bytes instead of its own answer. Only the gateway frames.
const SMUGGLED = "HTTP/1.1 200 OK\\r\\nContent-Length: 8\\r\\n\\r\\nsmuggled";
const FRAMING = `[
  ["Content-Length", "5"], ["TRANSFER-ENCODING", "chunked"], ["Connection", "close"],
  ["Keep-Alive", "timeout=1, max=1"], ["UpGrade", "h2c"], ["tE", "trailers"], ["Trailer", "X-Tail"],
  ["Proxy-Authenticate", "Basic"], ["X-Runlet-Activation-Id", "forged"], ["X-Ok", "yes"]
]`;
/** String.prototype.toLowerCase patched, so the sandbox's Headers keep the names' case. */
const KEEP_CASE = `String.prototype.toLowerCase = function () { return String(this); };`;

interface Answer extends TestResponse {
  raw: string[];
  reused: boolean;
}

/** Sends the requests one after another on one keep-alive connection (one socket, reused). */
async function onOneConnection(
  url: string,
  requests: { method: string; path: string; key: string; body?: unknown }[],
): Promise<Answer[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const answers: Answer[] = [];
  try {
    for (const r of requests) {
      answers.push(
        await new Promise<Answer>((resolve, reject) => {
          const body = r.body === undefined ? undefined : JSON.stringify(r.body);
          const req = http.request(
            `${url}${r.path}`,
            {
              method: r.method,
              agent,
              headers: {
                authorization: `Bearer ${r.key}`,
                ...(body !== undefined ? { "content-type": "application/json" } : {}),
              },
              timeout: 20_000,
            },
            (res) => {
              const chunks: Buffer[] = [];
              res.on("data", (c: Buffer) => chunks.push(c));
              res.on("end", () => {
                const text = Buffer.concat(chunks).toString("utf8");
                let parsed: unknown = undefined;
                try {
                  parsed = JSON.parse(text);
                } catch {
                  // not JSON: kept as text
                }
                const headers = new Headers();
                for (const [k, v] of Object.entries(res.headers))
                  if (typeof v === "string") headers.set(k, v);
                resolve({
                  status: res.statusCode ?? 0,
                  headers,
                  body: parsed,
                  text,
                  raw: res.rawHeaders,
                  reused: req.reusedSocket,
                });
              });
              res.on("error", reject);
            },
          );
          req.on("timeout", () => req.destroy(new Error("no answer in 20 s")));
          req.on("error", reject);
          req.end(body);
        }),
      );
    }
  } finally {
    agent.destroy();
  }
  return answers;
}

/** The response carries none of the function's framing: one Content-Length, the real one. */
function assertGatewayFramed(res: Answer): void {
  const names = res.raw.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
  assert.deepEqual(
    names.filter((n) => n === "content-length"),
    ["content-length"],
    res.raw.join(" | "),
  );
  assert.equal(res.headers.get("content-length"), String(Buffer.byteLength(res.text)));
  for (const gone of ["transfer-encoding", "upgrade", "te", "trailer", "proxy-authenticate"]) {
    assert.equal(names.includes(gone), false, `${gone} went out: ${res.raw.join(" | ")}`);
  }
  assert.notEqual(res.headers.get("connection"), "close");
  assert.notEqual(res.headers.get("keep-alive"), "timeout=1, max=1");
  assert.notEqual(res.headers.get("x-runlet-activation-id"), "forged");
}

describe("hostile: framing headers in mixed case, then a second request on the same connection", () => {
  let arena: Arena;
  before(async () => {
    arena = await openArena();
    installForgeDoor(arena);
  });
  after(() => arena.close());

  /** Runs `first` then the neighbour's invoke on one connection; the second must be the neighbour's own. */
  async function thenTheNeighbour(first: { method: string; path: string; body?: unknown }): Promise<Answer> {
    const { answers } = await underAttack(arena, async () => ({
      answers: await onOneConnection(arena.t.url, [
        { ...first, key: arena.attacker.key },
        {
          method: "POST",
          path: "/v1/accounts/neighbour/functions/steady/invoke",
          key: arena.neighbour.key,
          body: { n: 21 },
        },
      ]),
    }));
    const [attack, next] = answers as [Answer, Answer];
    assert.equal(next.reused, true, "the second request went on the same connection");
    assert.equal(next.status, 200, next.text);
    assert.deepEqual(next.body, { doubled: 42, me: "neighbour" });
    assertGatewayFramed(next);
    return attack;
  }

  it("a web function (/fn/…): the headers are dropped, the body goes out as bytes of a response the gateway framed", async () => {
    await arena.attacker.deploy(
      "web-framing",
      `${KEEP_CASE}
      export default { fetch() { return new Response("hello${SMUGGLED}", { headers: ${FRAMING} }); } }`,
    );
    const res = await thenTheNeighbour({ method: "GET", path: "/fn/attacker/web-framing/" });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.text, `hello${SMUGGLED.replaceAll("\\r\\n", "\r\n")}`);
    assert.equal(res.headers.get("x-ok"), "yes");
    assertGatewayFramed(res);
    assert.equal((await activationOf(arena, res)).status, "succeeded");
  });

  it("a web function whose prelude is bypassed (a forged envelope): dropped the same way", async () => {
    await arena.attacker.deploy(
      "web-forged-framing",
      forgingWeb(`{ ok: true, kind: "http", status: 200, headers: ${FRAMING}, body: "hello${SMUGGLED}" }`),
    );
    const res = await thenTheNeighbour({ method: "GET", path: "/fn/attacker/web-forged-framing/" });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get("x-ok"), "yes");
    assertGatewayFramed(res);
    assert.equal((await activationOf(arena, res)).status, "succeeded");
  });

  for (const [path, query] of [
    ["the node:http fast path", ""],
    ["the Fastify route", "?version=1"],
  ] as const) {
    it(`POST …/invoke through ${path}: an http-style function's headers never reach the JSON answer`, async () => {
      const name = `invoke-framing${query ? "-fastify" : ""}`;
      await arena.attacker.deploy(
        name,
        `${KEEP_CASE}
        export default { fetch() {
          return new Response(JSON.stringify({ smuggle: "${SMUGGLED}" }), {
            headers: ${FRAMING},
          });
        } }`,
      );
      const res = await thenTheNeighbour({
        method: "POST",
        path: `/v1/accounts/attacker/functions/${name}/invoke${query}`,
        body: {},
      });
      assert.equal(res.status, 200, res.text);
      // Not typed as JSON, the body comes back as a JSON string: the function's text, nothing more.
      assert.equal(res.body, JSON.stringify({ smuggle: SMUGGLED.replaceAll("\\r\\n", "\r\n") }));
      assert.equal(res.headers.get("x-ok"), null);
      assertGatewayFramed(res);
      assert.equal((await activationOf(arena, res)).status, "succeeded");
    });

    it(`POST …/invoke through ${path}: a forged HTTP answer is refused with 502 RUNLET_ERR_MALFORMED_ANSWER`, async () => {
      const name = `invoke-forged${query ? "-fastify" : ""}`;
      await arena.attacker.deploy(
        name,
        forging(`{ ok: true, kind: "http", status: 200, headers: ${FRAMING}, body: "hello${SMUGGLED}" }`),
      );
      const res = await thenTheNeighbour({
        method: "POST",
        path: `/v1/accounts/attacker/functions/${name}/invoke${query}`,
        body: {},
      });
      assert.equal(res.status, 502, res.text);
      assert.equal(res.body.error.code, "RUNLET_ERR_MALFORMED_ANSWER");
      assertGatewayFramed(res);
      const activation = await activationOf(arena, res);
      assert.equal(activation.status, "function_error");
      assert.deepEqual(activation.error, {
        code: "RUNLET_ERR_MALFORMED_ANSWER",
        message: res.body.error.message,
      });
    });
  }
});
