import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import ts from "typescript";
import { bundleFunction } from "../../src/cli/bundle.js";
import { template } from "../../src/cli/templates/index.js";
import { tempDir, writeFiles } from "./helpers.js";

type Language = "ts" | "js";
const LANGUAGES: Language[] = ["ts", "js"];
const ctx = { activationId: "act_1", env: {} };

/** Bundles a template the way `deploy` does and returns the bundled code. */
async function bundled(style: "event" | "http" | "classic", language: Language): Promise<string> {
  const dir = tempDir();
  writeFiles(dir, { [`index.${language}`]: template(style, language, "hello") });
  return (await bundleFunction(path.join(dir, `index.${language}`), dir)).code;
}

async function load(code: string): Promise<Record<string, unknown>> {
  return (await import(`data:text/javascript,${encodeURIComponent(code)}`)) as Record<string, unknown>;
}

for (const language of LANGUAGES) {
  test(`the event template (${language}) answers hello with the payload's name`, async () => {
    const handler = (await load(await bundled("event", language))).default as (
      e: unknown,
      c: unknown,
    ) => unknown;
    const event = { id: "1", type: "invoke", payload: { name: "Ada" }, headers: {} };
    assert.deepEqual(await handler(event, ctx), { hello: "Ada" });
    assert.deepEqual(await handler({ ...event, payload: undefined }, ctx), { hello: "world" });
  });

  test(`the http template (${language}) answers a JSON Response`, async () => {
    const mod = (await load(await bundled("http", language))).default as {
      fetch(r: Request, env: unknown, c: unknown): Promise<Response>;
    };
    const post = new Request("http://fn/hello", { method: "POST", body: JSON.stringify({ name: "Ada" }) });
    const response = await mod.fetch(post, {}, ctx);
    assert.equal(response.headers.get("content-type"), "application/json");
    assert.deepEqual(await response.json(), { hello: "Ada" });
    const get = await mod.fetch(new Request("http://fn/hello?name=Bob"), {}, ctx);
    assert.deepEqual(await get.json(), { hello: "Bob" });
  });

  test(`the classic template (${language}) calls back with the payload`, async () => {
    const code = await bundled("classic", language);
    const lambda = new Function(`${code}\nreturn lambda;`)() as (
      i: unknown,
      cb: (e: unknown, r: unknown) => void,
    ) => void;
    const result = await new Promise((resolve, reject) =>
      lambda({ timestamp: 5, headers: [], payload: { name: "Ada" } }, (e, r) => (e ? reject(e) : resolve(r))),
    );
    assert.deepEqual(result, { hello: "Ada", at: 5 });
  });
}

test("the TypeScript templates type-check in strict mode with no packages installed", () => {
  const dir = tempDir();
  const files = (["event", "http", "classic"] as const).map((style) => {
    const file = path.join(dir, `${style}.ts`);
    writeFiles(dir, { [`${style}.ts`]: template(style, "ts", "hello") });
    return file;
  });
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    types: [],
  });
  const problems = ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  assert.deepEqual(problems, []);
});
