import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

let t: TestPlatform;
before(async () => {
  t = await startPlatform();
});
after(() => t.close());

it("/openapi.json lists the activation list's filters with their types, and the triggers one can filter by", async () => {
  const doc = (await t.call("GET", "/openapi.json", undefined, { key: null })).body;
  const op = doc.paths["/v1/accounts/{acct}/activations"].get;
  const params = Object.fromEntries(
    (op.parameters as { in: string; name: string; schema: Record<string, unknown> }[])
      .filter((p) => p.in === "query")
      .map((p) => [p.name, p.schema]),
  );
  for (const name of [
    "function",
    "status",
    "trigger",
    "version",
    "parentId",
    "since",
    "until",
    "before",
    "limit",
  ]) {
    assert.ok(params[name], `query parameter ${name} is documented`);
  }
  assert.equal(params.version!.type, "integer");
  assert.deepEqual(params.trigger!.enum, ["http", "web", "event", "schedule", "queue", "function", "local"]);
  assert.match(op.summary, /parentId/);
});
