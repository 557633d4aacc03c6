import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

describe("bad requests get the right status and an error code", () => {
  let t: TestPlatform;
  let developerKey: string;
  let invokerKey: string;
  before(async () => {
    t = await startPlatform();
    await t.deploy("echo", `export default async (e) => e.payload`);
    developerKey = (await t.call("POST", "/v1/accounts/default/keys", { name: "dev", role: "developer" }))
      .body.key;
    invokerKey = (await t.call("POST", "/v1/accounts/default/keys", { name: "inv", role: "invoker" })).body
      .key;
  });
  after(() => t.close());

  function assertError(
    res: { status: number; body: { error: { code: string; message: string } } },
    status: number,
    code: string,
  ) {
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal(res.body.error.code, code);
    assert.ok(res.body.error.message.length > 10, "the message says what to do");
  }

  it("no key → 401, unknown key → 401", async () => {
    assertError(await t.invoke("echo", {}, { key: null }), 401, "RUNLET_ERR_UNAUTHENTICATED");
    assertError(await t.invoke("echo", {}, { key: "rlk_not-a-real-key" }), 401, "RUNLET_ERR_UNAUTHENTICATED");
    assertError(
      await t.call("GET", "/v1/accounts/default/functions", undefined, {
        headers: { authorization: "Basic abc" },
        key: null,
      }),
      401,
      "RUNLET_ERR_UNAUTHENTICATED",
    );
  });

  it("wrong role → 403: an invoker may invoke but not deploy or read; a developer may not manage keys", async () => {
    assert.equal((await t.invoke("echo", { a: 1 }, { key: invokerKey })).status, 200);
    assertError(
      await t.call(
        "PUT",
        "/v1/accounts/default/functions/x",
        { source: "export default async () => 1" },
        { key: invokerKey },
      ),
      403,
      "RUNLET_ERR_FORBIDDEN",
    );
    assertError(
      await t.call("GET", "/v1/accounts/default/activations", undefined, { key: invokerKey }),
      403,
      "RUNLET_ERR_FORBIDDEN",
    );
    assert.equal(
      (await t.call("GET", "/v1/accounts/default/functions", undefined, { key: developerKey })).status,
      200,
    );
    assertError(
      await t.call("POST", "/v1/accounts/default/keys", { name: "x", role: "admin" }, { key: developerKey }),
      403,
      "RUNLET_ERR_FORBIDDEN",
    );
  });

  it("a revoked key stops working", async () => {
    const created = await t.call("POST", "/v1/accounts/default/keys", { name: "temp", role: "invoker" });
    assert.equal((await t.invoke("echo", {}, { key: created.body.key })).status, 200);
    assert.equal((await t.call("DELETE", `/v1/accounts/default/keys/${created.body.id}`)).status, 204);
    assertError(await t.invoke("echo", {}, { key: created.body.key }), 401, "RUNLET_ERR_UNAUTHENTICATED");
    assertError(
      await t.call("DELETE", `/v1/accounts/default/keys/${created.body.id}`),
      404,
      "RUNLET_ERR_KEY_NOT_FOUND",
    );
  });

  it("unknown function → 404, unknown account → 404, unknown route → 404", async () => {
    assertError(await t.invoke("nope"), 404, "RUNLET_ERR_FUNCTION_NOT_FOUND");
    assertError(
      await t.call("GET", "/v1/accounts/default/functions/nope"),
      404,
      "RUNLET_ERR_FUNCTION_NOT_FOUND",
    );
    assertError(
      await t.call("POST", "/v1/accounts/ghost/functions/echo/invoke", {}),
      404,
      "RUNLET_ERR_ACCOUNT_NOT_FOUND",
    );
    assertError(
      await t.call("GET", "/fn/ghost/echo", undefined, { key: null }),
      404,
      "RUNLET_ERR_ACCOUNT_NOT_FOUND",
    );
    assertError(await t.call("GET", "/v1/nothing-here"), 404, "RUNLET_ERR_ROUTE_NOT_FOUND");
    assertError(
      await t.call("GET", "/v1/accounts/default/activations/act_missing"),
      404,
      "RUNLET_ERR_ACTIVATION_NOT_FOUND",
    );
  });

  it("a key of another account → 403", async () => {
    await t.platform.store.accounts.create({ name: "other", createdAt: Date.now() });
    assertError(
      await t.call("POST", "/v1/accounts/other/functions/echo/invoke", {}),
      403,
      "RUNLET_ERR_FORBIDDEN",
    );
  });

  it("non-JSON body on a JSON route → 400", async () => {
    assertError(
      await t.call("POST", "/v1/accounts/default/functions/echo/invoke", "{not json"),
      400,
      "RUNLET_ERR_INVALID_JSON",
    );
    assertError(
      await t.call("POST", "/v1/accounts/default/functions/echo/invoke", "hello", {
        headers: { "content-type": "text/plain" },
      }),
      400,
      "RUNLET_ERR_INVALID_JSON",
    );
    assertError(
      await t.call("PUT", "/v1/accounts/default/functions/echo", "<xml/>", {
        headers: { "content-type": "application/json" },
      }),
      400,
      "RUNLET_ERR_INVALID_JSON",
    );
  });

  it("an oversized payload → 413", async () => {
    const big = JSON.stringify({ blob: "x".repeat(21 * 1024 * 1024) });
    assertError(
      await t.call("POST", "/v1/accounts/default/functions/echo/invoke", big),
      413,
      "RUNLET_ERR_PAYLOAD_TOO_LARGE",
    );
  });

  it("bad query values → 400", async () => {
    assertError(
      await t.call("GET", "/v1/accounts/default/activations?limit=0"),
      400,
      "RUNLET_ERR_BAD_REQUEST",
    );
    assertError(
      await t.call("GET", "/v1/accounts/default/activations?status=weird"),
      400,
      "RUNLET_ERR_BAD_REQUEST",
    );
    assertError(
      await t.call("GET", "/v1/accounts/default/activations?since=yesterday"),
      400,
      "RUNLET_ERR_BAD_REQUEST",
    );
  });
});
