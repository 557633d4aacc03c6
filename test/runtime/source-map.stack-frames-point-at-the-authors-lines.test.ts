import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { bundleFunction } from "../../src/cli/bundle.js";
import { compileModule } from "../../src/runtime/compile.js";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { tempDir, writeFiles } from "../cli/helpers.js";

// A 9-line index.ts that logs a stack at line 4 and throws at line 6, with a helper in a subfolder.
const INDEX = `import { describe } from "./lib/describe";

export default async function (event: { payload: { fail?: boolean } }) {
  console.log(new Error("where am I").stack);
  if (event.payload.fail) {
    throw new Error(describe("failed on purpose"));
  }
  return { ok: true };
}
`;
const HELPER = `export function describe(what: string): string {
  console.error(new Error("in the helper"));
  return what;
}
`;

let p: TestPlatform;
before(async () => {
  p = await startPlatform();
});
after(() => p.close());

async function failingActivation(name: string) {
  const res = await p.invoke(name, { fail: true });
  assert.equal(res.status, 502, res.text);
  assert.equal(res.body.error.code, "RUNLET_ERR_FUNCTION_ERROR");
  const id = res.headers.get("x-runlet-activation-id");
  const activation = await p.call("GET", `/v1/accounts/default/activations/${id}`);
  assert.equal(activation.status, 200);
  return { answer: res.body.error.message as string, activation: activation.body };
}

test("a function bundled by runlet deploy reports frames in index.ts and lib/describe.ts", async () => {
  const dir = tempDir("runlet-map-");
  writeFiles(dir, { "index.ts": INDEX, "lib/describe.ts": HELPER });
  const bundle = await bundleFunction(`${dir}/index.ts`, dir);
  await p.deploy("mapped", bundle.code);
  const { answer, activation } = await failingActivation("mapped");
  // The error the caller gets and the one recorded both point at line 6 of index.ts.
  assert.match(answer, /Error: failed on purpose\n\s+at \w+ \(index\.ts:6:11\)/);
  assert.match(activation.error.message, /at \w+ \(index\.ts:6:11\)/);
  assert.doesNotMatch(activation.error.message, /fn:default\/mapped@/);
  const logs = activation.logs.map((line: { msg: string }) => line.msg).join("\n");
  assert.match(logs, /Error: where am I\n\s+at \w+ \(index\.ts:4:15\)/);
  assert.match(logs, /Error: in the helper\n\s+at describe \(lib\/describe\.ts:2:17\)/);
  // The logs route shows the same lines.
  const route = await p.call("GET", "/v1/accounts/default/functions/mapped/logs");
  assert.match(JSON.stringify(route.body), /index\.ts:4:15/);
});

test("a TypeScript upload compiled by the server maps to index.ts too", async () => {
  await p.deploy(
    "raw",
    INDEX.replace(`import { describe } from "./lib/describe";`, "const describe = (s: string) => s;"),
  );
  const { activation } = await failingActivation("raw");
  assert.match(activation.error.message, /at \w+ \(index\.ts:6:11\)/);
});

test("a code that throws while loading names its line at deploy", async () => {
  const res = await p.call("PUT", "/v1/accounts/default/functions/broken", {
    source: "const a = 1;\n\nthrow new Error('no config');\nexport default () => a;\n",
  });
  assert.equal(res.status, 400);
  assert.equal(res.body.error.code, "RUNLET_ERR_MODULE_INIT");
  assert.match(res.body.error.message, /index\.ts:3:7/);
});

test("polyfills are bundled only into code that uses them", async () => {
  const small = await compileModule({ source: "export default async () => ({ hello: 'world' });\n" });
  assert.ok(small.code.split("\n").length < 50, `${small.code.split("\n").length} lines`);
  assert.doesNotMatch(small.code, /unenv/);
  const buffer = await compileModule({
    source: "export default async () => Buffer.from('hi').toString('hex');\n",
  });
  assert.match(buffer.code, /unenv\/runtime\/node\/buffer/);
});
