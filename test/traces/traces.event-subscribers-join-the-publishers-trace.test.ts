import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

const TRACE_ID = "0af7651916cd43dd8448eb211c8031aa";
const PUBLISHER_SPAN = "b7ad6b7169203331";

interface Node {
  function: string;
  trigger: string;
  parentSpanId?: string;
  spanId: string;
  status: string;
  children: Node[];
}

describe("GET …/traces/{id}: an event's fan-out joins the publisher's trace, each subscriber with its calls", () => {
  let t: TestPlatform;
  before(async () => {
    t = await startPlatform();
    const events = { events: [{ type: "order.created" }] };
    await t.deploy("mailer", `export default async () => "mailed"`, events);
    await t.deploy(
      "billing",
      `export default async (event, ctx) => ctx.invoke("ledger", event.payload)`,
      events,
    );
    await t.deploy("ledger", `export default async () => "booked"`);
  });
  after(() => t.close());

  it("both subscribers are roots under the publisher's span; billing's ledger call hangs under billing", async () => {
    const res = await t.call(
      "POST",
      `/v1/accounts/${t.account}/events/order.created?sync=true`,
      { id: 1 },
      { headers: { traceparent: `00-${TRACE_ID}-${PUBLISHER_SPAN}-01` } },
    );
    assert.equal(res.status, 200, res.text);
    const trace = await t.call("GET", `/v1/accounts/${t.account}/traces/${TRACE_ID}`);
    assert.equal(trace.status, 200, trace.text);
    assert.equal(trace.body.count, 3);
    const roots = (trace.body.roots as Node[]).sort((a, b) => a.function.localeCompare(b.function));
    assert.deepEqual(
      roots.map((n) => [n.function, n.trigger, n.parentSpanId, n.children.map((c) => c.function)]),
      [
        ["billing", "event", PUBLISHER_SPAN, ["ledger"]],
        ["mailer", "event", PUBLISHER_SPAN, []],
      ],
    );
    assert.equal(roots[0]!.children[0]!.parentSpanId, roots[0]!.spanId);
  });
});
