import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { SharedCounters } from "../../src/model/counters.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The behaviour every SharedCounters has (in process, SQLite, PostgreSQL). Each test uses keys and holders
 * of its own, so implementations shared between files never see each other's counts.
 */
export function countersContract(
  name: string,
  open: () => Promise<{ counters: SharedCounters; close(): Promise<void> }>,
) {
  describe(`shared counters contract: ${name}`, () => {
    let opened: { counters: SharedCounters; close(): Promise<void> } | undefined;
    const c = (): SharedCounters => {
      if (!opened) throw new Error("the counters did not open (see the before hook's error)");
      return opened.counters;
    };
    before(async () => {
      opened = await open();
    });
    after(() => opened?.close());
    const key = () => `k-${randomBytes(4).toString("hex")}`;

    it("grants what fits under the limit across holders, partly when only part fits", async () => {
      const k = key();
      assert.equal(await c().take(k, "a", 5, 10), 5);
      assert.equal(await c().take(k, "b", 10, 10), 5, "only what was left");
      assert.equal(await c().take(k, "a", 1, 10), 0, "none left");
      assert.equal(await c().total(k), 10);
      await c().give(k, "a", 3);
      assert.equal(await c().total(k), 7);
      assert.equal(await c().take(k, "b", 5, 10), 3);
      await c().give(k, "a", 100);
      assert.equal(await c().total(k), 8, "a share never goes below 0");
      assert.equal(await c().take(key(), "a", 1_000_000, 0), 1_000_000, "0 is no limit");
    });

    it("never passes the limit under concurrent takes from many holders", async () => {
      const k = key();
      const granted = await Promise.all(
        Array.from({ length: 60 }, (_, i) => c().take(k, `h${i % 6}`, 1 + (i % 3), 50)),
      );
      assert.equal(
        granted.reduce((a, b) => a + b, 0),
        50,
      );
      assert.equal(await c().total(k), 50);
    });

    it("counts an expiring share only while its holder renews it", async () => {
      const k = key();
      assert.equal(await c().take(k, "dies", 6, 10, 300), 6);
      assert.equal(await c().take(k, "lives", 2, 10, 1000), 2);
      assert.equal(await c().take(k, "other", 5, 10), 2, "the live shares hold 8");
      await c().touch("lives", 60_000);
      await sleep(1100);
      assert.equal(await c().total(k), 4, "the dead holder's 6 are free again; the renewed 2 count");
      assert.equal(await c().take(k, "new", 10, 10), 6);
      assert.ok((await c().prune()) >= 1, "the expired share is forgotten");
      assert.equal(await c().total(k), 10);
      assert.equal(
        await c().take(k, "dies", 3, 0, 60_000),
        3,
        "a share taken again after expiry starts over",
      );
      assert.equal(await c().total(k), 13);
    });

    it("seeds a counter's base once", async () => {
      const k = key();
      await c().seed(k, 8);
      await c().seed(k, 100);
      assert.equal(await c().total(k), 8);
      assert.equal(await c().take(k, "a", 5, 10), 2);
    });
  });
}
