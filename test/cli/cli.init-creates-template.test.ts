import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { run, tempDir } from "./helpers.js";

const SHAPES = {
  event: /export default async function handler\(event(: Event<Payload>)?, ctx(: Context)?\)/,
  http: /export default \{\s+(\/\*\*[\s\S]*?\*\/\s+)?async fetch\(request(: Request)?, env/,
  classic: /^function lambda\(input(: ClassicInput<[^>]*>)?, callback/m,
};

for (const style of ["event", "http", "classic"] as const) {
  for (const js of [false, true]) {
    const file = js ? "index.js" : "index.ts";
    test(`init --style ${style}${js ? " --js" : ""} writes ${file} and runlet.json`, async () => {
      const cwd = tempDir();
      const args = ["init", "my-fn", "--style", style, ...(js ? ["--js"] : [])];
      const { code, stdout, stderr } = await run(args, { cwd });
      assert.equal(code, 0, stderr);
      const source = readFileSync(path.join(cwd, "my-fn", file), "utf8");
      assert.match(source, SHAPES[style]);
      assert.equal(source.match(/console\.log\(/g)?.length, 1, "one console.log so logs show something");
      if (js) assert.doesNotMatch(source, /interface /);
      // Only the author types (erased when bundled): running a template needs no package.
      assert.doesNotMatch(source, /^import (?!type \{[^}]+\} from "runlet";$)/m, "templates need no package");
      if (!js)
        assert.ok(existsSync(path.join(cwd, "my-fn", "tsconfig.json")), "TypeScript comes with a tsconfig");
      const config: unknown = JSON.parse(readFileSync(path.join(cwd, "my-fn", "runlet.json"), "utf8"));
      assert.deepEqual(config, { name: "my-fn" });
      assert.match(stdout, new RegExp(`created my-fn/ \\(${style} style`));
      assert.match(stdout, /runlet deploy my-fn/);
      assert.match(stdout, /runlet invoke my-fn --data '\{"name":"Ada"\}'/);
    });
  }
}

test("init defaults to the event style in TypeScript", async () => {
  const cwd = tempDir();
  const { code, stdout } = await run(["init", "hello", "--json"], { cwd });
  assert.equal(code, 0);
  const result = JSON.parse(stdout) as { name: string; style: string; files: string[] };
  assert.equal(result.style, "event");
  assert.deepEqual(result.files, [
    path.join("hello", "index.ts"),
    path.join("hello", "runlet.json"),
    path.join("hello", "tsconfig.json"),
  ]);
  assert.match(readFileSync(path.join(cwd, "hello", "index.ts"), "utf8"), SHAPES.event);
});

test("init rejects names that are not valid function names, as a usage error", async () => {
  const cwd = tempDir();
  for (const name of ["Hello", "1abc", "with_underscore", "a".repeat(64), "-x"]) {
    const { code, stderr } = await run(["init", "--", name], { cwd });
    assert.equal(code, 2, name);
    assert.match(stderr, /^runlet: invalid function name/, name);
    assert.match(stderr, /hint: /);
    assert.equal(existsSync(path.join(cwd, name)), false);
  }
  assert.equal((await run(["init", "a".repeat(63)], { cwd })).code, 0);
});

test("init refuses a folder that exists and is not empty, and leaves it alone", async () => {
  const cwd = tempDir();
  mkdirSync(path.join(cwd, "taken"));
  writeFileSync(path.join(cwd, "taken", "index.ts"), "// mine\n");
  const { code, stderr } = await run(["init", "taken"], { cwd });
  assert.equal(code, 1);
  assert.match(stderr, /runlet: taken\/ already exists and is not empty/);
  assert.equal(readFileSync(path.join(cwd, "taken", "index.ts"), "utf8"), "// mine\n");
  assert.equal(existsSync(path.join(cwd, "taken", "runlet.json")), false);
});

test("init fills an existing empty folder", async () => {
  const cwd = tempDir();
  mkdirSync(path.join(cwd, "empty"));
  assert.equal((await run(["init", "empty"], { cwd })).code, 0);
  assert.ok(existsSync(path.join(cwd, "empty", "index.ts")));
});

test("init with an unknown style is a usage error", async () => {
  const { code, stderr } = await run(["init", "x", "--style", "grpc"], { cwd: tempDir() });
  assert.equal(code, 2);
  assert.match(stderr, /Allowed choices are event, http, classic/);
});
