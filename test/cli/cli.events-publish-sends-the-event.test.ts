import assert from "node:assert/strict";
import { test } from "node:test";
import { apiError, fakeApi, run, tempDir, writeFiles } from "./helpers.js";

const EVENTS = "/v1/accounts/acme/events/conversation.ended";

test("events publish POSTs the --data JSON to the type's route and prints the queued activations", async () => {
  const api = await fakeApi({
    [`POST ${EVENTS}`]: () => ({
      status: 202,
      json: { eventId: "evt_1", activationIds: ["act_a", "act_b"] },
    }),
  });
  const { code, stdout, stderr } = await run(
    ["events", "publish", "conversation.ended", "--data", '{"id":42}'],
    {
      cwd: tempDir(),
      env: api.env,
    },
  );
  assert.equal(code, 0, stderr);
  assert.equal(api.requests[0]?.body, '{"id":42}');
  assert.equal(api.requests[0]?.headers["content-type"], "application/json");
  assert.equal(api.requests[0]?.query.get("sync"), null, "async by default");
  assert.equal(stdout, "queued 2 activations: act_a act_b\n");
  assert.equal(stderr, "event evt_1\n");
});

test("events publish --sync prints every subscriber's answer as a table; --json prints the API's answer", async () => {
  const answer = {
    eventId: "evt_2",
    results: [
      { function: "audit", activationId: "act_1", status: "succeeded", result: { ok: true } },
      {
        function: "notify",
        activationId: "act_2",
        status: "function_error",
        result: null,
        error: { code: "RUNLET_ERR_FUNCTION_ERROR", message: "mail server down" },
      },
    ],
  };
  const api = await fakeApi({ [`POST ${EVENTS}`]: () => ({ json: answer }) });
  const cwd = tempDir();
  const human = await run(["events", "publish", "conversation.ended", "--sync"], { cwd, env: api.env });
  assert.equal(human.code, 0, human.stderr);
  assert.equal(api.requests[0]?.query.get("sync"), "true");
  assert.equal(api.requests[0]?.body, "{}", "the default data is an empty object");
  assert.equal(
    human.stdout,
    [
      "FUNCTION  STATUS          RESULT            ACTIVATION",
      'audit     succeeded       {"ok":true}       act_1',
      "notify    function_error  mail server down  act_2",
      "",
    ].join("\n"),
  );
  const json = await run(["events", "publish", "conversation.ended", "--sync", "--json"], {
    cwd,
    env: api.env,
  });
  assert.deepEqual(JSON.parse(json.stdout), answer);
  assert.equal(json.stderr, "");
});

test("events publish --data-file reads the data; no subscriber says so", async () => {
  const api = await fakeApi({
    [`POST ${EVENTS}`]: () => ({ status: 202, json: { eventId: "evt_3", activationIds: [] } }),
  });
  const cwd = tempDir();
  writeFiles(cwd, { "event.json": '{ "id": 7 }\n' });
  const { code, stdout } = await run(
    ["events", "publish", "conversation.ended", "--data-file", "event.json"],
    {
      cwd,
      env: api.env,
    },
  );
  assert.equal(code, 0);
  assert.equal(api.requests[0]?.body, '{ "id": 7 }\n');
  assert.equal(stdout, "no deployed function subscribes to conversation.ended; nothing queued\n");
});

test("a bad event type or bad --data is a usage error and sends nothing", async () => {
  const api = await fakeApi({});
  const cwd = tempDir();
  const badType = await run(["events", "publish", "has space"], { cwd, env: api.env });
  assert.equal(badType.code, 2);
  assert.match(badType.stderr, /runlet: event type "has space" is invalid/);
  const badData = await run(["events", "publish", "a.b", "--data", "{nope"], { cwd, env: api.env });
  assert.equal(badData.code, 2);
  assert.match(badData.stderr, /--data is not valid JSON/);
  assert.equal(api.requests.length, 0);
});

test("an API error is reported with its message, exit 1", async () => {
  const api = await fakeApi({
    [`POST ${EVENTS}`]: () =>
      apiError(413, "RUNLET_ERR_PAYLOAD_TOO_LARGE", "the event's data is over the limit"),
  });
  const { code, stderr } = await run(["events", "publish", "conversation.ended"], {
    cwd: tempDir(),
    env: api.env,
  });
  assert.equal(code, 1);
  assert.match(stderr, /^runlet: the event's data is over the limit/);
});
