// Runs bench/load.ts (autocannon) in a child process against one target and returns its numbers.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startChild, tsxArgs } from "./children.js";
import { cpuSnapshot, cpuUse, type CpuSnapshot } from "./cpu.js";
import type { Summary } from "./stats.js";

export interface LoadSpec {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  connections: number;
  pipelining: number;
  durationSeconds: number;
  warmupSeconds: number;
}

export interface LoadResult {
  durationSeconds: number;
  /** 2xx responses. */
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** 2xx responses per second. */
  okPerSecond: number;
  /** Latency of 2xx responses, milliseconds. */
  latencyMs: Summary;
  /** Cores used during the measured phase by the server, the load generator and everything else. */
  cpu?: { server: number; load: number; other: number };
}

const LOAD_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "load.ts");

/** Loads `spec.url`; `serverPid` is the process whose CPU use is reported as the server's. */
export async function runLoad(spec: LoadSpec, serverPid?: number): Promise<LoadResult> {
  let before: CpuSnapshot | undefined;
  let after: CpuSnapshot | undefined;
  const pids = (): number[] => [serverPid ?? -1, child.proc.pid ?? -1].filter((pid) => pid > 0);
  const child = startChild("load generator", process.execPath, tsxArgs(LOAD_SCRIPT, JSON.stringify(spec)), {
    keepStdout: true,
    onStdoutLine(line) {
      if (line === "measuring") before = cpuSnapshot(pids());
      else if (line === "measured") after = cpuSnapshot(pids());
    },
  });
  try {
    const code = await child.exited;
    const line = child.stdout().trim().split("\n").pop() ?? "";
    if (code !== 0 || !line.startsWith("{")) {
      throw new Error(`load generator failed (exit ${String(code)}): ${child.outputTail()}`);
    }
    const result = JSON.parse(line) as LoadResult;
    const use = cpuUse(before, after);
    if (use) {
      result.cpu = {
        server: serverPid ? (use.perPid[serverPid] ?? Number.NaN) : Number.NaN,
        load: child.proc.pid ? (use.perPid[child.proc.pid] ?? Number.NaN) : Number.NaN,
        other: use.other,
      };
    }
    return result;
  } finally {
    await child.stop();
  }
}
