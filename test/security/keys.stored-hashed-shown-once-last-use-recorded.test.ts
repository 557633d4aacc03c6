import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

let t: TestPlatform;

before(async () => {
  t = await startPlatform();
});
after(() => t.close());

it("a key is shown once, stored as its SHA-256 hash, and its last use is recorded (also through its tokens)", async () => {
  const created = await t.call("POST", "/v1/accounts/default/keys", { name: "svc", role: "developer" });
  assert.equal(created.status, 201);
  const { id, key } = created.body as { id: string; key: string };
  assert.match(key, /^rlk_[A-Za-z0-9_-]{32}$/);

  const stored = (await t.platform.store.keys.list("default")).find((k) => k.id === id)!;
  assert.equal(stored.hash, createHash("sha256").update(key).digest("hex"));
  assert.ok(!JSON.stringify(stored).includes(key), "the key itself is not stored");

  const listed = await t.call("GET", "/v1/accounts/default/keys");
  const view = listed.body.keys.find((k: { id: string }) => k.id === id);
  assert.deepEqual(Object.keys(view).sort(), ["createdAt", "id", "lastUsedAt", "name", "revokedAt", "role"]);
  assert.equal(view.lastUsedAt, null);
  assert.ok(!listed.text.includes(key));

  assert.equal((await t.call("GET", "/v1/accounts/default/functions", undefined, { key })).status, 200);
  await t.platform.auth.flushUsage();
  const used = (await t.platform.store.keys.list("default")).find((k) => k.id === id)!;
  assert.ok(used.lastUsedAt !== null && used.lastUsedAt >= stored.createdAt);

  await t.platform.store.keys.touch(id, 1);
  const token = await fetch(`${t.url}/v1/oauth/token`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${id}:${key}`).toString("base64")}` },
    body: new URLSearchParams({ grant_type: "client_credentials" }),
  }).then((r) => r.json() as Promise<{ access_token: string }>);
  assert.equal(
    (await t.call("GET", "/v1/accounts/default/whoami", undefined, { key: token.access_token })).body.via,
    "token",
  );
  await t.platform.auth.flushUsage();
  assert.ok((await t.platform.store.keys.list("default")).find((k) => k.id === id)!.lastUsedAt! > 1);
});
