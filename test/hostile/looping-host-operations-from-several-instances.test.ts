import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { activationOf, openArena, type Arena } from "./arena.js";

// Instances of one attacker function loop over an operation that used to run on the host's main thread
// (URL parsing, SHA-256, HMAC, random bytes): two such loops pushed /healthz of every account to seconds.
// Now each loop costs only its own isolate's thread. Measured in the same test, never as an absolute
// timing (the machine is shared): idle, then with the same number of instances spinning on plain
// JavaScript (what any CPU-bound function costs the node's cores), then under each loop, which must stay
// within a generous factor of that spinning baseline (a main-thread operation would be orders beyond).
const INSTANCES = 2;
const LOOP_MS = 1500;
const FACTOR = 5;
const MiB = 1024 * 1024;

const OPERATIONS: Record<string, { op: string; answer: unknown }> = {
  "URL parse": {
    op: `new URL("https://loop.example/" + "a".repeat(64 * 1024) + "?q=" + n).pathname.length`,
    answer: 64 * 1024 + 1,
  },
  digest: {
    op: `[...new Uint8Array(await crypto.subtle.digest("SHA-256", data))].slice(0, 4)`,
    answer: [...createHash("sha256").update(new Uint8Array(MiB)).digest().subarray(0, 4)],
  },
  HMAC: {
    op: `[...new Uint8Array(await crypto.subtle.sign("HMAC", key, data))].slice(0, 4)`,
    answer: [
      ...createHmac("sha256", Buffer.alloc(32, 7)).update(new Uint8Array(MiB)).digest().subarray(0, 4),
    ],
  },
  getRandomValues: {
    op: `crypto.getRandomValues(new Uint8Array(65536)).length`,
    answer: 65536,
  },
};

function looper(op: string): string {
  return `export default async () => {
    const data = new Uint8Array(${MiB});
    const key = await crypto.subtle.importKey("raw", new Uint8Array(32).fill(7), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const end = Date.now() + ${LOOP_MS};
    let n = 0, answer;
    while (Date.now() < end || n === 0) { answer = ${op}; n++; }
    return { n, answer };
  }`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Latencies of /healthz and of the neighbour's invoke, one after the other, until `until` resolves. */
async function latencies(arena: Arena, until: Promise<unknown> | number) {
  const health: number[] = [];
  const neighbour: number[] = [];
  let done = false;
  if (typeof until !== "number") void until.finally(() => (done = true));
  for (let i = 0; typeof until === "number" ? i < until : !done || i === 0; i++) {
    let t0 = performance.now();
    const h = await arena.t.call("GET", "/healthz", undefined, { key: null });
    health.push(performance.now() - t0);
    assert.equal(h.status, 200);
    t0 = performance.now();
    const res = await arena.neighbour.invoke("steady", { n: i });
    neighbour.push(performance.now() - t0);
    assert.deepEqual(res.body, { doubled: i * 2, me: "neighbour" });
  }
  return { health: median(health), neighbour: median(neighbour), samples: health.length };
}

describe("hostile: several instances looping host operations", () => {
  let arena: Arena;
  let idle: { health: number; neighbour: number };
  let spinning: { health: number; neighbour: number };
  before(async () => {
    arena = await openArena();
    await latencies(arena, 10); // warm both paths
    idle = await latencies(arena, 30);
    await arena.attacker.deploy("spin", looper("n * 2"), { timeoutMs: 20_000, maxInstances: INSTANCES });
    const spin = Promise.all(Array.from({ length: INSTANCES }, () => arena.attacker.invoke("spin")));
    spinning = await latencies(arena, spin);
    for (const res of await spin) assert.equal(res.status, 200, res.text);
  });
  after(() => arena.close());

  for (const [name, { op, answer }] of Object.entries(OPERATIONS)) {
    it(`${name}: exact answers, recorded; /healthz and a neighbour stay responsive; RSS bounded`, async () => {
      const fn = `loop-${name.replace(/\W/g, "").toLowerCase()}`;
      await arena.attacker.deploy(fn, looper(op), {
        memoryMb: 64,
        timeoutMs: 20_000,
        concurrency: 1,
        maxInstances: INSTANCES,
      });
      const rssBefore = process.memoryUsage().rss;
      const attack = Promise.all(Array.from({ length: INSTANCES }, () => arena.attacker.invoke(fn)));
      const busy = await latencies(arena, attack);
      const results = await attack;
      const rssAfter = process.memoryUsage().rss;
      console.log(
        `${name}: idle /healthz ${idle.health.toFixed(1)} ms, neighbour ${idle.neighbour.toFixed(1)} ms; ` +
          `plain spinning ${spinning.health.toFixed(1)} ms, ${spinning.neighbour.toFixed(1)} ms; under the loops ${busy.health.toFixed(1)} ms, ${busy.neighbour.toFixed(1)} ms (${busy.samples} samples); ` +
          `loops ${results.map((r) => r.body?.n).join("/")}; RSS ${(rssBefore / MiB).toFixed(0)} → ${(rssAfter / MiB).toFixed(0)} MiB`,
      );
      for (const res of results) {
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(res.body.answer, answer);
        const activation = await activationOf(arena, res);
        assert.equal(activation.status, "succeeded");
      }
      const health = Math.max(idle.health, spinning.health, 1);
      const neighbour = Math.max(idle.neighbour, spinning.neighbour, 1);
      assert.ok(
        busy.health <= health * FACTOR,
        `/healthz: ${busy.health.toFixed(1)} ms under the loops, ${health.toFixed(1)} ms without`,
      );
      assert.ok(
        busy.neighbour <= neighbour * FACTOR,
        `neighbour: ${busy.neighbour.toFixed(1)} ms under the loops, ${neighbour.toFixed(1)} ms without`,
      );
      assert.ok(rssAfter - rssBefore < 512 * MiB, "host RSS stays bounded");
    });
  }
});
