import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

describe("events: bad input is refused with a clear code", () => {
  let t: TestPlatform;
  const path = (type: string) => `/v1/accounts/${t.account}/events/${type}?sync=true`;

  before(async () => {
    t = await startPlatform({ limits: { asyncPayloadBytes: 1024 } });
    await t.deploy("listener", `export default async (event) => event.payload`, { events: ["ok.type"] });
  });
  after(() => t.close());

  for (const type of ["bad%20type", "%2Fslash", "-starts-with-dash", "semi%3Bcolon", "x".repeat(201)]) {
    it(`event type ${decodeURIComponent(type).slice(0, 24)} is refused`, async () => {
      const res = await t.call("POST", path(type), {});
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.error.code, "RUNLET_ERR_INVALID_EVENT_TYPE");
      assert.match(res.body.error.message, /letters, digits, dots/);
    });
  }

  for (const missing of ["specversion", "id", "source"]) {
    it(`a structured CloudEvent without ${missing} is refused`, async () => {
      const event: Record<string, unknown> = {
        specversion: "1.0",
        id: "e1",
        source: "/test",
        type: "ok.type",
        data: {},
      };
      delete event[missing];
      const res = await t.call("POST", path("ok.type"), event, {
        headers: { "content-type": "application/cloudevents+json" },
      });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.error.code, "RUNLET_ERR_INVALID_CLOUDEVENT");
      assert.match(res.body.error.message, new RegExp(`lacks ${missing}`));
    });

    it(`a binary CloudEvent without ce-${missing} is refused`, async () => {
      const headers: Record<string, string> = {
        "ce-specversion": "1.0",
        "ce-id": "e1",
        "ce-source": "/test",
        "ce-type": "ok.type",
      };
      delete headers[`ce-${missing}`];
      const res = await t.call("POST", path("ok.type"), {}, { headers });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.error.code, "RUNLET_ERR_INVALID_CLOUDEVENT");
      assert.match(res.body.error.message, new RegExp(`lacks ce-${missing}`));
    });
  }

  it("binary-mode attribute values are percent-decoded; a malformed encoding is refused", async () => {
    const headers = {
      "ce-specversion": "1.0",
      "ce-id": "e%C3%A9",
      "ce-source": "/chat%20room",
      "ce-type": "ok.type",
    };
    await t.deploy("source-echo", `export default async (event) => [event.id, event.source]`, {
      events: ["ok.type"],
    });
    const res = await t.call("POST", path("ok.type"), {}, { headers });
    assert.equal(res.status, 200, res.text);
    const answer = res.body.results.find((r: { function: string }) => r.function === "source-echo");
    assert.deepEqual(answer.result, ["eé", "/chat room"]);
    const bad = await t.call(
      "POST",
      path("ok.type"),
      {},
      { headers: { ...headers, "ce-source": "/x%E0%A4%A" } },
    );
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.body.error.code, "RUNLET_ERR_INVALID_CLOUDEVENT");
  });

  it("a CloudEvent of another spec version, or whose type differs from the URL's, is refused", async () => {
    const structured = { "content-type": "application/cloudevents+json" };
    const old = await t.call(
      "POST",
      path("ok.type"),
      { specversion: "0.3", id: "1", source: "/s", type: "ok.type" },
      {
        headers: structured,
      },
    );
    assert.equal(old.body.error.code, "RUNLET_ERR_INVALID_CLOUDEVENT");
    assert.match(old.body.error.message, /only CloudEvents 1\.0/);
    const other = await t.call(
      "POST",
      path("ok.type"),
      { specversion: "1.0", id: "1", source: "/s", type: "other" },
      {
        headers: structured,
      },
    );
    assert.equal(other.body.error.code, "RUNLET_ERR_INVALID_CLOUDEVENT");
    assert.match(other.body.error.message, /differs from the type in the URL/);
    const notObject = await t.call("POST", path("ok.type"), "[1,2]", { headers: structured });
    assert.equal(notObject.body.error.code, "RUNLET_ERR_INVALID_CLOUDEVENT");
    const batch = await t.call("POST", path("ok.type"), "[]", {
      headers: { "content-type": "application/cloudevents-batch+json" },
    });
    assert.equal(batch.status, 400, batch.text);
    assert.equal(batch.body.error.code, "RUNLET_ERR_INVALID_CLOUDEVENT");
    assert.match(batch.body.error.message, /each event in its own request/);
    const broken = await t.call("POST", path("ok.type"), "{nope", { headers: structured });
    assert.equal(broken.body.error.code, "RUNLET_ERR_INVALID_JSON");
  });

  it("an async event over the async payload limit is 413", async () => {
    const res = await t.call("POST", `/v1/accounts/${t.account}/events/ok.type`, { big: "x".repeat(2000) });
    assert.equal(res.status, 413, res.text);
    assert.equal(res.body.error.code, "RUNLET_ERR_PAYLOAD_TOO_LARGE");
  });

  it("a subscription with a bad type or filter is refused at upload", async () => {
    const put = (config: Record<string, unknown>) =>
      t.call("PUT", `/v1/accounts/${t.account}/functions/sub`, {
        source: "export default async () => 1",
        ...config,
      });
    const badType = await put({ events: ["has space"] });
    assert.equal(badType.status, 400);
    assert.equal(badType.body.error.code, "RUNLET_ERR_INVALID_EVENT_TYPE");
    assert.match(badType.body.error.message, /events\[0\]/);
    const badFilter = await put({ events: [{ type: "a.b", filter: { "x.y": { nested: true } } }] });
    assert.equal(badFilter.status, 400);
    assert.equal(badFilter.body.error.code, "RUNLET_ERR_INVALID_CONFIG");
    assert.match(badFilter.body.error.message, /events\[0\]\.filter\.x\.y/);
  });

  it("an invoker key may publish; no key may not", async () => {
    const res = await t.call("POST", path("ok.type"), {}, { key: null });
    assert.equal(res.status, 401);
  });
});
