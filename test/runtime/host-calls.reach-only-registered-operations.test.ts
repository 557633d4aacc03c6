import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { HostCallError, HostOps, type Caller } from "../../src/runtime/host-ops.js";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

describe("host calls: the sandbox reaches the host only through registered operations", () => {
  let t: TestPlatform;
  const seen: Caller[] = [];

  before(async () => {
    t = await startPlatform();
  });
  after(() => t.close());

  it("an operation nobody registered is refused with a code that says so", async () => {
    const caller = {
      account: "a",
      function: "f",
      version: 1,
      activationId: "x",
      deadline: 0,
      depth: 0,
      chain: "x",
    };
    await assert.rejects(new HostOps().call({ ...caller, log() {} }, "kv.get", {}), (err: unknown) => {
      assert.ok(err instanceof HostCallError);
      assert.equal(err.code, "RUNLET_ERR_UNSUPPORTED");
      assert.match(err.message, /kv\.get is not available/);
      return true;
    });
  });

  it("the caller is fixed by the host from the activation, with its log and deadline", async () => {
    // Reach the raw binding the way ctx does, through a registered test operation via ctx.invoke's path:
    // ops are looked up by name, so swap "invoke" for the test op in this platform only.
    t.platform.ops.register("invoke", async (caller, args) => {
      const op = (args as { name: string }).name;
      if (op === "fail") throw new HostCallError("RUNLET_ERR_FORBIDDEN", "refused on purpose", "TypeError");
      seen.push(caller);
      caller.log("info", "echoed by the host");
      return { echoed: args, account: caller.account, fn: caller.function, depth: caller.depth };
    });
    await t.deploy(
      "echo",
      `export default async (event, ctx) => {
         const ok = await ctx.invoke("anything", { n: 1 });
         let failed;
         try { await ctx.invoke("fail"); } catch (err) {
           failed = { isTypeError: err instanceof TypeError, code: err.code, message: err.message };
         }
         return { ok, failed };
       }`,
    );
    const res = await t.invoke("echo");
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.ok, {
      echoed: { name: "anything", json: '{"n":1}', options: {} },
      account: t.account,
      fn: "echo",
      depth: 0,
    });
    assert.deepEqual(res.body.failed, {
      isTypeError: true,
      code: "RUNLET_ERR_FORBIDDEN",
      message: "refused on purpose",
    });
    const caller = seen.at(-1)!;
    assert.equal(caller.activationId, res.headers.get("x-runlet-activation-id"));
    assert.ok(caller.deadline > Date.now() - 60_000);
    await t.platform.activations.flush();
    const record = await t.call("GET", `/v1/accounts/${t.account}/activations/${caller.activationId}`);
    assert.ok(record.body.logs.some((line: { msg: string }) => line.msg === "echoed by the host"));
  });
});
