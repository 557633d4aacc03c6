import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "fatal-oom-child.ts");

export interface FatalOomReport {
  failed?: string;
  status: number;
  error: { code: string; message: string };
  answered: number;
  health: number;
  neighbour: unknown;
  /** How the child ended: it kills itself after reporting (a written-off isolate's thread blocks exit). */
  signal: NodeJS.Signals | null;
  output: string;
}

/**
 * Runs an attack that makes V8 itself run out of memory (not a JS allocation isolated-vm's limit catches)
 * on a platform in a child process, alongside the neighbour, and returns what the child saw.
 */
export function runFatalOomAttack(source: string): FatalOomReport {
  const run = spawnSync(process.execPath, ["--no-node-snapshot", "--import", "tsx", CHILD, source], {
    encoding: "utf8",
    timeout: 120_000,
  });
  const line = run.stdout.trim().split("\n").pop() ?? "";
  const output = `signal ${run.signal}, exit ${run.status}\n${run.stdout}\n${run.stderr.slice(-2000)}`;
  const report = line.startsWith("{")
    ? (JSON.parse(line) as FatalOomReport)
    : ({ failed: output } as FatalOomReport);
  return { ...report, signal: run.signal, output };
}
