import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

let t: TestPlatform;
before(async () => {
  t = await startPlatform();
  await t.deploy("hello", `export default async () => 1`);
});
after(() => t.close());

const refusals: [query: string, message: RegExp][] = [
  ["from=2026-02-01&to=2026-01-01", /from must be before to: send an earlier from or a later to/],
  ["from=1000&to=1000", /from must be before to/],
  ["from=yesterday", /from=yesterday is not a date: use ISO 8601 .* or epoch milliseconds/],
  ["bucket=2w", /bucket=2w is not a bucket size: send minutes, hours or days, e.g. bucket=1m/],
  ["bucket=0m", /bucket=0m is not a bucket size/],
  [
    "from=2026-01-01&to=2026-01-31&bucket=1m",
    /makes 43200 buckets .* more than 1000: send a larger bucket \(bucket=1h\)/,
  ],
  ["from=2026-01-01&to=2026-06-01", /more than 90 days apart .* send a shorter range/],
  ["buckets=10", /must NOT have additional properties/],
];

for (const route of ["/v1/accounts/default/functions/hello/stats", "/v1/accounts/default/stats"]) {
  it(`${route} refuses a bad range or bucket with 400 and what to send instead`, async () => {
    for (const [query, message] of refusals) {
      const res = await t.call("GET", `${route}?${query}`);
      assert.equal(res.status, 400, `${query}: ${res.text}`);
      assert.equal(res.body.error.code, "RUNLET_ERR_BAD_REQUEST", query);
      assert.match(res.body.error.message, message, query);
    }
  });
}

it("an unknown function is a 404 naming it, and an invoker key may not read stats", async () => {
  const missing = await t.call("GET", "/v1/accounts/default/functions/nope/stats");
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, "RUNLET_ERR_FUNCTION_NOT_FOUND");
  const key = await t.call("POST", "/v1/accounts/default/keys", { name: "inv", role: "invoker" });
  assert.equal(key.status, 201, key.text);
  const refused = await t.call("GET", "/v1/accounts/default/stats", undefined, { key: key.body.key });
  assert.equal(refused.status, 403);
});

it("the OpenAPI document declares both routes with their query", async () => {
  const doc = (await t.call("GET", "/openapi.json")).body;
  for (const path of ["/v1/accounts/{acct}/functions/{name}/stats", "/v1/accounts/{acct}/stats"]) {
    const names = doc.paths[path].get.parameters.map((p: { name: string }) => p.name);
    assert.ok(
      ["from", "to", "bucket"].every((n) => names.includes(n)),
      `${path}: ${names}`,
    );
    assert.ok(doc.paths[path].get.responses["200"], path);
  }
});
