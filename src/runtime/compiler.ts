// Bounded compiles for the server (issue 10 item 6). esbuild's time grows with the square of some inputs
// and its JS API runs every build in one shared service process, so a build cannot be stopped alone. Here
// each compile runs in a compile process of its own (compile-child.ts, with esbuild's service as its
// child), under a time and a memory limit; past either, the process group is killed and the upload refused.
import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { RunletError, type ErrorCode } from "../errors.js";
import type { CompileReply, CompileRequest } from "./compile-child.js";
import type { Compiled, SourceInput } from "./compile.js";
import { childEntry } from "./child-entry.js";
import { Slots } from "./slots.js";

export interface CompileLimits {
  /** Longest one compile may run (RUNLET_COMPILE_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** Resident memory one compile (node and esbuild together) may hold (RUNLET_COMPILE_MEMORY_MB). */
  readonly memoryMb: number;
  /** Compiles of one account at once (RUNLET_COMPILE_CONCURRENCY); more wait, up to `queue` each. */
  readonly perAccount: number;
  /** Compile processes on the node (RUNLET_COMPILE_PROCESSES). */
  readonly processes: number;
}

/** How many uploads of one account may wait for a compile before more are refused with 429. */
const QUEUE_PER_ACCOUNT = 8;
/** An idle compile process beyond the first is ended after this long (it holds node's and esbuild's memory). */
const IDLE_MS = 30_000;
const SAMPLE_MS = 100;
const PAGE = 4096;

/** One compile process; `run` sends it an upload and kills it when a limit is passed. */
class CompileProcess {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  #next = 0;
  #failure: ((err: RunletError) => void) | undefined;
  #stopped: RunletError | undefined;
  idleTimer: NodeJS.Timeout | undefined;
  dead = false;

  constructor(
    private readonly limits: CompileLimits,
    entry: string,
  ) {
    this.child = fork(entry, [], {
      // Its own process group, so esbuild's service process is killed with it.
      detached: true,
      execArgv: [`--max-old-space-size=${limits.memoryMb}`],
      // esbuild is written in Go: GOMEMLIMIT makes its collector work harder before the hard limit.
      env: { ...process.env, GOMEMLIMIT: `${Math.max(16, Math.floor(limits.memoryMb * 0.8))}MiB` },
      stdio: ["ignore", "ignore", "inherit", "ipc"],
      serialization: "advanced",
    });
    this.ready = new Promise((resolve, reject) => {
      this.child.once("message", () => resolve());
      this.child.once("exit", () => reject(new Error("the compile process ended while starting")));
    });
    this.ready.catch(() => undefined);
    this.child.on("exit", () => {
      this.dead = true;
      this.#failure?.(
        new RunletError(
          "RUNLET_ERR_COMPILE_MEMORY",
          this.overMemoryMessage("the compiler ran out of memory"),
        ),
      );
    });
    this.child.on("error", () => this.kill());
  }

  async run(input: SourceInput): Promise<Compiled> {
    try {
      await this.ready;
    } catch (err) {
      throw (
        this.#stopped ??
        new RunletError("RUNLET_ERR_PLATFORM", "the compile process failed to start", { cause: err })
      );
    }
    const id = ++this.#next;
    return new Promise<Compiled>((resolve, reject) => {
      const finish = (result: { err: RunletError; keep?: boolean } | { compiled: Compiled }) => {
        clearTimeout(timer);
        clearInterval(sampler);
        this.child.off("message", onMessage);
        this.#failure = undefined;
        if ("compiled" in result) return resolve(result.compiled);
        if (!result.keep) this.kill();
        reject(result.err);
      };
      this.#failure = (err) => finish({ err });
      const onMessage = (reply: CompileReply) => {
        if (reply.id !== id) return;
        if (reply.ok) {
          const { code, sourceMap } = reply;
          return finish({ compiled: sourceMap === undefined ? { code } : { code, sourceMap } });
        }
        // A compile error leaves the process usable; anything else replaces it.
        const known = reply.code === "RUNLET_ERR_COMPILE" || reply.code === "RUNLET_ERR_BAD_REQUEST";
        const code: ErrorCode = known ? reply.code : "RUNLET_ERR_PLATFORM";
        finish({ err: new RunletError(code, reply.message), keep: known });
      };
      const timer = setTimeout(() => {
        const message = `the code did not compile within ${this.limits.timeoutMs} ms, the server's compile time limit; upload smaller or simpler code`;
        finish({ err: new RunletError("RUNLET_ERR_COMPILE_TIMEOUT", message) });
      }, this.limits.timeoutMs);
      const sampler = setInterval(() => {
        if (this.residentBytes() <= this.limits.memoryMb * 1024 * 1024) return;
        const what = `compiling the code took more than ${this.limits.memoryMb} MB`;
        finish({ err: new RunletError("RUNLET_ERR_COMPILE_MEMORY", this.overMemoryMessage(what)) });
      }, SAMPLE_MS);
      this.child.on("message", onMessage);
      this.child.send({ id, input } satisfies CompileRequest);
    });
  }

  private overMemoryMessage(what: string): string {
    return `${what}, the server's compile memory limit; upload smaller code`;
  }

  /** Resident memory of the compile process and its children (esbuild's service), from /proc. */
  private residentBytes(): number {
    const pid = this.child.pid;
    if (pid === undefined) return 0;
    try {
      const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/);
      return [String(pid), ...children.filter(Boolean)].reduce((sum, p) => sum + rss(p), 0);
    } catch {
      return 0; // not Linux, or the process just ended: the time limit still holds
    }
  }

  /** Fails the compile in progress with `err` (the server is shutting down), then kills the process. */
  stop(err: RunletError): void {
    this.#stopped = err;
    this.#failure?.(err);
    this.kill();
  }

  kill(): void {
    this.dead = true;
    clearTimeout(this.idleTimer);
    const pid = this.child.pid;
    if (pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      this.child.kill("SIGKILL");
    }
  }
}

function rss(pid: string): number {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]) * PAGE;
  } catch {
    return 0;
  }
}

/**
 * The server's compiler: at most `processes` compiles at once on the node and `perAccount` per account,
 * each in its own killable process, kept warm between compiles. `close()` kills every one of them.
 */
export class Compiler {
  #idle: CompileProcess[] = [];
  #all = new Set<CompileProcess>();
  #slots: Slots;
  #accounts = new Map<string, Slots>();
  #closed = false;
  #entry = "";

  constructor(private readonly limits: CompileLimits) {
    this.#slots = new Slots(limits.processes, Infinity);
  }

  async compile(account: string, input: SourceInput): Promise<Compiled> {
    if (this.#closed) throw shuttingDown();
    let slots = this.#accounts.get(account);
    if (!slots) this.#accounts.set(account, (slots = new Slots(this.limits.perAccount, QUEUE_PER_ACCOUNT)));
    const own = slots;
    if (!(await own.acquire())) {
      throw new RunletError(
        "RUNLET_ERR_COMPILE_BUSY",
        `${this.limits.perAccount + QUEUE_PER_ACCOUNT} uploads of this account are compiling or waiting to; retry when they are done`,
        { headers: { "retry-after": String(Math.ceil(this.limits.timeoutMs / 1000)) } },
      );
    }
    try {
      await this.#slots.acquire();
      try {
        if (this.#closed) throw shuttingDown();
        this.#entry ||= await childEntry("compile-child");
        const worker = this.take();
        try {
          return await worker.run(input);
        } finally {
          this.giveBack(worker);
        }
      } finally {
        this.#slots.release();
      }
    } finally {
      own.release();
      if (own.idle) this.#accounts.delete(account);
    }
  }

  /** Process ids of the compile processes (tests check that none outlives close()). */
  pids(): number[] {
    return [...this.#all].map((p) => p.child.pid).filter((pid): pid is number => pid !== undefined);
  }

  /** Kills every compile process, running or idle; compiles in progress fail as the server shuts down. */
  close(): void {
    this.#closed = true;
    for (const worker of this.#all) worker.stop(shuttingDown());
    this.#all.clear();
    this.#idle = [];
  }

  private take(): CompileProcess {
    let worker = this.#idle.pop();
    while (worker?.dead) worker = this.#idle.pop();
    if (worker) {
      clearTimeout(worker.idleTimer);
      worker.child.ref();
      worker.child.channel?.ref();
      return worker;
    }
    const started = new CompileProcess(this.limits, this.#entry);
    this.#all.add(started);
    started.child.once("exit", () => this.#all.delete(started));
    return started;
  }

  private giveBack(worker: CompileProcess): void {
    if (worker.dead || this.#closed) {
      worker.kill();
      return;
    }
    worker.child.unref();
    worker.child.channel?.unref();
    // One process stays warm, so a deploy does not wait for node and esbuild to start; more are ended.
    worker.idleTimer = setTimeout(() => {
      if (this.#idle.length < 2) return;
      this.#idle = this.#idle.filter((w) => w !== worker);
      worker.kill();
    }, IDLE_MS);
    worker.idleTimer.unref();
    this.#idle.push(worker);
  }
}

function shuttingDown(): RunletError {
  return new RunletError(
    "RUNLET_ERR_UNAVAILABLE",
    "the server is shutting down; upload again once it is back",
  );
}
