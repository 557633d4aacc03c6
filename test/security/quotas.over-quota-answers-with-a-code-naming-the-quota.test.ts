import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { OPERATOR_KEY, startPlatform, type TestPlatform } from "../helpers/platform.js";

let t: TestPlatform;
let acme: string; // admin key of account "acme"

async function setQuotas(account: string, quotas: Record<string, number | null>) {
  const res = await t.call("PATCH", `/v1/accounts/${account}`, { quotas }, { key: OPERATOR_KEY });
  assert.equal(res.status, 200, res.text);
  return res.body;
}

function acmeCall(method: string, route: string, body?: unknown) {
  return t.call(method, `/v1/accounts/acme${route}`, body, { key: acme });
}

async function deployAcme(name: string, source: string, config: Record<string, unknown> = {}) {
  const res = await acmeCall("PUT", `/functions/${name}?deploy=true`, { source, ...config });
  assert.ok(res.status === 201 || res.status === 200, res.text);
}

before(async () => {
  t = await startPlatform({ config: { access: { quotaFlushMs: 60_000 } } });
  acme = (await t.call("POST", "/v1/accounts", { name: "acme" }, { key: OPERATOR_KEY })).body.adminKey.key;
});
after(() => t.close());

it("only the operator sets quotas; bad values get 400", async () => {
  const denied = await t.call("PATCH", "/v1/accounts/acme", { quotas: { functions: 5 } }, { key: acme });
  assert.equal(denied.status, 403);
  assert.equal(denied.body.error.code, "RUNLET_ERR_FORBIDDEN");
  const bad = await t.call(
    "PATCH",
    "/v1/accounts/acme",
    { quotas: { functions: -1 } },
    { key: OPERATOR_KEY },
  );
  assert.equal(bad.status, 400);
  const unknown = await t.call("PATCH", "/v1/accounts/acme", { quotas: { cpus: 1 } }, { key: OPERATOR_KEY });
  assert.equal(unknown.status, 400);
  const missing = await t.call("PATCH", "/v1/accounts/nobody", { quotas: {} }, { key: OPERATOR_KEY });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, "RUNLET_ERR_ACCOUNT_NOT_FOUND");
});

it("refuses a function past the function quota with 403 RUNLET_ERR_QUOTA_FUNCTIONS; updates still work", async () => {
  await setQuotas("acme", { functions: 1 });
  await deployAcme("one", "export default async () => 1");
  const second = await acmeCall("PUT", "/functions/two", { source: "export default async () => 2" });
  assert.equal(second.status, 403);
  assert.equal(second.body.error.code, "RUNLET_ERR_QUOTA_FUNCTIONS");
  assert.match(second.body.error.message, /quota \(1\)/);
  await deployAcme("one", "export default async () => 11");
  // Another account is not affected.
  assert.equal((await t.deploy("two", "export default async () => 2")).status, 201);
  await setQuotas("acme", { functions: null });
  const quotas = await acmeCall("GET", "/quotas");
  assert.equal(quotas.body.quotas.functions, 1000);
  assert.equal(quotas.body.usage.functions, 1);
});

it("refuses a payload over the payload quota with 413 on both invoke paths", async () => {
  await deployAcme("echo", "export default async (e) => e.payload");
  await setQuotas("acme", { payloadBytes: 100 });
  const big = { data: "x".repeat(200) };
  for (const route of ["/functions/echo/invoke", "/functions/echo/invoke?version=1"]) {
    const res = await acmeCall("POST", route, big);
    assert.equal(res.status, 413, route);
    assert.equal(res.body.error.code, "RUNLET_ERR_QUOTA_PAYLOAD", route);
  }
  assert.deepEqual((await acmeCall("POST", "/functions/echo/invoke", { a: 1 })).body, { a: 1 });
  await setQuotas("acme", { payloadBytes: null });
});

it("refuses invocations past the monthly quota with 429 RUNLET_ERR_QUOTA_INVOCATIONS and Retry-After", async () => {
  await deployAcme("count", "export default async () => 'ok'");
  const used = (await acmeCall("GET", "/quotas")).body.usage.invocations as number;
  await setQuotas("acme", { invocationsPerMonth: used + 2 });
  assert.equal((await acmeCall("POST", "/functions/count/invoke", {})).status, 200);
  assert.equal((await acmeCall("POST", "/functions/count/invoke", {})).status, 200);
  const over = await acmeCall("POST", "/functions/count/invoke", {});
  assert.equal(over.status, 429);
  assert.equal(over.body.error.code, "RUNLET_ERR_QUOTA_INVOCATIONS");
  assert.ok(Number(over.headers.get("retry-after")) >= 1);
  // The refusal is recorded as a rejected activation.
  const activation = await acmeCall("GET", `/activations/${over.body.error.activationId}`);
  assert.equal(activation.body.status, "rejected");
  // Counts reach the shared counters (what other nodes read) and survive a flush.
  await t.platform.quotas.flush();
  assert.equal(
    (await t.platform.store.quotas.usage("acme", new Date().toISOString().slice(0, 7))).invocations,
    used + 2,
  );
  // The default account is not affected.
  await t.deploy("free", "export default async () => 'ok'");
  assert.equal((await t.invoke("free")).status, 200);
  await setQuotas("acme", { invocationsPerMonth: 0 });
  assert.equal((await acmeCall("POST", "/functions/count/invoke", {})).status, 200);
});

it("refuses invocations once the month's log bytes are used, with 429 RUNLET_ERR_QUOTA_LOGS", async () => {
  await deployAcme("chatty", "export default async () => { console.log('y'.repeat(100)); return 1 }");
  await t.platform.quotas.flush();
  const used = (await acmeCall("GET", "/quotas")).body.usage.logBytes as number;
  await setQuotas("acme", { logBytesPerMonth: used + 50 });
  assert.equal((await acmeCall("POST", "/functions/chatty/invoke", {})).status, 200);
  const over = await acmeCall("POST", "/functions/chatty/invoke", {});
  assert.equal(over.status, 429);
  assert.equal(over.body.error.code, "RUNLET_ERR_QUOTA_LOGS");
  await setQuotas("acme", { logBytesPerMonth: null });
});

it("refuses invocations past the concurrency quota with 429 RUNLET_ERR_QUOTA_CONCURRENCY", async () => {
  await deployAcme(
    "slow",
    "export default async () => { await new Promise((r) => setTimeout(r, 1500)); return 'done' }",
    {
      concurrency: 10,
    },
  );
  await setQuotas("acme", { concurrent: 1 });
  const first = acmeCall("POST", "/functions/slow/invoke", {});
  // Wait until the first is admitted (no timing guess: read the in-flight count).
  while ((await t.platform.quotas.usage("acme")).inFlight < 1) await new Promise((r) => setImmediate(r));
  const second = await acmeCall("POST", "/functions/slow/invoke", {});
  assert.equal(second.status, 429);
  assert.equal(second.body.error.code, "RUNLET_ERR_QUOTA_CONCURRENCY");
  assert.equal(second.headers.get("retry-after"), "1");
  assert.equal((await first).status, 200);
  assert.equal((await t.platform.quotas.usage("acme")).inFlight, 0);
  await setQuotas("acme", { concurrent: null });
});

it("an invocation refused after admission (every instance busy) is not counted against the month", async () => {
  const quotas = t.platform.quotas;
  const before = (await quotas.usage("acme")).invocations;
  assert.equal(await quotas.admit("acme", "act_refused"), undefined);
  assert.equal((await quotas.usage("acme")).inFlight, 1);
  quotas.finished({ id: "act_refused", account: "acme", status: "rejected", logs: [] } as never);
  assert.deepEqual(await quotas.usage("acme"), {
    invocations: before,
    logBytes: (await quotas.usage("acme")).logBytes,
    inFlight: 0,
  });
  assert.equal(await quotas.admit("acme", "act_ran"), undefined);
  quotas.finished({ id: "act_ran", account: "acme", status: "succeeded", logs: [] } as never);
  assert.equal((await quotas.usage("acme")).invocations, before + 1);
});
