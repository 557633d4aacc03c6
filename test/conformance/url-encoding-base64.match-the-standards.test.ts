// Conformance evidence for the sandbox's URL, TextEncoder/TextDecoder, atob/btoa: the WPT URL parsing data
// (read from the shared test data, not copied), and encoding/base64 cases checked against node's own
// WHATWG implementations on the same inputs (including seeded random byte strings).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { loadConfig } from "../../src/config.js";
import { invokeLocal } from "../../src/functions/local-invoke.js";

const WPT_FILE = path.resolve(import.meta.dirname, "../../../shared/testdata/wpt/urltestdata.json");
const URL_FIELDS = [
  "href",
  "origin",
  "protocol",
  "username",
  "password",
  "host",
  "hostname",
  "port",
  "pathname",
  "search",
  "hash",
] as const;

async function runInIsolate(source: string, payload: unknown): Promise<unknown> {
  const out = await invokeLocal({
    source,
    payload,
    config: { timeoutMs: 60_000 },
    limits: loadConfig({}).limits,
  });
  assert.equal(out.status, "succeeded", JSON.stringify(out.error));
  return out.result;
}

/** A deterministic byte generator (xorshift), so the random cases are the same on every run. */
function bytes(seed: number, count: number, length: number): number[][] {
  let x = seed;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) & 0xff;
  };
  return Array.from({ length: count }, () => Array.from({ length: 1 + (next() % length) }, next));
}

describe("the sandbox's URL, encoding and base64 match the standards", () => {
  it("passes ≥ 99% of the WPT URL parsing cases (urltestdata.json)", async (t) => {
    const data = JSON.parse(readFileSync(WPT_FILE, "utf8")) as unknown[];
    const cases = data.filter(
      (entry): entry is Record<string, string | boolean | null> => typeof entry === "object",
    );
    assert.ok(cases.length > 800, `expected the full WPT data, got ${cases.length} cases`);
    const result = (await runInIsolate(
      `export default (event) => {
        const fields = ${JSON.stringify(URL_FIELDS)};
        const failures = [];
        let passed = 0;
        for (const c of event.payload) {
          let got;
          try {
            const url = c.base === null || c.base === undefined ? new URL(c.input) : new URL(c.input, c.base);
            got = Object.fromEntries(fields.map((f) => [f, url[f]]));
          } catch (err) {
            got = { failure: true, error: err.constructor.name };
          }
          let ok;
          if (c.failure) ok = got.failure === true && got.error === "TypeError";
          else ok = !got.failure && fields.every((f) => c[f] === undefined || c[f] === got[f]);
          // Whatever parses must also say so through URL.canParse, and the reverse.
          ok = ok && URL.canParse(c.input, c.base ?? undefined) === !c.failure;
          if (ok) passed++;
          else failures.push({ input: c.input, base: c.base, got });
        }
        return { passed, total: event.payload.length, failures: failures.slice(0, 20) };
      }`,
      cases,
    )) as { passed: number; total: number; failures: unknown[] };
    const rate = result.passed / result.total;
    t.diagnostic(`WPT URL: ${result.passed}/${result.total} passed (${(rate * 100).toFixed(2)}%)`);
    if (result.failures.length)
      t.diagnostic(`first failures: ${JSON.stringify(result.failures).slice(0, 2000)}`);
    assert.ok(rate >= 0.99, `only ${(rate * 100).toFixed(2)}% of the WPT URL cases pass`);
  });

  it("TextEncoder and TextDecoder give what node's WHATWG implementation gives", async (t) => {
    const strings = [
      "",
      "ascii",
      "héllo wörld",
      "€ 𝄞 😀",
      "\uD800",
      "a\uDC00b",
      "\uD83D\uDE00\uD83D",
      "\u0000\u007f\u0080\u07ff\u0800\uffff",
      "\uFEFFbom",
    ];
    const sequences = [
      [0xef, 0xbb, 0xbf, 0x41],
      [0xc0, 0x80],
      [0xe0, 0x80, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf0, 0x9f, 0x98],
      [0xff, 0xfe, 0x41, 0x00],
      [0x80, 0x81, 0x9f, 0xa0, 0xff],
      ...bytes(0x2545f491, 300, 24),
    ];
    // windows-1252 is checked against the Encoding Standard's index below: node decodes it as ISO-8859-1.
    const labels = ["utf-8", "utf-16le", "utf-16be"];
    const expected = {
      encoded: strings.map((s) => [...new TextEncoder().encode(s)]),
      decoded: labels.flatMap((label) =>
        sequences.flatMap((seq) =>
          [false, true].map((fatal) => {
            try {
              return new TextDecoder(label, { fatal }).decode(new Uint8Array(seq));
            } catch (err) {
              return `throws ${(err as Error).constructor.name}`;
            }
          }),
        ),
      ),
      // Streaming: every sequence fed one byte at a time must decode as it does whole.
      streamed: sequences.map((seq) => new TextDecoder().decode(new Uint8Array(seq))),
    };
    const got = (await runInIsolate(
      `export default (event) => {
        const { strings, sequences, labels } = event.payload;
        const encoded = strings.map((s) => [...new TextEncoder().encode(s)]);
        const decoded = labels.flatMap((label) => sequences.flatMap((seq) => [false, true].map((fatal) => {
          try { return new TextDecoder(label, { fatal }).decode(new Uint8Array(seq)); }
          catch (err) { return "throws " + err.constructor.name; }
        })));
        const streamed = sequences.map((seq) => {
          const d = new TextDecoder();
          let out = "";
          for (const b of seq) out += d.decode(new Uint8Array([b]), { stream: true });
          return out + d.decode();
        });
        return { encoded, decoded, streamed };
      }`,
      { strings, sequences, labels },
    )) as typeof expected;
    const cases = expected.encoded.length + expected.decoded.length + expected.streamed.length;
    let passed = 0;
    for (const key of ["encoded", "decoded", "streamed"] as const) {
      expected[key].forEach((value, i) => {
        if (JSON.stringify(value) === JSON.stringify(got[key][i])) passed++;
      });
    }
    t.diagnostic(`encoding: ${passed}/${cases} cases match node's TextEncoder/TextDecoder`);
    assert.deepEqual(got, expected);
  });

  it("windows-1252 (and its labels latin1, ascii, iso-8859-1) decodes by the Encoding Standard's index", async () => {
    // index-windows-1252.txt, pointers 0–31 (bytes 0x80–0x9F); the other bytes map to the same code point.
    const C1 = [
      0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
      0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
      0x153, 0x9d, 0x17e, 0x178,
    ];
    const all = Array.from({ length: 256 }, (_, b) => b);
    const expected = String.fromCharCode(...all.map((b) => (b >= 0x80 && b <= 0x9f ? C1[b - 0x80]! : b)));
    const got = await runInIsolate(
      `export default (event) => ["windows-1252", "latin1", "ascii", "iso-8859-1", "us-ascii"].map((label) =>
        new TextDecoder(label).decode(new Uint8Array(event.payload)))`,
      all,
    );
    assert.deepEqual(got, Array(5).fill(expected));
  });

  it("atob and btoa give what node's implementation gives, errors included", async (t) => {
    const atobInputs = [
      "",
      "YQ",
      "YQ=",
      "YQ==",
      "YQ===",
      "YWI",
      "YWJj",
      " Y W J j\n\t",
      "YW=J",
      "Y",
      "YWJjZA=",
      "=",
      "ab!c",
      "\u00ff",
      "AAAA",
      "////",
      "+/+/",
      "YQ==YQ==",
      "\fYQ\r==",
      ...bytes(0x1234567, 60, 12).map((b) => Buffer.from(b).toString("base64").replace(/=+$/, "")),
    ];
    const btoaInputs = ["", "a", "ab", "abc", "\u00ff\u0000\u0080", "€", "\uD800", "hello world"];
    const run = (fn: (s: string) => string, s: string) => {
      try {
        return fn(s);
      } catch (err) {
        return `throws ${(err as Error).name}`;
      }
    };
    const expected = { a: atobInputs.map((s) => run(atob, s)), b: btoaInputs.map((s) => run(btoa, s)) };
    const got = await runInIsolate(
      `export default (event) => {
        const run = (fn, s) => { try { return fn(s); } catch (err) { return "throws " + err.name; } };
        return { a: event.payload.a.map((s) => run(atob, s)), b: event.payload.b.map((s) => run(btoa, s)) };
      }`,
      { a: atobInputs, b: btoaInputs },
    );
    t.diagnostic(`base64: ${atobInputs.length + btoaInputs.length} cases checked`);
    assert.deepEqual(got, expected);
  });
});
