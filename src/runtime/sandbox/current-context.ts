// The `ctx` of the activation whose code is running, for code that is handed none: the Toolbelt
// (src/compat/toolbelt, bundled into functions written for the hosted platform), whose classic
// `lambda(input, callback)` gets no ctx. Exact with concurrency 1, best effort above (as global fetch);
// it grants nothing new, since the host checks every call against the activation it names.
import { currentActivation } from "./console.js";
import { hostCall } from "./hostcall.js";

const contexts = new Map<string, Readonly<Record<string, unknown>>>();

export function enterContext(id: string, ctx: Record<string, unknown>): void {
  contexts.set(
    id,
    Object.freeze({
      ...ctx,
      // A function's stable UUID → its name, in the caller's account (host operation "lambdas.name").
      lambdaName: (uuid: string) => hostCall(id, "lambdas.name", { uuid: String(uuid) }),
    }),
  );
}

export function leaveContext(id: string): void {
  contexts.delete(id);
}

export function installCurrentContext(): void {
  Object.defineProperty(globalThis, "__runlet_context", {
    value: () => contexts.get(currentActivation()),
    enumerable: false,
    configurable: false,
    writable: false,
  });
}
