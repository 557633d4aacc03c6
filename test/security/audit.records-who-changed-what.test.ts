import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { OPERATOR_KEY, startPlatform, type TestPlatform } from "../helpers/platform.js";

let t: TestPlatform;

before(async () => {
  t = await startPlatform();
});
after(() => t.close());

it("records creates, deploys, deletes and key changes with the actor, newest first, admin only", async () => {
  const dev = await t.call("POST", "/v1/accounts/default/keys", { name: "dev", role: "developer" });
  assert.equal(dev.status, 201);
  const token = await fetch(`${t.url}/v1/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: dev.body.id,
      client_secret: dev.body.key,
    }),
  }).then((r) => r.json() as Promise<{ access_token: string }>);

  const source = "export default async () => 1";
  assert.equal(
    (await t.call("PUT", "/v1/accounts/default/functions/f1", { source }, { key: dev.body.key })).status,
    201,
  );
  assert.equal(
    (await t.call("POST", "/v1/accounts/default/functions/f1/deploy", {}, { key: token.access_token }))
      .status,
    200,
  );
  assert.equal((await t.invoke("f1")).status, 200); // invocations are not changes, on any path
  assert.equal((await t.call("POST", "/v1/accounts/default/functions/f1/invoke?version=1", {})).status, 200);
  assert.equal((await t.call("POST", "/fn/default/f1/x", {})).status, 200);
  assert.equal((await t.call("POST", "/v1/accounts/default/events/order.created", {})).status, 202);
  assert.equal((await t.call("PUT", "/v1/accounts/default/functions/nope!", { source })).status, 400); // nor a failure
  assert.equal((await t.call("DELETE", "/v1/accounts/default/functions/f1")).status, 204);
  assert.equal((await t.call("DELETE", `/v1/accounts/default/keys/${dev.body.id}`)).status, 204);
  assert.equal((await t.call("POST", "/v1/accounts", { name: "acme" }, { key: OPERATOR_KEY })).status, 201);

  const res = await t.call("GET", "/v1/accounts/default/audit");
  assert.equal(res.status, 200);
  const rows = (res.body.entries as { actor: string; action: string; target: string; detail: unknown }[]).map(
    (e) => [e.action, e.target, e.actor],
  );
  const adminActor = rows[0]![2] as string;
  assert.match(adminActor, /^key:key_/);
  assert.deepEqual(rows, [
    ["key.delete", dev.body.id, adminActor],
    ["function.delete", "f1", adminActor],
    ["function.deploy", "f1", `token:${dev.body.id}`],
    ["function.put", "f1", `key:${dev.body.id}`],
    ["key.create", dev.body.id, adminActor],
  ]);
  assert.deepEqual(res.body.entries[4].detail, { name: "dev", role: "developer" });

  // The operator's account creation is in the new account's log.
  const acme = await t.call("POST", "/v1/accounts", { name: "acme2" }, { key: OPERATOR_KEY });
  const acmeLog = await t.call("GET", "/v1/accounts/acme2/audit", undefined, { key: acme.body.adminKey.key });
  assert.deepEqual(
    acmeLog.body.entries.map((e: { action: string; actor: string }) => [e.action, e.actor]),
    [["account.create", "operator"]],
  );

  // Paging: limit and next.
  const page = await t.call("GET", "/v1/accounts/default/audit?limit=2");
  assert.equal(page.body.entries.length, 2);
  const rest = await t.call("GET", `/v1/accounts/default/audit?limit=10&before=${page.body.next}`);
  assert.equal(rest.body.entries.length, 3);
  assert.equal(rest.body.next, undefined);
});

it("names kv entries and secrets by namespace/key and name, never recording a value", async () => {
  assert.equal((await t.call("PUT", "/v1/accounts/default/kv/ns/a/b", { v: "kv-value" })).status < 300, true);
  assert.equal(
    (await t.call("PUT", "/v1/accounts/default/secrets/TOKEN", { value: "s3cret-value" })).status < 300,
    true,
  );
  const res = await t.call("GET", "/v1/accounts/default/audit?limit=2");
  assert.deepEqual(
    res.body.entries.map((e: { action: string; target: string }) => [e.action, e.target]),
    [
      ["secret.put", "TOKEN"],
      ["kv.put", "ns/a/b"],
    ],
  );
  assert.ok(!res.text.includes("s3cret-value") && !res.text.includes("kv-value"));
});

it("is readable by admins of the account only", async () => {
  const dev = await t.call("POST", "/v1/accounts/default/keys", { name: "dev2", role: "developer" });
  const denied = await t.call("GET", "/v1/accounts/default/audit", undefined, { key: dev.body.key });
  assert.equal(denied.status, 403);
  assert.equal(denied.body.error.code, "RUNLET_ERR_FORBIDDEN");
  const other = await t.call("POST", "/v1/accounts", { name: "other" }, { key: OPERATOR_KEY });
  const cross = await t.call("GET", "/v1/accounts/default/audit", undefined, {
    key: other.body.adminKey.key,
  });
  assert.equal(cross.status, 403);
});
