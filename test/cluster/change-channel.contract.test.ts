import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { after, describe, it } from "node:test";
import { connect } from "nats";
import pino from "pino";
import { ChangeHub, type ChangeChannel } from "../../src/cluster/changes.js";
import { changesSubject, NatsChanges } from "../../src/cluster/nats-changes.js";
import type { Change } from "../../src/model/change.js";

const NATS_URL = process.env.RUNLET_TEST_NATS_URL ?? "nats://127.0.0.1:4222";
const log = pino({ level: "silent" });

/** Resolves with the first `count` changes the channel hears; rejects after `ms` (never hangs). */
function collect(channel: ChangeChannel, count: number, ms = 10_000): Promise<Change[]> {
  const heard: Change[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`heard ${JSON.stringify(heard)} only`)), ms);
    channel.subscribe((change) => {
      heard.push(change);
      if (heard.length === count) {
        clearTimeout(timer);
        resolve(heard);
      }
    });
  });
}

const CHANGES: Change[] = [
  { kind: "function", account: "acme", name: "hello" },
  { kind: "account", account: "acme" },
  { kind: "keys", account: "acme" },
  { kind: "allowlist", account: "acme" },
  { kind: "quotas", account: "acme" },
  { kind: "signing-keys" },
];

/** The same contract for every transport: what one node publishes, every other node hears, in order. */
function contract(name: string, open: () => Promise<ChangeChannel[]>) {
  describe(`change channel contract: ${name}`, () => {
    it("every other node hears each change, in order; the publisher never hears its own", async () => {
      const [a, b, c] = await open();
      try {
        const own: Change[] = [];
        a!.subscribe((change) => own.push(change));
        const atB = collect(b!, CHANGES.length);
        const atC = collect(c!, CHANGES.length);
        for (const change of CHANGES) a!.publish(change);
        assert.deepEqual(await atB, CHANGES);
        assert.deepEqual(await atC, CHANGES);
        // A round trip from b to a after a's changes: had a heard its own, they would be there by now.
        const back = collect(a!, 1);
        b!.publish({ kind: "keys", account: "other" });
        assert.deepEqual(await back, [{ kind: "keys", account: "other" }]);
        assert.deepEqual(own, [{ kind: "keys", account: "other" }]);
        assert.equal(a!.state().live, true);
      } finally {
        await Promise.all([a, b, c].map((ch) => ch!.close()));
      }
    });

    it("a closed node hears nothing more and its publishes go nowhere", async () => {
      const [a, b, c] = await open();
      await c!.close();
      const heard: Change[] = [];
      b!.subscribe((change) => heard.push(change));
      await b!.close();
      a!.publish({ kind: "quotas", account: "acme" });
      b!.publish({ kind: "quotas", account: "acme" });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await a!.close();
      assert.deepEqual(heard, []);
    });
  });
}

contract("in-process hub (embedded mode)", async () => {
  const hub = new ChangeHub();
  return [hub.join(), hub.join(), hub.join()];
});

contract("NATS core pub/sub (cluster mode)", () => {
  const cluster = randomBytes(8).toString("hex");
  return Promise.all([1, 2, 3].map(() => NatsChanges.connect(NATS_URL, cluster, log)));
});

describe("NATS channel: hostile and lost", () => {
  it("messages that are not changes (bad JSON, unknown kinds, odd names, oversized) and other clusters' changes are ignored", async () => {
    const cluster = randomBytes(8).toString("hex");
    const channel = await NatsChanges.connect(NATS_URL, cluster, log);
    const other = await NatsChanges.connect(NATS_URL, randomBytes(8).toString("hex"), log);
    const raw = await connect({ servers: NATS_URL });
    try {
      const heard = collect(channel, 1);
      const enc = new TextEncoder();
      for (const bad of [
        "not json",
        "null",
        JSON.stringify({ kind: "drop-tables" }),
        JSON.stringify({ kind: "function", account: "acme" }),
        JSON.stringify({ kind: "function", account: "a/../b", name: "x" }),
        JSON.stringify({ kind: "keys", account: { toString: 1 } }),
        JSON.stringify({ kind: "allowlist", account: "x".repeat(5000) }),
      ])
        raw.publish(changesSubject(cluster), enc.encode(bad));
      // Another cluster on the same NATS is never heard.
      other.publish({ kind: "quotas", account: "elsewhere" });
      raw.publish(
        changesSubject(cluster),
        enc.encode(JSON.stringify({ kind: "allowlist", account: "acme" })),
      );
      assert.deepEqual(await heard, [{ kind: "allowlist", account: "acme" }]);
    } finally {
      await raw.close();
      await other.close();
      await channel.close();
    }
  });

  describe("a node that loses NATS says so, and drops every cache when it is back", () => {
    let server: ChildProcess | undefined;
    after(() => void server?.kill("SIGKILL"));

    it("live goes false on loss and true on return, with an `everything` change", async () => {
      const port = await freePort();
      const start = async () => {
        const proc = spawn("nats-server", ["-a", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
        server = proc;
        await waitFor(async () => {
          const nc = await connect({ servers: `nats://127.0.0.1:${port}` }).catch(() => undefined);
          await nc?.close();
          return nc !== undefined;
        });
        return proc;
      };
      let proc = await start();
      const lines: string[] = [];
      const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
      const channel = await NatsChanges.connect(`nats://127.0.0.1:${port}`, "lost", logger);
      try {
        assert.equal(channel.state().live, true);
        const everything = collect(channel, 1, 30_000);
        proc.kill("SIGKILL");
        await new Promise((resolve) => proc.once("exit", resolve));
        await waitFor(async () => !channel.state().live);
        assert.equal(channel.state().transport, "nats");
        assert.ok(
          lines.some((l) => /lost NATS.*by polling/.test(l)),
          lines.join("\n"),
        );
        proc = await start();
        assert.deepEqual(await everything, [{ kind: "everything" }]);
        assert.equal(channel.state().live, true);
        assert.ok(
          lines.some((l) => /NATS is back/.test(l)),
          lines.join("\n"),
        );
      } finally {
        await channel.close();
        proc.kill("SIGKILL");
      }
    });
  });
});

async function waitFor(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}
