import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { freshSchema, type FreshSchema } from "../helpers/postgres.js";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { waitFor } from "../queue/helpers.js";

/** A real webhook receiver: keeps every request's headers and raw body, answers 200. */
async function receiver() {
  const received: { headers: IncomingHttpHeaders; text: string }[] = [];
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString()));
    req.on("end", () => {
      received.push({ headers: req.headers, text });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/budget`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

for (const dialect of ["sqlite", "postgres"] as const) {
  describe(`budget alerts on ${dialect}`, () => {
    let t: TestPlatform;
    let schema: FreshSchema | undefined;
    let hook: Awaited<ReturnType<typeof receiver>>;
    before(async () => {
      hook = await receiver();
      schema = dialect === "postgres" ? await freshSchema() : undefined;
      t = await startPlatform({
        ...(schema ? { databaseUrl: schema.url } : {}),
        // One cost unit per invocation, nothing for GB-seconds: the spend is the invocation count.
        config: { pricing: { perGbSecond: 0, perMillionInvocations: 1_000_000 } },
        // The receiver listens on loopback, which webhooks may not reach unless let through.
        platform: { outbound: { allowPrivate: ["127.0.0.1"] } },
      });
      await t.deploy("spender", "export default async () => 1");
    });
    after(async () => {
      await t.close();
      await hook.close();
      await schema?.drop();
    });

    it("sends one signed webhook per threshold crossed and lists each alert once", async () => {
      const route = "/v1/accounts/default/functions/spender/budget";
      const set = await t.call("PUT", route, { amount: 10, thresholds: [80, 50, 100], webhookUrl: hook.url });
      assert.equal(set.status, 200, set.text);
      assert.deepEqual(set.body.thresholds, [50, 80, 100]);
      const secret = set.body.webhookSecret as string;
      assert.match(secret, /^[0-9a-f]{64}$/);

      // Each GET reads the spend through a flush, which is when thresholds are checked.
      const crossedAt: Record<number, number> = {};
      for (let i = 1; i <= 12; i++) {
        assert.equal((await t.invoke("spender")).status, 200);
        const budget = await t.call("GET", route);
        assert.equal(budget.body.spent, i);
        const alerts = await t.call("GET", "/v1/accounts/default/alerts?function=spender");
        for (const alert of alerts.body.alerts as { threshold: number }[]) crossedAt[alert.threshold] ??= i;
      }
      assert.deepEqual(crossedAt, { 50: 5, 80: 8, 100: 10 });

      const sent = await waitFor("three webhooks", async () => hook.received.length >= 3 && hook.received);
      const bodies = sent.map((r) => JSON.parse(r.text) as { alert: { threshold: number; spent: number } });
      assert.deepEqual(
        bodies.map((b) => [b.alert.threshold, b.alert.spent]).sort((a, b) => a[0]! - b[0]!),
        [
          [50, 5],
          [80, 8],
          [100, 10],
        ],
      );
      for (const { headers, text } of sent) {
        const stamp = String(headers["x-runlet-timestamp"]);
        assert.match(stamp, /^\d+$/);
        const expected = createHmac("sha256", Buffer.from(secret, "hex"))
          .update(`${stamp}.${text}`)
          .digest("hex");
        assert.equal(headers["x-runlet-signature"], `sha256=${expected}`);
      }

      const listed = await waitFor("the deliveries recorded", async () => {
        const res = await t.call("GET", "/v1/accounts/default/alerts");
        const alerts = res.body.alerts as { delivery?: { status: string } }[];
        return alerts.every((a) => a.delivery) && alerts;
      });
      assert.equal(listed.length, 3);
      assert.ok(listed.every((a) => a.delivery?.status === "delivered"));
      assert.equal(hook.received.length, 3);
    });
  });
}
