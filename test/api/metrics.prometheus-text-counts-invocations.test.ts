import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.indexOf("}"));
    if (want.every((pair) => inside.split(",").includes(pair)))
      return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return undefined;
}

describe("GET /metrics serves Prometheus text with invocation and pool metrics", () => {
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform();
    await t.deploy("ok", `export default async () => 1`);
    await t.deploy("bad", `export default async () => { throw new Error("no") }`);
    await Promise.all([t.invoke("ok"), t.invoke("ok"), t.invoke("ok"), t.invoke("bad")]);
  });
  after(() => t.close());

  it("counts invocations by function and status, observes durations, and gauges warm instances", async () => {
    const res = await t.call("GET", "/metrics", undefined, { key: null });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/plain/);
    const text = res.text;
    assert.equal(sample(text, "runlet_invocations_total", { function: "ok", status: "succeeded" }), 3);
    assert.equal(sample(text, "runlet_invocations_total", { function: "bad", status: "function_error" }), 1);
    assert.equal(sample(text, "runlet_invocation_duration_seconds_count", { function: "ok" }), 3);
    assert.ok((sample(text, "runlet_instances", { function: "ok", state: "idle" }) ?? 0) >= 1);
    assert.match(text, /^runlet_isolate_memory_bytes \d+/m);
    assert.match(text, /^runlet_queue_waiting 0/m);
    assert.match(text, /^runlet_process_resident_memory_bytes \d+/m);
  });
});
