// Type checks the editor's text in a worker, as the server would compile it: index.ts, strict, ES2022 and
// the isolate's globals (the WebWorker lib), with `runlet` resolving to the author types (types/index.d.ts).
// Everything is bundled (TypeScript, its lib files, the types): nothing is fetched at run time.
import { createSystem, createVirtualTypeScriptEnvironment } from "@typescript/vfs";
import ts from "typescript";
import runletTypes from "../../types/index.d.ts?raw";

const libs = import.meta.glob<string>(
  [
    "../../node_modules/typescript/lib/lib.es5.d.ts",
    "../../node_modules/typescript/lib/lib.es201*.d.ts",
    "../../node_modules/typescript/lib/lib.es202[0-2]*.d.ts",
    "../../node_modules/typescript/lib/lib.decorators*.d.ts",
    "../../node_modules/typescript/lib/lib.webworker*.d.ts",
    "!**/*.full.d.ts",
  ],
  { query: "?raw", import: "default", eager: true },
);

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2022.d.ts", "lib.webworker.d.ts"],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  isolatedModules: true,
  allowJs: true,
  baseUrl: "/",
  paths: { runlet: ["/runlet/index.d.ts"] },
};

const files = new Map<string, string>();
for (const [file, text] of Object.entries(libs)) files.set(`/${file.split("/").pop()}`, text);
files.set("/runlet/index.d.ts", runletTypes);
files.set("/index.ts", " "); // an empty file counts as missing
const env = createVirtualTypeScriptEnvironment(createSystem(files), ["/index.ts"], ts, options);

export interface Problem {
  from: number;
  to: number;
  message: string;
}

self.onmessage = (event: MessageEvent<{ id: number; source: string }>) => {
  const { id, source } = event.data;
  env.updateFile("/index.ts", source.length === 0 ? " " : source);
  const service = env.languageService;
  const diagnostics = [
    ...service.getSyntacticDiagnostics("/index.ts"),
    ...service.getSemanticDiagnostics("/index.ts"),
  ];
  const problems: Problem[] = diagnostics.map((d) => ({
    from: d.start ?? 0,
    to: (d.start ?? 0) + (d.length ?? 0),
    message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
  }));
  self.postMessage({ id, problems });
};
