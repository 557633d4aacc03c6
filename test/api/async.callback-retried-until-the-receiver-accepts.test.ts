import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { fastQueue, invokeAsync, settled, waitFor } from "../queue/helpers.js";

/** A real HTTP receiver that answers 500 to its first `failures` requests, then 200. */
async function receiver(failures: number) {
  const received: { headers: IncomingHttpHeaders; body: any; status: number }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString()));
    req.on("end", () => {
      const status = received.length < failures ? 500 : 200;
      received.push({ headers: req.headers, body: JSON.parse(text), status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("async invoke with X-Callback-Url", () => {
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform({
      config: { queue: fastQueue({ callbackAttempts: 4, callbackRetryMs: 10 }) },
      // The receivers below listen on loopback, which callbacks may not reach unless let through.
      platform: { outbound: { allowPrivate: ["127.0.0.1"] } },
    });
    await t.deploy("hello", "export default async (e) => ({ hello: e.payload.name })");
    await t.deploy("fails", "export default async () => { throw new Error('nope') }", {
      retry: { attempts: 1 },
    });
  });
  after(() => t.close());

  it("POSTs the result once the receiver stops failing, and records how it went", async () => {
    const hook = await receiver(2);
    try {
      const res = await invokeAsync(t, "hello", { name: "Ada" }, { "x-callback-url": hook.url });
      assert.equal(res.status, 202);
      const id = res.body.activationId as string;
      const activation = await settled(t, id, { callback: true });
      assert.deepEqual(
        hook.received.map((r) => r.status),
        [500, 500, 200],
        "failed twice, then delivered once, then no more",
      );
      const ok = hook.received[2]!;
      assert.deepEqual(ok.body, {
        activationId: id,
        status: "succeeded",
        result: { hello: "Ada" },
        error: null,
      });
      assert.equal(ok.headers["x-runlet-activation-id"], id);
      assert.equal(ok.headers["x-runlet-status"], "succeeded");
      assert.equal(activation.callback.status, "delivered");
      assert.equal(activation.callback.attempts, 3);
      assert.equal(activation.callback.url, hook.url);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(hook.received.length, 3, "nothing after the delivery");
    } finally {
      await hook.close();
    }
  });

  it("gives up after the configured attempts and records the failure", async () => {
    const hook = await receiver(100);
    try {
      const id = (await invokeAsync(t, "hello", { name: "Bo" }, { "x-callback-url": hook.url })).body
        .activationId as string;
      const activation = await settled(t, id, { callback: true });
      assert.equal(activation.status, "succeeded");
      assert.equal(activation.callback.status, "failed");
      assert.equal(activation.callback.attempts, 4);
      assert.equal(activation.callback.lastError, "HTTP 500");
      assert.equal(hook.received.length, 4);
    } finally {
      await hook.close();
    }
  });

  it("reports a failed function to the callback, then dead-letters it", async () => {
    const hook = await receiver(0);
    try {
      const id = (await invokeAsync(t, "fails", {}, { "x-callback-url": hook.url })).body
        .activationId as string;
      const activation = await settled(t, id, { callback: true });
      assert.equal(activation.callback.status, "delivered");
      const [call] = hook.received;
      assert.equal(call?.body.status, "function_error");
      assert.equal(call?.body.error.code, "RUNLET_ERR_FUNCTION_ERROR");
      assert.equal(call?.headers["x-runlet-status"], "function_error");
      // The job's move to the dead letters is settled in the worker's next batch (every ~20 ms), which
      // may land just after the activation's callback record.
      await waitFor(`${id} in the dead letters`, async () => {
        const dlq = await t.call("GET", "/v1/accounts/default/dlq");
        return dlq.body.dlq.some((d: { id: string }) => d.id === id);
      });
    } finally {
      await hook.close();
    }
  });

  it("refuses a loopback callback address: a literal at submission (400), a name at delivery, for good", async () => {
    const guarded = await startPlatform({
      config: { queue: fastQueue({ callbackRetryMs: 10 }) },
      platform: { outbound: { resolve: async () => ["127.0.0.1"] } },
    });
    const hook = await receiver(0);
    try {
      await guarded.deploy("hello", "export default async () => 1");
      const literal = await invokeAsync(guarded, "hello", {}, { "x-callback-url": hook.url });
      assert.equal(literal.status, 400, literal.text);
      assert.equal(literal.body.error.code, "RUNLET_ERR_INVALID_CALLBACK_URL");
      assert.match(literal.body.error.message, /127\.0\.0\.1, a loopback address/);
      const byName = hook.url.replace("127.0.0.1", "hooks.example.com");
      const res = await invokeAsync(guarded, "hello", {}, { "x-callback-url": byName });
      assert.equal(res.status, 202, res.text);
      const activation = await settled(guarded, res.body.activationId, { callback: true });
      assert.equal(activation.status, "succeeded");
      assert.equal(activation.callback.status, "failed");
      assert.equal(activation.callback.attempts, 1, "not retried: the address will not become public");
      assert.match(activation.callback.lastError, /loopback/);
      assert.equal(hook.received.length, 0, "nothing reached the receiver");
    } finally {
      await hook.close();
      await guarded.close();
    }
  });
});
