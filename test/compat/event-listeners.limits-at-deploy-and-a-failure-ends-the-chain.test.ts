import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

let t: TestPlatform;
const put = (name: string, events: string[], source = `function lambda(i, cb) { cb(null, "${name}"); }`) =>
  t.call("PUT", `/v1/accounts/default/functions/${name}?deploy=true`, { source, events });
const invokeEvent = (eventId: string) =>
  t.call("POST", `/api/account/default/events/${eventId}/invoke?v=1`, { headers: [], payload: {} });

before(async () => {
  t = await startPlatform();
});
after(() => t.close());

it("a one-listener event refuses a second deployed listener until the first is undeployed", async () => {
  assert.equal((await put("opener-a", ["controllerbot_messaging_new_conversation"])).status, 201);
  const refused = await put("opener-b", ["controllerbot_messaging_new_conversation"]);
  assert.equal(refused.status, 409);
  assert.equal(refused.body.error.code, "RUNLET_ERR_EVENT_LISTENER_LIMIT");
  assert.match(refused.body.error.message, /at most 1 deployed listener and opener-a already listens/);
  assert.match(refused.body.error.message, /runlet undeploy opener-a/);
  // The upload was kept as a version; it deploys once the event is free.
  assert.equal((await t.call("POST", "/v1/accounts/default/functions/opener-a/undeploy")).status, 200);
  assert.equal((await t.call("POST", "/v1/accounts/default/functions/opener-b/deploy")).status, 200);
  assert.equal((await invokeEvent("controllerbot_messaging_new_conversation")).body, "opener-b");
  // A redeploy of the one listener is no second listener.
  assert.equal((await t.call("POST", "/v1/accounts/default/functions/opener-b/deploy")).status, 200);
});

it("a many-listener event takes several; Runlet's own event types take any number", async () => {
  for (const name of ["cmd-a", "cmd-b", "cmd-c"]) {
    assert.equal((await put(name, ["conversational_command", "order.created"])).status, 201);
  }
  assert.deepEqual((await invokeEvent("conversational_command")).body, ["cmd-a", "cmd-b", "cmd-c"]);
});

it("on a hosted event a failing listener ends the chain with its error; on others the rest still answer", async () => {
  await put(
    "cmd-b",
    ["conversational_command", "order.created"],
    `function lambda(i, cb) { cb(new Error("b broke")); }`,
  );
  await t.platform.activations.flush();
  const before = (await t.call("GET", "/v1/accounts/default/activations?function=cmd-c")).body.activations
    .length;
  const chain = await invokeEvent("conversational_command");
  assert.equal(chain.status, 502);
  assert.equal(chain.body.errorCode, "com.liveperson.faas.handler.custom-failure");
  assert.match(chain.body.errorMsg, /b broke/);
  await t.platform.activations.flush();
  const afterwards = (await t.call("GET", "/v1/accounts/default/activations?function=cmd-c")).body
    .activations;
  assert.equal(afterwards.length, before, "cmd-c did not run after cmd-b failed");
  const own = await invokeEvent("order.created");
  assert.equal(own.status, 200);
  assert.deepEqual(own.body, ["cmd-a", "cmd-c"]);
});
