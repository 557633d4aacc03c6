import assert from "node:assert/strict";
import { test } from "node:test";
import { fakeApi, run, tempDir } from "./helpers.js";

const FN = "/v1/accounts/acme/functions/hello";

function api(deployedVersion: number | null, versions: unknown[]) {
  return fakeApi({
    [`GET ${FN}`]: () => ({
      json: { name: "hello", state: "deployed", deployedVersion, latestVersion: 7, versions },
    }),
    [`POST ${FN}/deploy`]: (req) => {
      const { version } = JSON.parse(req.body) as { version: number };
      return { json: { name: "hello", version, state: "modified" } };
    },
  });
}

test("rollback deploys the highest kept version below the deployed one", async () => {
  const server = await api(7, [{ version: 7 }, { version: 4 }, { version: 6 }, { version: 3 }]);
  const { code, stdout } = await run(["rollback", "hello"], { cwd: tempDir(), env: server.env });
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(server.requests[1]?.body ?? ""), { version: 6 });
  assert.equal(stdout, "hello now runs version 6 (was 7)\n");
});

test("rollback --to deploys that version", async () => {
  const server = await api(7, [7, 6, 5]);
  const { code, stdout } = await run(["rollback", "hello", "--to", "5", "--json"], {
    cwd: tempDir(),
    env: server.env,
  });
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(server.requests[1]?.body ?? ""), { version: 5 });
  assert.equal((JSON.parse(stdout) as { deployedVersion: number }).deployedVersion, 5);
});

test("rollback of a function that is not deployed asks for --to", async () => {
  const server = await api(null, [2, 1]);
  const { code, stderr } = await run(["rollback", "hello"], { cwd: tempDir(), env: server.env });
  assert.equal(code, 1);
  assert.match(stderr, /runlet: hello is not deployed.*\n {2}hint: pick a version with --to/);
  assert.equal(server.requests.length, 1);
});

test("rollback from the oldest kept version has nowhere to go", async () => {
  const server = await api(3, [5, 4, 3]);
  const { code, stderr } = await run(["rollback", "hello"], { cwd: tempDir(), env: server.env });
  assert.equal(code, 1);
  assert.match(stderr, /no version below 3/);
});
