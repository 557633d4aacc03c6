import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { fastQueue, invokeAsync } from "../queue/helpers.js";

describe("GET …/traces/{id}: an async invocation's callback shows on its node", () => {
  let t: TestPlatform;
  let hookUrl = "";
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received += 1;
      res.writeHead(200).end();
    });
  });
  before(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    t = await startPlatform({
      config: { queue: fastQueue({ callbackRetryMs: 10 }) },
      // The receiver listens on loopback, which callbacks may not reach unless let through.
      platform: { outbound: { allowPrivate: ["127.0.0.1"] } },
    });
    await t.deploy("caller", `export default async (event, ctx) => ctx.invoke("worker", {})`);
    await t.deploy("worker", `export default async () => "done"`);
  });
  after(async () => {
    await t.close();
    await new Promise((r) => server.close(r));
  });

  it("caller (queued, callback delivered) → worker", async () => {
    const res = await invokeAsync(t, "caller", {}, { "x-callback-url": hookUrl });
    assert.equal(res.status, 202, res.text);
    const id = res.body.activationId as string;
    let root;
    for (;;) {
      root = (await t.call("GET", `/v1/accounts/${t.account}/traces/${id}`)).body.roots?.[0];
      if (root?.callback?.status === "delivered") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(received, 1);
    assert.equal(root.id, id);
    assert.equal(root.trigger, "http");
    assert.equal(root.status, "succeeded");
    assert.equal(root.callback.url, hookUrl);
    assert.equal(root.callback.attempts, 1);
    assert.ok(root.queuedMs >= 0);
    assert.deepEqual(
      root.children.map((c: { function: string }) => c.function),
      ["worker"],
    );
  });
});
