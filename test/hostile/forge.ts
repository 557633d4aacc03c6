// "Item 2 is broken": the prelude is fully subverted and the tenant talks to the host's callbacks
// itself. The prelude keeps those callbacks out of reach, so to test what the host does then, this test
// hook hands every isolate taken from the platform's spare pool two more globals that reach the host's own hooks
// directly, exactly as a subverted prelude would:
//   __forge_done(activationId, envelope)      — an answer of any shape (the host's `done` callback)
//   __forge_call(activationId, op, args)      — a host call of any shape ("response.start" etc.)
// Only tests install it (the platform runs in the test process); production code has no such door.
import ivm from "../../src/runtime/ivm.js";
import type { SparePool } from "../../src/runtime/spares.js";
import type { Arena } from "./arena.js";

/** Opens the door on every isolate the arena's platform takes from its spare pool from now on. */
export function installForgeDoor(arena: Arena): void {
  const spares: SparePool = arena.t.platform.scheduler.spares;
  const take = spares.take.bind(spares);
  spares.take = (memoryMb: number) => {
    const spare = take(memoryMb);
    const { target, context } = spare;
    context.global.setSync(
      "__forge_done",
      new ivm.Callback((id: unknown, envelope: unknown) => target.hooks?.done(id, envelope), {
        ignored: true,
      }),
    );
    let callId = 1_000_000;
    context.global.setSync(
      "__forge_call",
      new ivm.Callback(
        // As the gate would pass them on: the arguments as JSON text, no blob (src/runtime/host-arguments.ts).
        (id: string, op: string, args: unknown) => {
          const json = JSON.stringify(args) ?? null;
          target.hooks?.call(id, callId++, op, {
            json,
            blob: null,
            jsonSize: json?.length ?? -1,
            blobSize: 0,
          });
        },
        { ignored: true },
      ),
    );
    return spare;
  };
}

/** A function that answers with `envelope` (JS source, `ID` is its activation id) through the forge door. */
export function forging(envelope: string): string {
  return `export default async (event, ctx) => {
    const ID = ctx.activationId;
    __forge_done(ID, ${envelope});
    return await new Promise(() => {});
  }`;
}

/** The same, for a web (http-style) function. */
export function forgingWeb(envelope: string): string {
  return `export default { async fetch(request, env, ctx) {
    const ID = ctx.activationId;
    __forge_done(ID, ${envelope});
    return await new Promise(() => {});
  } }`;
}
