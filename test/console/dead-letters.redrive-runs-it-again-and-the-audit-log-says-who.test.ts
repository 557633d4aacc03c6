import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startConsole, type ConsoleTest } from "../helpers/browser.js";
import { fastQueue, invokeAsync, settled, waitFor } from "../queue/helpers.js";

let c: ConsoleTest;
before(async () => {
  c = await startConsole({ platform: { config: { queue: fastQueue() } } });
});
after(() => c.close());

it("a dead-lettered invocation is listed with its error; Redrive runs it again, and the audit log records who did", async () => {
  const { page } = c;
  await c.t.deploy("charge", "export default async () => { throw new Error('card declined') }", {
    retry: { attempts: 1 },
  });
  const id = (await invokeAsync(c.t, "charge", { amount: 5 })).body.activationId as string;
  await settled(c.t, id);
  await waitFor("the dead letter", async () =>
    (await c.t.call("GET", "/v1/accounts/default/dlq")).body.dlq.some((d: { id: string }) => d.id === id),
  );
  // Fixed before the redrive, so the second run succeeds.
  await c.t.deploy("charge", "export default async (e) => ({ charged: e.payload.amount })");

  await c.signIn();
  await page.getByRole("link", { name: "Account" }).click();
  const dead = page.getByRole("region", { name: "Dead letters" });
  const row = dead.getByRole("row", { name: /charge/ });
  await row.getByText("RUNLET_ERR_FUNCTION_ERROR: Error: card declined").waitFor();
  await row.getByRole("button", { name: `Redrive ${id}` }).click();
  await dead
    .getByRole("status")
    .filter({ hasText: `Queued ${id} again.` })
    .waitFor();
  const again = await settled(c.t, id);
  assert.equal(again.status, "succeeded");
  assert.deepEqual(again.result, { charged: 5 });

  const audit = page.getByRole("region", { name: "Audit log" });
  await audit.getByRole("button", { name: "Refresh audit log" }).click();
  const admin = (await c.t.call("GET", "/v1/whoami")).body.keyId as string;
  await audit.getByRole("row", { name: new RegExp(`key:${admin} dlq\\.redrive ${id}`) }).waitFor();
  assert.deepEqual(c.pageErrors, []);
});
