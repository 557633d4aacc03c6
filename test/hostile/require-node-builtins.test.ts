import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { attackWith, openArena, type Arena } from "./arena.js";

describe("hostile: require() of Node built-ins", () => {
  let arena: Arena;
  before(async () => (arena = await openArena()));
  after(() => arena.close());

  it("has no require at run time, by name or looked up on the global", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => {
        const req = globalThis["req" + "uire"];
        return { typeof: typeof req, module: typeof module, exports: typeof exports };
      }`,
    );
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { typeof: "undefined", module: "undefined", exports: "undefined" });
  });

  it("calling require fails the invocation with a function error", async () => {
    const { res } = await attackWith(
      arena,
      `export default async () => globalThis["req" + "uire"]("child_process").execSync("id").toString()`,
    );
    assert.equal(res.status, 502);
    assert.equal(res.body.error.code, "RUNLET_ERR_FUNCTION_ERROR");
    assert.match(res.body.error.message, /is not a function/);
  });

  it("a static import of child_process is refused at deploy with the module named", async () => {
    const res = await arena.attacker.call("PUT", "/v1/accounts/{acct}/functions/cp?deploy=true", {
      source: `import { execSync } from "node:child_process"; export default async () => execSync("id").toString();`,
    });
    assert.equal(res.status, 400, res.text);
    assert.match(res.body.error.message, /child_process/);
  });
});
