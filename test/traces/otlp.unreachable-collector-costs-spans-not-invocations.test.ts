import assert from "node:assert/strict";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { startPlatform } from "../helpers/platform.js";

test("RUNLET_OTLP_ENDPOINT pointing at nothing: invocations answer and the platform closes cleanly", async () => {
  // A port that was free a moment ago: nothing listens on it.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));

  process.env.OTEL_BSP_SCHEDULE_DELAY = "20"; // export (and fail) while the test still runs
  const t = await startPlatform({ config: { otlpEndpoint: `http://127.0.0.1:${port}` } });
  try {
    await t.deploy("hello", `export default async (event, ctx) => ctx.invoke("leaf", {})`);
    await t.deploy("leaf", `export default async () => "leaf"`);
    for (let i = 0; i < 20; i++) {
      const res = await t.invoke("hello", {});
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body, "leaf");
    }
    await new Promise((r) => setTimeout(r, 100));
    const after = await t.invoke("hello", {});
    assert.equal(after.status, 200, "still answering once exports have failed");
  } finally {
    await t.close();
  }
});
