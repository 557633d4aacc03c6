import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { TokenIssuer } from "../../src/security/tokens.js";
import { OPERATOR_KEY, startPlatform, type TestPlatform } from "../helpers/platform.js";

let t: TestPlatform;
let developer: { id: string; key: string };

async function token(body: string | Record<string, string>, headers: Record<string, string> = {}) {
  const form = typeof body === "string" ? body : new URLSearchParams(body).toString();
  const res = await fetch(`${t.url}/v1/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: form,
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

before(async () => {
  t = await startPlatform({ config: { access: { tokenTtlSeconds: 60, tokenRotateHours: 0 } } });
  await t.deploy("hello", "export default async (e) => ({ hi: e.payload.name })");
  const res = await t.call("POST", "/v1/accounts/default/keys", { name: "ci", role: "developer" });
  developer = { id: res.body.id, key: res.body.key };
});
after(() => t.close());

it("issues a short-lived JWT for a key's id and secret in the form body, scoped to the key's role", async () => {
  const res = await token({
    grant_type: "client_credentials",
    client_id: developer.id,
    client_secret: developer.key,
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("cache-control"), "no-store");
  assert.equal(res.body.token_type, "Bearer");
  assert.equal(res.body.expires_in, 60);
  assert.equal(res.body.scope, "developer");
  const claims = decodeJwt(res.body.access_token as string);
  assert.equal(claims.sub, developer.id);
  assert.equal(claims.account, "default");
  assert.equal(claims.scope, "developer");
  assert.equal(claims.exp! - claims.iat!, 60);
  assert.match(String(decodeProtectedHeader(res.body.access_token as string).kid), /^sk_/);

  // Accepted as a bearer token on the Fastify routes and the fast invoke path alike.
  const bearer = res.body.access_token as string;
  assert.equal(
    (await t.call("GET", "/v1/accounts/default/functions", undefined, { key: bearer })).status,
    200,
  );
  const invoked = await t.invoke("hello", { name: "Ada" }, { key: bearer });
  assert.deepEqual(invoked.body, { hi: "Ada" });
  // ...with the key's role, no more: keys are admin-only.
  const keys = await t.call("GET", "/v1/accounts/default/keys", undefined, { key: bearer });
  assert.equal(keys.status, 403);
  assert.equal(keys.body.error.code, "RUNLET_ERR_FORBIDDEN");
});

it("takes HTTP Basic credentials and a narrower scope", async () => {
  const basic = Buffer.from(`${developer.id}:${encodeURIComponent(developer.key)}`).toString("base64");
  const res = await token(
    { grant_type: "client_credentials", scope: "invoker" },
    { authorization: `Basic ${basic}` },
  );
  assert.equal(res.status, 200);
  assert.equal(res.body.scope, "invoker");
  const list = await t.call("GET", "/v1/accounts/default/functions", undefined, {
    key: res.body.access_token as string,
  });
  assert.equal(list.status, 403);
});

it("answers RFC 6749 errors with the Runlet code", async () => {
  const cases: [string | Record<string, string>, Record<string, string>, number, string, string][] = [
    [
      { grant_type: "password", client_id: developer.id, client_secret: developer.key },
      {},
      400,
      "unsupported_grant_type",
      "RUNLET_ERR_OAUTH_UNSUPPORTED_GRANT",
    ],
    [
      { client_id: developer.id, client_secret: developer.key },
      {},
      400,
      "invalid_request",
      "RUNLET_ERR_OAUTH_INVALID_REQUEST",
    ],
    [{ grant_type: "client_credentials" }, {}, 400, "invalid_request", "RUNLET_ERR_OAUTH_INVALID_REQUEST"],
    [
      { grant_type: "client_credentials", client_id: developer.id, client_secret: "rlk_wrong" },
      {},
      401,
      "invalid_client",
      "RUNLET_ERR_OAUTH_INVALID_CLIENT",
    ],
    [
      { grant_type: "client_credentials", client_id: "key_other", client_secret: developer.key },
      {},
      401,
      "invalid_client",
      "RUNLET_ERR_OAUTH_INVALID_CLIENT",
    ],
    [
      {
        grant_type: "client_credentials",
        client_id: developer.id,
        client_secret: developer.key,
        scope: "admin",
      },
      {},
      400,
      "invalid_scope",
      "RUNLET_ERR_OAUTH_INVALID_SCOPE",
    ],
    ["%%%", {}, 400, "invalid_request", "RUNLET_ERR_OAUTH_INVALID_REQUEST"],
  ];
  for (const [body, headers, status, error, code] of cases) {
    const res = await token(body, headers);
    assert.equal(res.status, status, JSON.stringify(body));
    assert.equal(res.body.error, error, JSON.stringify(body));
    assert.equal(res.body.code, code, JSON.stringify(body));
    assert.equal(typeof res.body.error_description, "string");
  }
  const basic = await token(
    { grant_type: "client_credentials" },
    { authorization: `Basic ${Buffer.from("key_x:nope").toString("base64")}` },
  );
  assert.equal(basic.status, 401);
  assert.equal(basic.headers.get("www-authenticate"), 'Basic realm="runlet"');
});

it("rejects tampered tokens and keeps tokens of a rotated signing key valid", async () => {
  const res = await token({
    grant_type: "client_credentials",
    client_id: developer.id,
    client_secret: developer.key,
  });
  const old = res.body.access_token as string;
  const [h, p, s] = old.split(".");
  const forged = Buffer.from(
    JSON.stringify({ ...decodeJwt(old), account: "other", scope: "admin" }),
  ).toString("base64url");
  const tampered = await t.call("GET", "/v1/accounts/default/functions", undefined, {
    key: `${h}.${forged}.${s}`,
  });
  assert.equal(tampered.status, 401);
  assert.equal(tampered.body.error.code, "RUNLET_ERR_UNAUTHENTICATED");
  void p;

  const denied = await t.call("POST", "/v1/oauth/keys/rotate", undefined, { key: developer.key });
  assert.equal(denied.status, 403);
  const rotated = await t.call("POST", "/v1/oauth/keys/rotate", undefined, { key: OPERATOR_KEY });
  assert.equal(rotated.status, 201);
  const fresh = await token({
    grant_type: "client_credentials",
    client_id: developer.id,
    client_secret: developer.key,
  });
  const freshKid = decodeProtectedHeader(fresh.body.access_token as string).kid;
  assert.equal(freshKid, rotated.body.kid);
  assert.notEqual(decodeProtectedHeader(old).kid, freshKid);
  for (const bearer of [old, fresh.body.access_token as string]) {
    assert.equal(
      (await t.call("GET", "/v1/accounts/default/functions", undefined, { key: bearer })).status,
      200,
    );
  }
});

it("stops accepting a key's tokens once the key is revoked", async () => {
  const res = await token({
    grant_type: "client_credentials",
    client_id: developer.id,
    client_secret: developer.key,
  });
  const bearer = res.body.access_token as string;
  assert.equal((await t.invoke("hello", {}, { key: bearer })).status, 200);
  assert.equal((await t.call("DELETE", `/v1/accounts/default/keys/${developer.id}`)).status, 204);
  const after = await t.invoke("hello", {}, { key: bearer });
  assert.equal(after.status, 401);
  assert.equal(after.body.error.code, "RUNLET_ERR_UNAUTHENTICATED");
  assert.match(after.body.error.message, /revoked/);
  const again = await token({
    grant_type: "client_credentials",
    client_id: developer.id,
    client_secret: developer.key,
  });
  assert.equal(again.status, 401);
});

it("a retired signing key stops verifying once its tokens could have expired; tokens signed under another master key never verify", async () => {
  const root = Buffer.alloc(32, 7);
  const issuer = new TokenIssuer(t.platform.store, root, { ttlSeconds: 60, rotateAfterMs: 0 });
  const { token } = await issuer.issue({ account: "default", role: "admin", keyId: developer.id });
  assert.equal((await issuer.verify(token)).keyId, developer.id);
  // A newer key that took over two TTLs ago: the old key's tokens have all expired by now.
  const past = Date.now() - 120_000;
  await t.platform.store.signingKeys.rotate({
    kid: "sk_newer",
    salt: "salt",
    createdAt: past,
    retiredAt: null,
  });
  const fresh = new TokenIssuer(t.platform.store, root, { ttlSeconds: 60, rotateAfterMs: 0 });
  await assert.rejects(fresh.verify(token), { code: "RUNLET_ERR_UNAUTHENTICATED" });
  // The same claims under another root key (another installation) do not verify here.
  const other = new TokenIssuer(t.platform.store, Buffer.alloc(32, 8), { ttlSeconds: 60, rotateAfterMs: 0 });
  const foreign = await other.issue({ account: "default", role: "admin", keyId: developer.id });
  await assert.rejects(fresh.verify(foreign.token), { code: "RUNLET_ERR_UNAUTHENTICATED" });
});
