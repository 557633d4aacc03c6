import type { ErrorCode } from "../errors.js";
import type { RecordedCall, ReplayReport } from "../model/recording.js";
import { HostCallError, type CallHook, type Caller, type HostFailure } from "../runtime/host-ops.js";
import { callKey } from "./call-key.js";

/**
 * Plays a recording's answers back to a replayed activation: each host call is matched to an unused
 * recorded call with the same key (so calls made concurrently may come in any order) and answered with
 * what the recording holds. Nothing real is done: no fetch is sent, no kv or secret is written, no function
 * is invoked. Only ctx.secrets.get reads the secret again (its value was never recorded; a read changes
 * nothing). A call the recording does not have fails inside the function and is reported.
 */
export class Replayer implements CallHook {
  readonly #unused: RecordedCall[];
  readonly notRecorded: string[] = [];

  constructor(calls: readonly RecordedCall[]) {
    this.#unused = [...calls];
  }

  async call(_caller: Caller, op: string, args: unknown, next: () => Promise<unknown>): Promise<unknown> {
    const { key, what } = callKey(op, args);
    const index = this.#unused.findIndex((c) => c.key === key && c.op === op);
    if (index < 0) {
      this.notRecorded.push(what);
      throw new HostCallError(
        "RUNLET_ERR_NOT_RECORDED",
        `replay: ${what} is not in the recording, so it was not performed (a replay makes no real calls)`,
      );
    }
    const [call] = this.#unused.splice(index, 1) as [RecordedCall];
    if (call.secret) return op === "secrets.get" ? next() : null;
    if (!call.ok) {
      const f = call.answer as HostFailure;
      throw new HostCallError(f.code as ErrorCode, f.message, f.name, f.activationId);
    }
    if (call.bytes) {
      const answer = call.answer as { body: string };
      const body = Buffer.from(answer.body, "base64");
      return { ...answer, body: body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) };
    }
    return call.answer;
  }

  /** Calls the replay made that were not recorded, then recorded calls it never made. */
  problems(): ReplayReport["calls"] {
    return [
      ...this.notRecorded.map((what) => ({ what, problem: "not_recorded" as const })),
      ...this.#unused.map((c) => ({ what: c.what, problem: "not_made" as const })),
    ];
  }
}
