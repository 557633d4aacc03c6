import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkHead, outcomeOfEnvelope } from "../../src/runtime/answer-check.js";
import { isGatewayOwned } from "../../src/model/response-head.js";

const WEB = { responseBytes: 100, web: true };
const JSON_API = { responseBytes: 100, web: false };

function codeOf(envelope: unknown, rules = WEB): string {
  const outcome = outcomeOfEnvelope(envelope, rules);
  return outcome.status === "succeeded" ? "succeeded" : outcome.code;
}

describe("answer-check: what an isolate answers is checked on the host", () => {
  it("an honest JSON answer passes, parsed once (the record reuses the value)", () => {
    const outcome = outcomeOfEnvelope({ ok: true, kind: "json", body: '{"a":[1,2]}' }, JSON_API);
    assert.deepEqual(outcome, {
      status: "succeeded",
      answer: { kind: "json", body: '{"a":[1,2]}', value: { a: [1, 2] } },
    });
  });

  it("anything not of the envelope's shape is RUNLET_ERR_MALFORMED_ANSWER", () => {
    for (const envelope of [
      undefined,
      null,
      "text",
      42,
      [],
      {},
      { ok: "yes" },
      { ok: true, kind: "xml", body: "" },
      { ok: true, kind: "json", body: 12 },
      { ok: true, kind: "http", status: 200, headers: {}, body: null },
      { ok: true, kind: "http", status: 200, headers: [], body: 12 },
      { ok: true, kind: "http", status: 200, headers: [], body: new Uint8Array(1) },
    ]) {
      assert.equal(codeOf(envelope), "RUNLET_ERR_MALFORMED_ANSWER", JSON.stringify(envelope));
    }
  });

  it("an HTTP answer where a JSON value was expected is malformed", () => {
    const envelope = { ok: true, kind: "http", status: 200, headers: [], body: "x" };
    assert.equal(codeOf(envelope, JSON_API), "RUNLET_ERR_MALFORMED_ANSWER");
    assert.equal(codeOf(envelope, WEB), "succeeded");
  });

  it("JSON text that does not parse is RUNLET_ERR_INVALID_RESPONSE_JSON", () => {
    assert.equal(
      codeOf({ ok: true, kind: "json", body: "{nope" }, JSON_API),
      "RUNLET_ERR_INVALID_RESPONSE_JSON",
    );
    assert.equal(codeOf({ ok: true, kind: "json", body: "" }, JSON_API), "RUNLET_ERR_INVALID_RESPONSE_JSON");
  });

  it("sizes are bytes as sent: UTF-8 for text, byteLength for bytes, at the limit passes, past it does not", () => {
    const json = (body: string) => ({ ok: true, kind: "json", body });
    assert.equal(codeOf(json(`"${"a".repeat(98)}"`), JSON_API), "succeeded");
    assert.equal(codeOf(json(`"${"a".repeat(99)}"`), JSON_API), "RUNLET_ERR_RESULT_TOO_LARGE");
    // 33 characters of three UTF-8 bytes each, within 100 characters but 101 bytes.
    assert.equal(codeOf(json(`"${"€".repeat(33)}"`), JSON_API), "RUNLET_ERR_RESULT_TOO_LARGE");
    const http = (body: unknown) => ({ ok: true, kind: "http", status: 200, headers: [], body });
    assert.equal(codeOf(http(new ArrayBuffer(100))), "succeeded");
    assert.equal(codeOf(http(new ArrayBuffer(101))), "RUNLET_ERR_RESULT_TOO_LARGE");
    assert.equal(codeOf(http("é".repeat(51))), "RUNLET_ERR_RESULT_TOO_LARGE");
    assert.equal(codeOf(http(null)), "succeeded");
  });

  it("a failure envelope keeps its code when it is one the prelude sends, and at most 16 KiB of message", () => {
    const outcome = outcomeOfEnvelope(
      { ok: false, code: "result_too_large", message: "m".repeat(100_000) },
      WEB,
    );
    assert.ok(outcome.status === "function_error");
    assert.equal(outcome.code, "RUNLET_ERR_RESULT_TOO_LARGE");
    assert.equal(outcome.message.length, 16 * 1024);
    assert.equal(codeOf({ ok: false, code: "RUNLET_ERR_PLATFORM", message: 1 }), "RUNLET_ERR_FUNCTION_ERROR");
  });

  it("a head: status 200–599 whole numbers only; valid names and values; gateway headers dropped in any case", () => {
    for (const status of [199, 600, 0, -1, 200.5, NaN, Infinity, "200", null, undefined]) {
      const head = checkHead(status, []);
      assert.ok("code" in head && head.code === "RUNLET_ERR_INVALID_RESPONSE_STATUS", String(status));
    }
    for (const [name, value] of [
      ["X Bad", "1"],
      ["", "1"],
      ["X-A:", "1"],
      ["é", "1"],
      ["X-A", "1\r\n"],
      ["X-A", "\n"],
      ["X-A", "\u0000"],
      ["X-A", "\u0007"],
      ["X-A", "\u2028"],
    ]) {
      const head = checkHead(200, [[name, value]]);
      assert.ok(
        "code" in head && head.code === "RUNLET_ERR_INVALID_RESPONSE_HEADER",
        JSON.stringify([name, value]),
      );
    }
    const many = Array.from({ length: 201 }, (_, i) => [`x-${i}`, "1"]);
    assert.ok("code" in checkHead(200, many));
    assert.ok("code" in checkHead(200, [["x-big", "v".repeat(70_000)]]));
    const head = checkHead(404, [
      ["Content-Length", "0"],
      ["TRANSFER-ENCODING", "chunked"],
      ["Connection", "close"],
      ["keep-alive", "timeout=1"],
      ["Upgrade", "h2c"],
      ["TE", "trailers"],
      ["Trailer", "x"],
      ["Proxy-Authorization", "x"],
      ["X-Runlet-Activation-Id", "forged"],
      ["Content-Type", "text/plain; charset=utf-8"],
      ["Set-Cookie", "a=1"],
      ["X-Tab", "a\tb é"],
    ]);
    assert.deepEqual(head, {
      status: 404,
      headers: [
        ["content-type", "text/plain; charset=utf-8"],
        ["set-cookie", "a=1"],
        ["x-tab", "a\tb é"],
      ],
    });
    assert.equal(isGatewayOwned("proxy-connection"), true);
    assert.equal(isGatewayOwned("content-type"), false);
  });
});
