import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { TestPlatform } from "../helpers/platform.js";
import { STORES, versionSource } from "./helpers.js";

for (const [store, start] of STORES) {
  describe(`canary bad input (${store})`, () => {
    let t: TestPlatform;
    const base = "/v1/accounts/default/functions/strict";
    before(async () => {
      t = await start();
      await t.call("PUT", "/v1/accounts/default/functions/draft", { source: versionSource(1) });
      await t.deploy("strict", versionSource(1));
      await t.call("PUT", base, { source: versionSource(2) });
    });
    after(() => t.close());

    const refused = async (path: string, body: unknown, status: number, code: string, message: RegExp) => {
      const res = await t.call("POST", path, body);
      assert.equal(res.status, status, res.text);
      assert.equal(res.body.error.code, code);
      assert.match(res.body.error.message, message);
    };

    it("a percent outside 0–100 is a 400 saying what to send", async () => {
      for (const percent of [-1, 100.5, 250]) {
        await refused(
          `${base}/deploy`,
          { version: 2, percent },
          400,
          "RUNLET_ERR_INVALID_ROLLOUT",
          /percent must be from 0 to 100.*send e\.g\./,
        );
      }
    });

    it("an unknown version is a 404 naming it", async () => {
      await refused(
        `${base}/deploy`,
        { version: 9, percent: 10 },
        404,
        "RUNLET_ERR_VERSION_NOT_FOUND",
        /no version 9/,
      );
    });

    it("a bad autoRollback names the field", async () => {
      await refused(
        `${base}/deploy`,
        { version: 2, percent: 10, autoRollback: { maxErrorRate: 2 } },
        400,
        "RUNLET_ERR_INVALID_ROLLOUT",
        /autoRollback\.maxErrorRate must be a number from 0 to 1/,
      );
      await refused(
        `${base}/deploy`,
        { version: 2, percent: 10, autoRollback: { maxErrorRate: 0.1, window: "soon" } },
        400,
        "RUNLET_ERR_INVALID_ROLLOUT",
        /autoRollback\.window must be 1s to 30d/,
      );
    });

    it("the deployed version as its own canary, or a canary of an undeployed function, are refused", async () => {
      await refused(
        `${base}/deploy`,
        { version: 1, percent: 10 },
        400,
        "RUNLET_ERR_INVALID_ROLLOUT",
        /is the deployed version/,
      );
      await refused(
        "/v1/accounts/default/functions/draft/deploy",
        { percent: 10 },
        409,
        "RUNLET_ERR_NOT_DEPLOYED",
        /deploy one fully first \(runlet deploy draft\)/,
      );
    });

    it("promote or rollback without a canary is a 409 saying how to start one", async () => {
      for (const action of ["promote", "rollback"])
        await refused(
          `${base}/${action}`,
          undefined,
          409,
          "RUNLET_ERR_NO_CANARY",
          /runlet deploy strict --percent 10/,
        );
    });
  });
}
