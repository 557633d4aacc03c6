import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

/**
 * Lambdas written for the hosted platform, with its Toolbelt calls, deployed unchanged: the published
 * examples of its CLI (liveperson-functions-cli: the function template and the editor snippets, filled in
 * as the editor would) and a lambda exercising SecretClient, ContextServiceClient and OrchestratorClient.
 */
const cli = path.dirname(createRequire(import.meta.url).resolve("liveperson-functions-cli/package.json"));
const example = (file: string) => readFileSync(path.join(cli, "bin/example", file), "utf8");
const snippets = JSON.parse(example("vscode/faas-snippets.code-snippets")) as Record<
  string,
  { body: string[] }
>;

/** A snippet as the editor inserts it into an async lambda: ${PLACEHOLDERS} filled in, \$ a plain $. */
function snippetLambda(name: string, values: Record<string, string>): string {
  const body = snippets[name]!.body.join("\n").replace(/\\\$|\$\{(\w+)\}/g, (_match, p?: string) =>
    p === undefined ? "$" : (values[p] ?? p),
  );
  return `async function lambda(input, callback) {\n${body}\ncallback(null, "done");\n}`;
}

let t: TestPlatform;
const logsOf = async (activationId: string) => {
  await t.platform.activations.flush();
  const res = await t.call("GET", `/v1/accounts/default/activations/${activationId}`);
  return (res.body.logs as { level: string; msg: string }[]).map((l) => `${l.level}: ${l.msg}`);
};
const invoke = (name: string, payload: unknown = {}) =>
  t.call("POST", `/api/account/default/lambdas/${name}/invoke?v=1`, {
    timestamp: Date.now(),
    headers: [],
    payload,
  });

before(async () => {
  t = await startPlatform();
  for (const key of ["api-token", "snippet-token"]) {
    await t.call("PUT", `/v1/accounts/default/secrets/${key}`, { value: "s3cret" });
  }
});
after(() => t.close());

describe("the hosted CLI's published examples", () => {
  it("the function template answers Hello World", async () => {
    await t.deploy("example", example("functions/exampleFunction/index.js"));
    const res = await invoke("example");
    assert.equal(res.status, 200);
    assert.equal(res.body, "Hello World");
  });

  it("the secret snippets read and update a secret", async () => {
    await t.deploy(
      "read-secret",
      // The snippet keeps what it read to itself; one log line (the only edit) lets the test see it.
      snippetLambda("Read Secret Snippet", { YOUR_SECRET: "snippet-token" }).replace(
        "const { key, value } = await secretClient.readSecret('snippet-token');",
        "const { key, value } = await secretClient.readSecret('snippet-token'); console.info(key, value);",
      ),
    );
    await t.deploy("update-secret", snippetLambda("Update Secret Snippet", { YOUR_SECRET: "snippet-token" }));
    const read = await invoke("read-secret");
    assert.deepEqual(await logsOf(read.headers.get("x-runlet-activation-id")!), [
      "info: snippet-token s3cret",
    ]);
    assert.equal((await invoke("update-secret")).status, 200);
    const again = await invoke("read-secret");
    assert.deepEqual(await logsOf(again.headers.get("x-runlet-activation-id")!), [
      "info: snippet-token some updated secret",
    ]);
  });

  it("the context store snippets create, update, read and delete a session property", async () => {
    const values = { YOUR_DEVELOPER_KEY: "key", YOUR_ACCOUNT_ID: "default" };
    const deploySnippet = (name: string, snippet: string) =>
      t.deploy(name, snippetLambda(snippet, values).replace(/YOUR_NAMESPACE/g, "default"));
    await deploySnippet("ctx-create", "Create Context Session Storage Snippet");
    await deploySnippet("ctx-update", "Update Context Session Storage Snippet");
    await deploySnippet("ctx-read", "Read Context Session Storage Snippet");
    await deploySnippet("ctx-delete", "Delete Context Session Storage Snippet");
    const run = async (name: string) => logsOf((await invoke(name)).headers.get("x-runlet-activation-id")!);
    assert.deepEqual(await run("ctx-create"), ['info: {"YOUR_PROPERTY":"YOUR_VALUE"}']);
    assert.deepEqual(await run("ctx-read"), ["info: YOUR_VALUE"]);
    assert.deepEqual(await run("ctx-update"), ['info: {"YOUR_PROPERTY":"YOUR_VALUE"}']);
    assert.deepEqual(await run("ctx-delete"), ["info: Property deleted"]);
    assert.deepEqual(await run("ctx-read"), ["info: undefined"]);
  });

  it("the HTTP snippet gets 403 for a host not on the allowlist, as on the hosted platform", async () => {
    await t.deploy(
      "http-snippet",
      snippetLambda("HTTP Snippet", { YOUR_URL: "https://blocked.example.com/" }),
    );
    const logs = await logsOf((await invoke("http-snippet")).headers.get("x-runlet-activation-id")!);
    assert.equal(logs.length, 2, logs.join("\n"));
    assert.match(logs[0]!, /blocked\.example\.com is not on the account's allowlist/);
    assert.equal(logs[1], "error: Recieved unexpected status code 403");
  });

  it("the vendor-only helpers fail with a message saying what to use instead", async () => {
    await t.deploy(
      "conversation",
      snippetLambda("Conversation Util Snippet", { YOUR_CONVERSATION_ID: "c1" }),
    );
    const res = await invoke("conversation");
    assert.equal(res.status, 502);
    assert.equal(res.body.errorCode, "com.liveperson.faas.handler.custom-failure");
    assert.match(
      res.body.errorMsg,
      /ConversationUtil\(\) reaches LivePerson's own platform services, which Runlet does not host/,
    );
  });
});

describe("a hosted lambda using SecretClient, ContextServiceClient and OrchestratorClient", () => {
  before(async () => {
    await t.deploy("double", `function lambda(input, callback) { callback(null, input.payload.n * 2); }`);
    await t.deploy(
      "refuse",
      `function lambda(input, callback) { callback(new Error("refused " + input.payload.n)); }`,
    );
    const uuid = async (name: string) =>
      (await t.call("GET", `/v1/accounts/default/functions/${name}`)).body.uuid;
    await t.deploy(
      "orchestrate",
      `const { Toolbelt, ErrorStrategy } = require("lp-faas-toolbelt");
       async function lambda(input, callback) {
         const secrets = Toolbelt.SecretClient();
         const store = Toolbelt.ContextServiceClient({ apiKey: "unused", accountId: "unused" });
         const orchestrator = Toolbelt.OrchestratorClient();
         const { value } = await secrets.readSecret("api-token");
         await store.createNamespace("carts", { ttl: 3600 });
         await store.setPropertiesInNamespace("carts", { items: 2, owner: "ada" }, "s-1");
         await store.updatePropertiesInNamespace("carts", { items: 3 }, "s-1");
         const session = await store.getAllPropertiesInSession("carts", "s-1");
         const sessions = await store.getListOfSessions("carts");
         const namespaces = (await store.getListOfNamespaces()).map((n) => n.name + ":" + (n.ttl || 0));
         const calls = [
           { uuid: "${await uuid("double")}", payload: { n: 1 } },
           { uuid: "${await uuid("refuse")}", payload: { n: 2 }, retries: 0 },
           { uuid: "double", payload: { n: 3 } },
         ];
         const parallel = await orchestrator.invoke(calls, 20000, { errorStrategy: ErrorStrategy.ContinueOnError, invokeParallel: true });
         const serial = await orchestrator.invoke(calls, { deadline: 20000, errorStrategy: "ContinueOnError", invokeParallel: false });
         let exited;
         try { await orchestrator.invoke(calls, 20000, { errorStrategy: ErrorStrategy.ExitOnError }); }
         catch (e) { exited = e.name + " " + e.code + " " + e.message; }
         let missing;
         try { await secrets.readSecret("nope"); } catch (e) { missing = e.code; }
         callback(null, { value, session, sessions, namespaces, parallel, serial, exited, missing });
       }`,
    );
  });

  it("runs unchanged and answers what each helper returned", async () => {
    const res = await invoke("orchestrate");
    assert.equal(res.status, 200, res.text);
    const { value, session, sessions, namespaces, parallel, serial, exited, missing } = res.body;
    assert.equal(value, "s3cret");
    assert.deepEqual(session, { items: 3, owner: "ada" });
    assert.deepEqual(sessions, ["s-1"]);
    assert.deepEqual(namespaces, ["default:0", "carts:3600"]);
    for (const results of [parallel, serial]) {
      assert.deepEqual(results[0].result, 2);
      assert.equal(results[1].error.code, "RUNLET_ERR_FUNCTION_ERROR");
      assert.match(results[1].error.message, /refused 2/);
      assert.deepEqual(results[2], { uuid: "double", result: 6 });
    }
    assert.match(exited, /^OrchestratorError RUNLET_ERR_FUNCTION_ERROR .*refused 2/);
    assert.equal(missing, "com.liveperson.faas.secret.not-found");
    const expires = await t.call("GET", "/v1/accounts/default/kv/lpctx-carts/s-1%2Fitems");
    assert.ok(
      Number(new Date(expires.headers.get("x-runlet-expires-at")!)) > Date.now(),
      "the namespace's TTL",
    );
  });
});
