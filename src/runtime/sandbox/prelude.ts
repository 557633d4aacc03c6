// Runs first in every isolate: captures the host bindings and the built-ins it needs (primordials.ts),
// installs the globals functions may use, and hands the host its four entry points (setup, batch, fire,
// reply), which tenant code never sees.
import { makeContext } from "./context.js";
import { enterActivation, globalConsole, installLogSink, leaveActivation } from "./console.js";
import { describe, detect, type Handler } from "./handlers.js";
import { dropAll, installHostCall, reply } from "./hostcall.js";
import { clearAll, fire, installTimerHost, timerGlobals } from "./timers.js";
import { installWebGlobals } from "./globals.js";
import { enterContext, installCurrentContext, leaveContext } from "./current-context.js";
import {
  ArrayPrototypePush,
  JSONParse,
  ObjectFreeze,
  PromisePrototypeThen,
  SafeError,
  SafePromise,
  bare,
} from "./primordials.js";
import { installMemoryLimits } from "./memory-limits.js";
import { installJsonBound } from "./json-bound.js";

const g = globalThis as unknown as Record<string, unknown>;
const host = g.__runlet_host as RunletHostBindings;
delete g.__runlet_host;

installMemoryLimits(host.memoryBytes, () => host.memoryExceeded());
installJsonBound(host.memoryBytes, () => host.memoryExceeded());

installTimerHost(host);
installHostCall(host);
Object.assign(g, timerGlobals, { console: globalConsole });
installWebGlobals(host);
installCurrentContext();

let handler: Handler | undefined;
let setup: SetupOptions | undefined;
let inFlight = 0;

/** Runs once, after the function's module loaded: a second call (only the host holds it) does nothing. */
function setupOnce(optionsJson: string): string {
  if (setup) throw new SafeError("the instance is set up already");
  const options = JSONParse(optionsJson) as SetupOptions;
  setup = options;
  installLogSink({ send: host.log, logLines: options.logLines, logBytes: options.logBytes });
  handler = detect(g.__runlet_module, options.responseBytes);
  g.__runlet_module = undefined;
  return handler.style;
}

/** describe(err), which never throws (a thrown value's getters are the tenant's code). */
function safeDescribe(err: unknown): string {
  try {
    return describe(err);
  } catch {
    return "the function threw a value that cannot be described";
  }
}

function failed(err: unknown): Envelope {
  return bare({ ok: false, code: "function_error", message: safeDescribe(err) });
}

/** One job, answered by a promise that settles with an envelope only the prelude made. */
function run(job: Job): Promise<Envelope> {
  return new SafePromise<Envelope>((resolve) => {
    if (!handler || !setup) {
      resolve(failed(new SafeError("the instance was not set up")));
      return;
    }
    const ctx = makeContext({
      activationId: job.id,
      deadline: job.deadline,
      account: setup.account,
      name: setup.name,
      version: setup.version,
      env: ObjectFreeze({ ...setup.env }),
    });
    inFlight += 1;
    enterActivation(job.id);
    enterContext(job.id, ctx);
    const finish = (envelope: Envelope): void => {
      leaveActivation(job.id);
      leaveContext(job.id);
      inFlight -= 1;
      if (inFlight === 0) {
        clearAll();
        dropAll();
      }
      resolve(envelope);
    };
    let answer: Promise<Envelope>;
    try {
      answer = handler.run(job, ctx);
    } catch (err) {
      finish(failed(err));
      return;
    }
    PromisePrototypeThen(answer, finish, (err) => finish(failed(err)));
  });
}

/**
 * Runs every job the host batched into one call (one isolate entry for many requests). Jobs done within
 * a few microtask turns come back as the call's result; slower ones report through `host.done`.
 */
async function batch(jobsJson: string): Promise<[string, Envelope][]> {
  const jobs = JSONParse(jobsJson) as Job[];
  const done = bare([] as [string, Envelope][]);
  let returned = false;
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i]!;
    PromisePrototypeThen(
      run(job),
      (envelope) => {
        if (returned) host.done(job.id, envelope);
        else ArrayPrototypePush(done, [job.id, envelope]);
      },
      () => undefined,
    );
  }
  for (let turn = 0; turn < 16 && done.length < jobs.length; turn++) await null;
  returned = true;
  return done;
}

function fireTimer(id: number): void {
  try {
    fire(id);
  } catch (err) {
    globalConsole.error(`Uncaught error in timer callback: ${safeDescribe(err)}`);
  }
}

// The entry points go to the host, never to tenant code: the host takes them from this global right
// after the prelude ran (src/runtime/spares.ts) and deletes it, before any module of a function loads.
g.__runlet_entries = bare({ setup: setupOnce, batch, fire: fireTimer, reply });
