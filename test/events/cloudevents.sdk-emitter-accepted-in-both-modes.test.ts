import assert from "node:assert/strict";
import { CloudEvent, emitterFor, HTTP, httpTransport, Mode } from "cloudevents";
import { after, before, describe, it } from "node:test";
import { ADMIN_KEY, startPlatform, type TestPlatform } from "../helpers/platform.js";

describe("events: a CloudEvent sent by the cloudevents SDK is accepted in binary and structured mode", () => {
  let t: TestPlatform;
  const auth = { headers: { authorization: `Bearer ${ADMIN_KEY}` } };

  before(async () => {
    t = await startPlatform();
    await t.deploy(
      "listener",
      `export default async (event) => ({
         id: event.id, type: event.type, source: event.source, time: event.time, payload: event.payload,
         subject: event.headers["ce-subject"] ?? null,
       })`,
      { events: ["com.example.conversation.ended"] },
    );
  });
  after(() => t.close());

  const sink = () => `${t.url}/v1/accounts/${t.account}/events/com.example.conversation.ended?sync=true`;
  const event = (id: string) =>
    new CloudEvent({
      id,
      type: "com.example.conversation.ended",
      source: "/chat/conversations",
      subject: "conv-42",
      time: "2026-01-02T03:04:05.000Z",
      data: { conversation: 42, messages: 7 },
    });

  for (const mode of [Mode.BINARY, Mode.STRUCTURED]) {
    it(`${mode} mode through the SDK's own HTTP emitter`, async () => {
      const emit = emitterFor(httpTransport(sink()), { mode });
      // The SDK's transport passes the emit options' headers on with the request (the API key).
      const response = (await emit(event(`evt-${mode}`), auth)) as { body: string };
      const body = JSON.parse(response.body);
      assert.equal(body.eventId, `evt-${mode}`, response.body);
      assert.equal(body.results.length, 1);
      const [answer] = body.results;
      assert.equal(answer.status, "succeeded");
      assert.deepEqual(answer.result, {
        id: `evt-${mode}`,
        type: "com.example.conversation.ended",
        source: "/chat/conversations",
        time: "2026-01-02T03:04:05.000Z",
        payload: { conversation: 42, messages: 7 },
        subject: "conv-42",
      });
    });
  }

  it("the SDK's binary message sent with fetch carries the same event", async () => {
    const message = HTTP.binary(event("evt-fetch"));
    const res = await fetch(sink(), {
      method: "POST",
      headers: { ...(message.headers as Record<string, string>), ...auth.headers },
      body: message.body as string,
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { results: { result: { id: string; payload: unknown } }[] };
    assert.equal(body.results[0]!.result.id, "evt-fetch");
    assert.deepEqual(body.results[0]!.result.payload, { conversation: 42, messages: 7 });
  });
});
