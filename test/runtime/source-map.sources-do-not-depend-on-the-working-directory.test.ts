import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { tempDir, writeFiles } from "../cli/helpers.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

// `runlet dev` run from inside the function's folder compiled with that folder as the working directory:
// the map named `tmp/<folder>/index.ts`, so frames (and a debugger) pointed at no such file. A process of
// its own: esbuild's service (tsx starts one in every test process) keeps the directory it started in.
test("a version's source map names the author's files when compiled from inside their folder", () => {
  const dir = tempDir("runlet-cwd-");
  writeFiles(dir, {
    "index.ts": `import { twice } from "./lib/twice";\nexport default async () => twice(2);\n`,
    "lib/twice.ts": `export const twice = (n: number) => n * 2;\n`,
    "compile.mts": `
      import { bundleFunction } from ${JSON.stringify(pathToFileURL(path.join(root, "src/cli/bundle.ts")).href)};
      import { compileModule } from ${JSON.stringify(pathToFileURL(path.join(root, "src/runtime/compile.ts")).href)};
      const bundle = await bundleFunction(${JSON.stringify(path.join(dir, "index.ts"))}, process.cwd());
      const compiled = await compileModule({ source: bundle.code }, { sourceMap: true });
      console.log(JSON.stringify(JSON.parse(compiled.sourceMap).sources));
    `,
  });
  const tsx = pathToFileURL(path.join(root, "node_modules/tsx/dist/esm/index.mjs")).href;
  const child = spawnSync(process.execPath, ["--import", tsx, "compile.mts"], {
    cwd: dir,
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual((JSON.parse(child.stdout) as string[]).sort(), ["index.ts", "lib/twice.ts"]);
});
