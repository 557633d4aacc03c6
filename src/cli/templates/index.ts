import type { HandlerStyle } from "../../model/function.js";
import { classicJs, classicTs } from "./classic.js";
import { eventJs, eventTs } from "./event.js";
import { httpJs, httpTs } from "./http.js";

export const STYLES: readonly HandlerStyle[] = ["event", "http", "classic"];

const TEMPLATES: Record<HandlerStyle, { ts: string; js: string }> = {
  event: { ts: eventTs, js: eventJs },
  http: { ts: httpTs, js: httpJs },
  classic: { ts: classicTs, js: classicJs },
};

/** The source of a new function's entry file; `<name>` in comments becomes the function's name. */
export function template(style: HandlerStyle, language: "ts" | "js", name: string): string {
  return TEMPLATES[style][language].replaceAll("<name>", name);
}

/**
 * tsconfig.json of a TypeScript function folder: strict, the isolate's globals (the WebWorker lib), and
 * `runlet`'s author types found at `typesPath` (relative to the folder).
 */
export function tsconfig(typesPath: string): string {
  const config = {
    compilerOptions: {
      target: "ES2022",
      module: "ESNext",
      moduleResolution: "Bundler",
      lib: ["ES2022", "WebWorker"],
      types: [],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      isolatedModules: true,
      paths: { runlet: [typesPath] },
    },
    include: ["**/*.ts"],
    exclude: ["node_modules"],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
