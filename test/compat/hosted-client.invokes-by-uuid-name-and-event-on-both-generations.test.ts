import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Client } from "liveperson-functions-client";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { failedBody, hostedClient, type Generation } from "./helpers.js";

/** The published client (liveperson-functions-client, unchanged) against a running Runlet server. */
let t: TestPlatform;
const uuids: Record<string, string> = {};
const body = (payload: unknown, headers: { key: string; value: string }[] = []) => ({ headers, payload });

async function deploy(name: string, source: string, config: Record<string, unknown> = {}) {
  await t.deploy(name, source, config);
  uuids[name] = (await t.call("GET", `/v1/accounts/default/functions/${name}`)).body.uuid;
}

async function rejection(call: Promise<unknown>): Promise<{ name: string; body: Record<string, unknown> }> {
  const err = await call.then(
    () => assert.fail("the call should have failed"),
    (e: unknown) => e,
  );
  return { name: (err as Error).name, body: failedBody(err) ?? {} };
}

before(async () => {
  t = await startPlatform({ config: { hostedAccounts: { "12345678": "default" } } });
  await deploy(
    "echo",
    `function lambda(input, callback) {
       callback(null, { payload: input.payload, headers: input.headers, timestamp: input.timestamp });
     }`,
  );
  await deploy(
    "fails",
    `function lambda(input, callback) { callback(new Error("no customer " + input.payload.id)); }`,
  );
  await deploy("breaks", `function lambda(input, callback) { callback(null, input.payload.missing.field); }`);
  await deploy("slow", `function lambda(input, callback) { setTimeout(() => callback(null, 1), 5000); }`, {
    timeoutMs: 200,
  });
  await deploy(
    "greeter",
    `function lambda(input, callback) { callback(null, [{ type: "systemMessage", text: "hi " + input.payload.name }]); }`,
    {
      events: ["conversational_command"],
    },
  );
  await deploy("transfer", `async function lambda(input) { return [{ type: "transfer", skillId: "42" }]; }`, {
    events: ["conversational_command"],
  });
  await deploy(
    "opener",
    `function lambda(input, callback) { callback(null, { opened: input.payload.conversationId }); }`,
    {
      events: ["controllerbot_messaging_new_conversation"],
    },
  );
  await t.call("PUT", "/v1/accounts/default/functions/draft", {
    source: `function lambda(input, callback) { callback(null, 1); }`,
  });
  uuids.draft = (await t.call("GET", "/v1/accounts/default/functions/draft")).body.uuid;
});
after(() => t.close());

for (const generation of ["v1", "v2"] as Generation[]) {
  describe(`${generation} (${generation === "v1" ? "?v=1" : "LP-EventSource"})`, () => {
    let client: Client;
    before(() => {
      client = hostedClient(t, generation);
    });

    it("invokes a function by its UUID and by its name with {timestamp, headers, payload}", async () => {
      for (const lambdaUuid of [uuids.echo!, "echo"]) {
        const res = await client.invoke({
          lambdaUuid,
          externalSystem: "migration-tests",
          body: body({ id: 7 }, [{ key: "x-trace", value: "abc" }]),
        });
        assert.equal(res.ok, true);
        assert.deepEqual(res.body.payload, { id: 7 });
        assert.deepEqual(res.body.headers, [{ key: "x-trace", value: "abc" }]);
        assert.ok(Math.abs(res.body.timestamp - Date.now()) < 60_000, "the client's timestamp");
      }
    });

    it("invokes an event: one listener answers alone, several are joined in name order", async () => {
      const one = await client.invoke({
        eventId: "controllerbot_messaging_new_conversation",
        body: body({ conversationId: "c-1" }),
      });
      assert.deepEqual(one.body, { opened: "c-1" });
      const several = await client.invoke({ eventId: "conversational_command", body: body({ name: "Ada" }) });
      assert.deepEqual(several.body, [
        { type: "systemMessage", text: "hi Ada" },
        { type: "transfer", skillId: "42" },
      ]);
    });

    it("isImplemented is true for an event a deployed function listens to, false otherwise", async () => {
      assert.equal(await client.isImplemented({ eventId: "conversational_command" }), true);
      assert.equal(await client.isImplemented({ eventId: "surveybot_messaging_survey_ended" }), false);
    });

    it("lists the account's functions with their UUID, state and event", async () => {
      const res =
        generation === "v1"
          ? await client.getLambdas({ externalSystem: "tests", state: "Productive" })
          : await client.getFunctions({ lpEventSource: "tests" });
      const byName = new Map(
        (res.body as { name: string }[]).map((fn) => [fn.name, fn as Record<string, unknown>]),
      );
      assert.equal(byName.get("echo")?.uuid, uuids.echo);
      assert.equal(byName.get("greeter")?.eventId, "conversational_command");
      assert.equal(byName.get("echo")?.eventId, "No Event");
      assert.equal(byName.has("draft"), generation === "v2", "V1 asked for Productive only");
      if (generation === "v2") assert.equal(byName.get("draft")?.state, "Draft");
      const filtered = await client.getLambdas({ eventId: "conversational_command" });
      assert.deepEqual(
        (filtered.body as { name: string }[]).map((fn) => fn.name),
        ["greeter", "transfer"],
      );
    });

    it("a function's own failure is a FaaSLambdaError carrying the generation's custom-failure code", async () => {
      const err = await rejection(client.invoke({ lambdaUuid: uuids.fails!, body: body({ id: 3 }) }));
      assert.equal(err.name, "FaaSLambdaError");
      assert.equal(
        err.body.errorCode ?? err.body.code,
        generation === "v1"
          ? "com.liveperson.faas.handler.custom-failure"
          : "com.customer.faas.function.threw-error",
      );
      assert.match(String(err.body.errorMsg ?? err.body.message), /no customer 3/);
      assert.equal((err.body.error as { code: string }).code, "RUNLET_ERR_FUNCTION_ERROR");
    });

    it("a TypeError is the runtime-exception code (V1: FaaSLambdaError; V2: js-runtime-error)", async () => {
      const err = await rejection(client.invoke({ lambdaUuid: "breaks", body: body({}) }));
      assert.equal(err.name, generation === "v1" ? "FaaSLambdaError" : "FaaSInvokeError");
      assert.equal(
        err.body.errorCode ?? err.body.code,
        generation === "v1"
          ? "com.liveperson.faas.handler.runtime-exception"
          : "com.customer.faas.function.js-runtime-error",
      );
    });

    it("a function past its time is the execution-time-exceeded code", async () => {
      const err = await rejection(client.invoke({ lambdaUuid: "slow", body: body({}) }));
      assert.equal((err.body.error as { code: string }).code, "RUNLET_ERR_TIMEOUT", JSON.stringify(err.body));
      assert.equal(
        err.body.errorCode ?? err.body.code,
        generation === "v1"
          ? "com.liveperson.faas.handler.executiontime-exceeded"
          : "com.customer.faas.function.execution-exceeded",
      );
    });

    it("an unknown UUID, a draft and an event nobody listens to are FaaSInvokeErrors with their codes", async () => {
      const unknown = await rejection(
        client.invoke({ lambdaUuid: "c521cadf-d444-4519-ad11-1c1111114415", body: body({}) }),
      );
      assert.equal(unknown.name, "FaaSInvokeError");
      assert.equal(
        unknown.body.errorCode ?? unknown.body.code,
        generation === "v1"
          ? "com.liveperson.faas.es.missinglambda"
          : "com.liveperson.faas.function.not-found",
      );
      const draft = await rejection(client.invoke({ lambdaUuid: uuids.draft!, body: body({}) }));
      assert.equal(draft.name, "FaaSInvokeError");
      assert.equal(
        draft.body.errorCode ?? draft.body.code,
        generation === "v1"
          ? "com.liveperson.faas.es.notdeployed"
          : "com.liveperson.faas.function.not-deployed",
      );
      const nobody = await rejection(
        client.invoke({ eventId: "surveybot_messaging_survey_ended", body: body({}) }),
      );
      assert.equal(nobody.name, "FaaSInvokeError");
      assert.equal(
        nobody.body.errorCode ?? nobody.body.code,
        generation === "v1"
          ? "com.liveperson.faas.es.missinglambda"
          : "com.liveperson.faas.function.not-found",
      );
      assert.match(
        String(nobody.body.errorMsg ?? nobody.body.message),
        /no deployed function listens to event surveybot_messaging_survey_ended/,
      );
    });
  });
}

describe("bad input, accounts and tokens", () => {
  it("a malformed body gets the generation's bad-input error saying what to send", async () => {
    for (const [query, field] of [
      ["?v=1", "errorCode"],
      ["", "code"],
    ] as const) {
      for (const sent of ['"just a string"', '{"headers": "x-a: 1", "payload": {}}', "{not json"]) {
        const res = await t.call("POST", `/api/account/default/lambdas/echo/invoke${query}`, sent);
        assert.equal(res.status, 400, sent);
        assert.equal(
          res.body[field],
          query ? "com.liveperson.faas.es.badinput" : "com.liveperson.faas.evg.invalid",
        );
        const message = String(res.body.errorMsg ?? res.body.message);
        assert.match(message, sent === "{not json" ? /not valid JSON/ : /send \{"timestamp"/, sent);
      }
    }
  });

  it("the hosted account id reaches the account it is mapped to", async () => {
    const client = hostedClient(t, "v1", { accountId: "12345678" });
    const res = await client.invoke({ lambdaUuid: uuids.echo!, body: body("mapped") });
    assert.equal(res.body.payload, "mapped");
  });

  it("accepts an OAuth2 client-credentials access token; refuses a bad one", async () => {
    const key = (await t.call("POST", "/v1/accounts/default/keys", { name: "lp-client", role: "invoker" }))
      .body;
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: key.id,
      client_secret: key.key,
    });
    const token = await fetch(`${t.url}/v1/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form,
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    for (const generation of ["v1", "v2"] as Generation[]) {
      const client = hostedClient(t, generation, { bearer: async () => `Bearer ${token.access_token}` });
      assert.equal((await client.invoke({ lambdaUuid: "echo", body: body(1) })).body.payload, 1);
      assert.equal(await client.isImplemented({ eventId: "conversational_command", skillId: "s" }), true);
      const denied = hostedClient(t, generation, { bearer: async () => "Bearer not-a-token" });
      const err = await rejection(denied.invoke({ lambdaUuid: "echo", body: body(1) }));
      assert.equal(err.name, "FaaSInvokeError");
      assert.equal((err.body.error as { code: string }).code, "RUNLET_ERR_UNAUTHENTICATED");
    }
  });
});
