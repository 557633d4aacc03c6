// `runlet dev --inspect`: the host's side of an instance that runs in a child process (child.ts), open to
// a debugger. Pools hold it like any instance; disposing it kills the process (SIGKILL), which is how an
// inspector isolate ends safely (see Spare.inspector).
import { fork, type ChildProcess } from "node:child_process";
import { PassThrough } from "node:stream";
import { RunletError } from "../../errors.js";
import type { HandlerStyle } from "../../model/function.js";
import type { Failed } from "../../outcomes.js";
import { childEntry } from "../child-entry.js";
import { failureOf, type Caller } from "../host-ops.js";
import type { InstanceHandle } from "../instance-handle.js";
import { ModuleLoadError, type InstanceOptions, type InvocationInput, type RawOutcome } from "../instance.js";
import { ATTACHED_TIMEOUT_MS, type FromChild, type ToChild } from "./protocol.js";

type Failure = Pick<Failed, "status" | "code" | "message">;

/** Longest a child may take to start and load the module; past it, it is killed and the start fails. */
const BOOT_MS = 30_000;
/** What the host waits past the child's own timeout before it writes the child off (it stopped answering). */
const GRACE_MS = 5_000;

interface Pending {
  input: InvocationInput;
  started: number;
  timer: NodeJS.Timeout;
  body?: PassThrough;
  resolve(outcome: RawOutcome): void;
}

/** A debugger's connection to the instance's isolate: DevTools-protocol text both ways. */
export interface DebugSession {
  send(message: string): void;
  close(): void;
}

export class RemoteInstance implements InstanceHandle {
  style: HandlerStyle = "event";
  startMs = 0;
  footprintBytes = 0;
  measuredAt = 0;
  #inFlight = 0;
  #lastUsed = Date.now();
  #alive = true;
  #pending = new Map<string, Pending>();
  #sessions = new Map<number, { onMessage(message: string): void; onClose(): void }>();
  #nextSession = 0;
  /** Settles when the child process has ended. */
  readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly options: InstanceOptions,
  ) {
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    child.on("message", (message: FromChild) => this.onMessage(message));
    child.once("exit", () => {
      this.#alive = false;
      this.failAll({
        status: "platform_error",
        code: "RUNLET_ERR_PLATFORM",
        message: "the inspected instance's process ended while the invocation ran; retry",
      });
      for (const session of this.#sessions.values()) session.onClose();
      this.#sessions.clear();
    });
  }

  /** Forks the child, loads the version's module there; fails as Instance.start does (ModuleLoadError). */
  static async start(options: InstanceOptions, sourceMap: string | undefined): Promise<RemoteInstance> {
    const child = fork(await childEntry("inspect-child"), [], {
      execArgv: ["--no-node-snapshot"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      serialization: "advanced",
    });
    const remote = new RemoteInstance(child, options);
    const { code, account, name, version, env, memoryMb, logLines, logBytes, responseBytes } = options;
    const booted = new Promise<FromChild>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error("the inspected instance did not start in time")),
        BOOT_MS,
      );
      child.on("message", (message: FromChild) => {
        if (message.type !== "booted" && message.type !== "boot-failed") return;
        clearTimeout(timer);
        resolve(message);
      });
      child.once("exit", () => {
        clearTimeout(timer);
        reject(new Error("the inspected instance's process ended while starting"));
      });
    });
    remote.send({
      type: "boot",
      boot: {
        code,
        account,
        name,
        version,
        env,
        memoryMb,
        logLines,
        logBytes,
        responseBytes,
        blobs: options.ops?.blobs() ?? [],
        ...(sourceMap !== undefined ? { sourceMap } : {}),
      },
    });
    let answer: FromChild;
    try {
      answer = await booted;
    } catch (err) {
      remote.dispose();
      throw err;
    }
    if (answer.type === "boot-failed") {
      remote.dispose();
      if (answer.moduleError)
        throw new ModuleLoadError(answer.code as ModuleLoadError["code"], answer.message);
      throw new RunletError("RUNLET_ERR_PLATFORM", answer.message);
    }
    if (answer.type === "booted") {
      remote.style = answer.style;
      remote.startMs = answer.startMs;
    }
    return remote;
  }

  get inFlight(): number {
    return this.#inFlight;
  }
  get lastUsed(): number {
    return this.#lastUsed;
  }
  get alive(): boolean {
    return this.#alive;
  }
  /** The debugged instance takes every invocation while it lives (one function, one developer). */
  get accepting(): boolean {
    return this.#alive;
  }
  /** The child's process id (tests check that it ends). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  admit(): void {
    this.#inFlight += 1;
  }

  vacate(): void {
    this.#inFlight -= 1;
    this.#lastUsed = Date.now();
  }

  invoke(input: InvocationInput, timeoutMs: number): Promise<RawOutcome> {
    return new Promise((resolve) => {
      const started = performance.now();
      if (!this.#alive) {
        resolve(this.failed(started, { ...GONE, message: "the instance is gone" }));
        return;
      }
      const timer = setTimeout(
        () => {
          this.stop({ ...GONE, message: "the inspected instance stopped answering; it was restarted" });
        },
        Math.max(timeoutMs, ATTACHED_TIMEOUT_MS) + GRACE_MS,
      );
      this.#pending.set(input.id, { input, started, timer, resolve });
      const { onStream, ...job } = input;
      this.send({ type: "invoke", input: job, stream: onStream !== undefined, timeoutMs });
    });
  }

  /** Not measured: the isolate is in another process, outside this node's memory budget. */
  measure(): Promise<number> {
    this.measuredAt = Date.now();
    return Promise.resolve(0);
  }

  stop(failure: Failure): void {
    this.failAll(failure);
    this.dispose();
  }

  dispose(): void {
    this.#alive = false;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
  }

  /** Opens a debugger session on the isolate; `onClose` runs when the instance ends. */
  openSession(onMessage: (message: string) => void, onClose: () => void): DebugSession {
    const session = ++this.#nextSession;
    this.#sessions.set(session, { onMessage, onClose });
    this.send({ type: "session-open", session });
    return {
      send: (message) => this.send({ type: "session-message", session, message }),
      close: () => {
        if (this.#sessions.delete(session)) this.send({ type: "session-close", session });
      },
    };
  }

  private send(message: ToChild): void {
    if (this.child.connected) this.child.send(message, (err) => err && this.dispose());
  }

  private onMessage(message: FromChild): void {
    switch (message.type) {
      case "outcome": {
        const pending = this.take(message.id);
        if (message.outcome.status === "succeeded") pending?.body?.end();
        else pending?.body?.destroy(new Error(message.outcome.message));
        pending?.resolve(message.outcome);
        // Timed out or over its memory: the child left the isolate alone; its process goes instead.
        if (!message.alive) this.dispose();
        return;
      }
      case "call":
        return this.onCall(message.callId, message.caller, message.op, message.args);
      case "stream-start": {
        const pending = this.#pending.get(message.id);
        if (!pending?.input.onStream || pending.body) return;
        pending.body = new PassThrough();
        pending.input.onStream({ status: message.status, headers: message.headers, body: pending.body });
        return;
      }
      case "stream-chunk":
        return void this.#pending.get(message.id)?.body?.write(Buffer.from(message.chunk));
      case "stream-end": {
        const body = this.#pending.get(message.id)?.body;
        if (message.error) body?.destroy(new Error(message.error));
        return;
      }
      case "session-message":
        return this.#sessions.get(message.session)?.onMessage(message.message);
      case "lost":
        return this.options.onLost?.();
    }
  }

  /** A host operation of the function, run here as the server would; the caller is this instance's. */
  private onCall(callId: number, caller: Omit<Caller, "log">, op: string, args: unknown): void {
    const ops = this.options.ops;
    const answer = (reply: ToChild) => this.#alive && this.send(reply);
    if (!ops) {
      answer({
        type: "answer",
        callId,
        ok: false,
        failure: failureOf(new Error(`${op} is not available here`)),
      });
      return;
    }
    const { account, name, version } = this.options;
    ops
      .call(
        {
          ...caller,
          account,
          function: name,
          version,
          log: (level, message) => answer({ type: "log", callId, level, message }),
        },
        op,
        args,
      )
      .then(
        (value) => answer({ type: "answer", callId, ok: true, value: value ?? null }),
        (err: unknown) => answer({ type: "answer", callId, ok: false, failure: failureOf(err) }),
      );
  }

  private take(id: string): Pending | undefined {
    const pending = this.#pending.get(id);
    if (!pending) return undefined;
    clearTimeout(pending.timer);
    this.#pending.delete(id);
    return pending;
  }

  private failed(started: number, failure: Failure): RawOutcome {
    return { ...failure, logs: [], logsTruncated: false, durationMs: performance.now() - started };
  }

  private failAll(failure: Failure): void {
    for (const id of [...this.#pending.keys()]) {
      const pending = this.take(id);
      pending?.body?.destroy(new Error(failure.message));
      pending?.resolve(this.failed(pending.started, failure));
    }
  }
}

const GONE: Omit<Failure, "message"> = { status: "platform_error", code: "RUNLET_ERR_PLATFORM" };
