import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import ts from "typescript";
import { bundleFunction } from "../../src/cli/bundle.js";
import { template } from "../../src/cli/templates/index.js";
import { run, tempDir, writeFiles } from "./helpers.js";

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

test("the TypeScript templates `runlet init` writes type-check with tsc and their own tsconfig.json", async () => {
  const cwd = tempDir();
  for (const style of ["event", "http", "classic"] as const) {
    const { code, stderr } = await run(["init", `hello-${style}`, "--style", style], { cwd });
    assert.equal(code, 0, stderr);
    const dir = path.join(cwd, `hello-${style}`);
    const configFile = ts.readConfigFile(path.join(dir, "tsconfig.json"), ts.sys.readFile);
    assert.equal(configFile.error, undefined);
    const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, dir);
    assert.deepEqual(parsed.errors, []);
    assert.equal(parsed.options.strict, true);
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    assert.deepEqual(problems, [], style);
    // The types really are runlet's: a wrong use of ctx is an error.
    writeFiles(dir, {
      "wrong.ts": `import type { Handler } from "runlet";\nexport const h: Handler = (e, ctx) => ctx.kv.get(1);\n`,
    });
    const wrong = ts.createProgram([...parsed.fileNames, path.join(dir, "wrong.ts")], parsed.options);
    assert.equal(ts.getPreEmitDiagnostics(wrong).length > 0, true, "a number is not a kv key");
  }
});
