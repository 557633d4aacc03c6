// Child processes and temp dirs the benchmarks create, tracked so that every one of them is cleaned up:
// by `stop()` in the benchmark's finally block, and as a last resort on SIGINT/SIGTERM or process exit.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const TAIL_BYTES = 16 * 1024;

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let handlersInstalled = false;

function killAllNow(): void {
  for (const proc of live) {
    try {
      proc.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
  live.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** Installs the last-resort cleanup once: children die with us whatever the reason we exit. */
export function installCleanupHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", killAllNow);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      console.error(`\nbench: ${signal}, stopping ${live.size} child process(es)`);
      killAllNow();
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  }
}

/** A fresh directory under the OS temp dir, removed by `removeTempDir` or at exit. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `runlet-bench-${prefix}-`));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  tempDirs.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}

export interface Child {
  readonly name: string;
  readonly proc: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** True once the process has exited. */
  hasExited(): boolean;
  /** The last few KiB of stdout and stderr, for error messages. */
  outputTail(): string;
  /** All of stdout (only kept when `keepStdout` was set). */
  stdout(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  keepStdout?: boolean;
  /** Called with each complete line the child writes on stdout. */
  onStdoutLine?: (line: string) => void;
}

export function startChild(name: string, command: string, args: string[], options: StartOptions = {}): Child {
  installCleanupHandlers();
  const proc = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(proc);
  let tail = "";
  let out = "";
  let exitedFlag = false;
  const append = (chunk: Buffer): void => {
    tail += chunk.toString("utf8");
    if (tail.length > TAIL_BYTES) tail = tail.slice(-TAIL_BYTES);
  };
  let partial = "";
  proc.stdout?.on("data", (chunk: Buffer) => {
    if (options.keepStdout) out += chunk.toString("utf8");
    else append(chunk);
    if (options.onStdoutLine) {
      const lines = (partial + chunk.toString("utf8")).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) options.onStdoutLine(line);
    }
  });
  proc.stderr?.on("data", append);
  const exited = new Promise<number | string>((resolve) => {
    proc.on("error", (err) => {
      append(Buffer.from(`\n[spawn error] ${err.message}\n`));
      exitedFlag = true;
      live.delete(proc);
      resolve("spawn-error");
    });
    proc.on("exit", (code, signal) => {
      exitedFlag = true;
      live.delete(proc);
      resolve(code ?? signal ?? "unknown");
    });
  });
  return {
    name,
    proc,
    exited,
    hasExited: () => exitedFlag,
    outputTail: () => tail.trim(),
    stdout: () => out,
    async stop(graceMs = 3000) {
      if (exitedFlag) return;
      proc.kill("SIGTERM");
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), graceMs);
      });
      const outcome = await Promise.race([exited, timeout]);
      clearTimeout(timer);
      if (outcome === "timeout" && !exitedFlag) {
        proc.kill("SIGKILL");
        await exited;
      }
    },
  };
}

/** Arguments to run a TypeScript file of this folder in a fresh node with tsx. */
export function tsxArgs(file: string, ...args: string[]): string[] {
  return ["--import", "tsx", file, ...args];
}

/** The environment for a child: ours without any RUNLET_* variable, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("RUNLET_")) env[key] = value;
  }
  return { ...env, ...extra };
}
