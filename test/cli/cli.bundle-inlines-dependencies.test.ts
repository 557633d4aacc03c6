import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { bundleFunction } from "../../src/cli/bundle.js";
import { CliError } from "../../src/cli/cli-error.js";
import { tempDir, writeFiles } from "./helpers.js";

/** Evaluates a bundled ES module and returns its exports. */
async function load(code: string): Promise<Record<string, unknown>> {
  return (await import(`data:text/javascript,${encodeURIComponent(code)}`)) as Record<string, unknown>;
}

test("a dependency from the folder's node_modules is inlined, picking its worker variant", async () => {
  const dir = tempDir();
  writeFiles(dir, {
    "index.ts": [
      'import { greet } from "tiny-greet";',
      "export default async function (event: { payload: { name: string } }) {",
      "  return greet(event.payload.name);",
      "}",
    ].join("\n"),
    "node_modules/tiny-greet/package.json": JSON.stringify({
      name: "tiny-greet",
      main: "node.cjs",
      exports: { ".": { worker: "./worker.js", node: "./node.cjs", default: "./node.cjs" } },
    }),
    "node_modules/tiny-greet/worker.js":
      "export const greet = (name) => `hello ${name} from the worker build`;\n",
    "node_modules/tiny-greet/node.cjs": "exports.greet = (name) => require('node:os').hostname() + name;\n",
  });
  const bundle = await bundleFunction(path.join(dir, "index.ts"), dir);
  assert.doesNotMatch(
    bundle.code,
    /from\s+["']tiny-greet["']|require\(/,
    "no import left to resolve at run time",
  );
  const handler = (await load(bundle.code)).default as (e: unknown) => Promise<string>;
  assert.equal(await handler({ payload: { name: "Ada" } }), "hello Ada from the worker build");
});

test("a package with only a module field is found through mainFields", async () => {
  const dir = tempDir();
  writeFiles(dir, {
    "index.js": 'import pad from "left";\nexport default async () => pad("7");\n',
    "node_modules/left/package.json": JSON.stringify({ name: "left", module: "esm.js" }),
    "node_modules/left/esm.js": 'export default (s) => s.padStart(3, "0");\n',
  });
  const bundle = await bundleFunction(path.join(dir, "index.js"), dir);
  const handler = (await load(bundle.code)).default as () => Promise<string>;
  assert.equal(await handler(), "007");
});

test("a classic lambda survives bundling even though nothing in the module calls it", async () => {
  const dir = tempDir();
  writeFiles(dir, {
    "index.js": "function lambda(input, callback) {\n  callback(null, { got: input.payload });\n}\n",
  });
  const bundle = await bundleFunction(path.join(dir, "index.js"), dir);
  assert.match(bundle.code, /function lambda\(input, callback\)/);
});

test("a syntax error is reported as file:line:column with the offending line", async () => {
  const cwd = tempDir();
  writeFiles(cwd, {
    "broken/index.ts": "export default async function () {\n  const x = ;\n  return x;\n}\n",
  });
  await assert.rejects(bundleFunction(path.join(cwd, "broken", "index.ts"), cwd), (err: unknown) => {
    assert.ok(err instanceof CliError);
    assert.equal(err.code, "RUNLET_ERR_COMPILE");
    assert.match(err.message, /^broken\/index\.ts:2:13: Unexpected ";"/);
    assert.match(err.message, /2 \| {3}const x = ;/);
    return true;
  });
});

test("importing a Node built-in fails with a hint about the isolate", async () => {
  const dir = tempDir();
  writeFiles(dir, {
    "index.ts": 'import fs from "node:fs";\nexport default async () => fs.readdirSync(".");\n',
  });
  await assert.rejects(bundleFunction(path.join(dir, "index.ts"), dir), (err: unknown) => {
    assert.ok(err instanceof CliError);
    assert.match(
      err.message,
      /index\.ts:1:\d+: the Node\.js module "fs" \(imported by index\.ts\) is not available/,
    );
    assert.match(err.fix ?? "", /without Node built-ins/);
    return true;
  });
});

test("a missing package fails with a hint to install it", async () => {
  const dir = tempDir();
  writeFiles(dir, { "index.ts": 'import x from "not-installed";\nexport default async () => x;\n' });
  await assert.rejects(bundleFunction(path.join(dir, "index.ts"), dir), (err: unknown) => {
    assert.ok(err instanceof CliError);
    assert.match(err.fix ?? "", /npm install/);
    return true;
  });
});
