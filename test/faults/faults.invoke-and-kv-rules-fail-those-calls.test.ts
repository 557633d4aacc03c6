import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

describe("invoke:<function> and kv rules fail those host calls as a real outage would, and children run clean", () => {
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform();
    await t.deploy(
      "billing",
      `export default async (_e, ctx) => ({ charged: true, kv: (await ctx.kv.get("k")) ?? null })`,
    );
    await t.deploy(
      "order",
      `export default async (_e, ctx) => {
         const out = {};
         try { out.billing = await ctx.invoke("billing", {}); } catch (err) { out.billing = err.code; }
         try { out.kv = (await ctx.kv.get("k")) ?? null; } catch (err) { out.kv = err.code; }
         return out;
       }`,
    );
    await t.call("PUT", "/v1/accounts/default/faults/outage", {
      rules: [
        { target: "invoke:billing", kind: "timeout" },
        { target: "kv", kind: "unavailable" },
      ],
    });
    await t.call("PUT", "/v1/accounts/default/faults/billing-fails", {
      rules: [{ target: "invoke:*", kind: "error" }],
    });
  });
  after(() => t.close());

  const invoke = (profile: string) =>
    t.call(
      "POST",
      "/v1/accounts/default/functions/order/invoke",
      {},
      { headers: { "x-runlet-faults": profile } },
    );

  it("timeout and unavailable reach the function with the codes a real timeout and outage have", async () => {
    const res = await invoke("outage");
    assert.deepEqual(res.body, { billing: "RUNLET_ERR_TIMEOUT", kv: "RUNLET_ERR_UNAVAILABLE" });
    await t.platform.activations.flush();
    const activation = await t.call(
      "GET",
      `/v1/accounts/default/activations/${res.headers.get("x-runlet-activation-id")}`,
    );
    assert.deepEqual(
      activation.body.faults.fired.map((f: { target: string }) => f.target),
      ["invoke:billing", "kv"],
    );
  });

  it("an error rule fails the call; the child was never run, and a child that does run inherits no profile", async () => {
    assert.deepEqual((await invoke("billing-fails")).body, {
      billing: "RUNLET_ERR_FUNCTION_ERROR",
      kv: null,
    });
    // Only the invocation that carries the header is faulted: billing's own kv read, under "outage"'s
    // parent, is not (the profile never propagates to ctx.invoke children).
    await t.call("PUT", "/v1/accounts/default/faults/kv-only", {
      rules: [{ target: "kv", kind: "unavailable" }],
    });
    const res = await invoke("kv-only");
    assert.deepEqual(res.body, { billing: { charged: true, kv: null }, kv: "RUNLET_ERR_UNAVAILABLE" });
  });
});
