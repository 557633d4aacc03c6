// Runs first in every isolate: captures the host bindings, installs the globals functions may use, and
// defines the three entry points the host calls: __runlet_setup, __runlet_batch and __runlet_fire.
import { makeContext } from "./context.js";
import { enterActivation, globalConsole, installLogSink, leaveActivation } from "./console.js";
import { describe, detect, type Handler } from "./handlers.js";
import { dropAll, installHostCall, reply } from "./hostcall.js";
import { clearAll, fire, installTimerHost, timerGlobals } from "./timers.js";
import { installWebGlobals } from "./globals.js";
import { enterContext, installCurrentContext, leaveContext } from "./current-context.js";

const g = globalThis as unknown as Record<string, unknown>;
const host = g.__runlet_host as RunletHostBindings;
delete g.__runlet_host;

installTimerHost(host);
installHostCall(host);
Object.assign(g, timerGlobals, { console: globalConsole });
installWebGlobals(host);
installCurrentContext();

let handler: Handler | undefined;
let setup: SetupOptions | undefined;
let inFlight = 0;

function define(name: string, value: unknown): void {
  Object.defineProperty(g, name, { value, enumerable: false, configurable: false, writable: false });
}

define("__runlet_setup", (optionsJson: string): string => {
  setup = JSON.parse(optionsJson) as SetupOptions;
  installLogSink({ send: host.log, logLines: setup.logLines, logBytes: setup.logBytes });
  handler = detect(g.__runlet_module, setup.responseBytes);
  g.__runlet_module = undefined;
  return handler.style;
});

async function run(job: Job): Promise<Envelope> {
  if (!handler || !setup) throw new Error("__runlet_setup was not called");
  const ctx = makeContext({
    activationId: job.id,
    deadline: job.deadline,
    account: setup.account,
    name: setup.name,
    version: setup.version,
    env: Object.freeze({ ...setup.env }),
  });
  inFlight += 1;
  enterActivation(job.id);
  enterContext(job.id, ctx);
  try {
    return await handler.run(job, ctx);
  } catch (err) {
    return { ok: false, code: "function_error", message: describe(err) };
  } finally {
    leaveActivation(job.id);
    leaveContext(job.id);
    inFlight -= 1;
    if (inFlight === 0) {
      clearAll();
      dropAll();
    }
  }
}

/**
 * Runs every job the host batched into one call (one isolate entry for many requests). Jobs done within
 * a few microtask turns come back as the call's result; slower ones report through `host.done`.
 */
define("__runlet_batch", async (jobsJson: string): Promise<[string, Envelope][]> => {
  const jobs = JSON.parse(jobsJson) as Job[];
  const done: [string, Envelope][] = [];
  let returned = false;
  for (const job of jobs) {
    void run(job).then((envelope) => {
      if (returned) host.done(job.id, envelope);
      else done.push([job.id, envelope]);
    });
  }
  for (let turn = 0; turn < 16 && done.length < jobs.length; turn++) await null;
  returned = true;
  return done;
});

define("__runlet_fire", (id: number): void => {
  try {
    fire(id);
  } catch (err) {
    globalConsole.error(`Uncaught error in timer callback: ${describe(err)}`);
  }
});

define("__runlet_reply", (id: number, ok: boolean, value: unknown): void => {
  reply(id, ok, value);
});
