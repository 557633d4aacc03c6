import type { RecordedCall } from "../model/recording.js";
import { failureOf, type CallHook, type Caller } from "../runtime/host-ops.js";
import { jsonWithin } from "./bounded-json.js";
import { callKey } from "./call-key.js";

/** Most characters a recording may take (input, answers and result as JSON); past it the activation is not kept. */
export const RECORDING_MAX_CHARS = 1024 * 1024;

/**
 * Runs every host call of one recorded activation for real and keeps its answer, within
 * RECORDING_MAX_CHARS (each answer is measured before it is serialised, so a large one costs at most the
 * cap). ctx.secrets calls keep their name only.
 */
export class Recorder implements CallHook {
  readonly calls: RecordedCall[] = [];
  /** Why the recording cannot be kept (over the cap), once it cannot. */
  overflow: string | undefined;
  #left: number;

  constructor(max = RECORDING_MAX_CHARS) {
    this.#left = max;
  }

  async call(_caller: Caller, op: string, args: unknown, next: () => Promise<unknown>): Promise<unknown> {
    const { key, what } = callKey(op, args);
    try {
      const answer = await next();
      this.#keep({ op, key, what, ok: true }, answer);
      return answer;
    } catch (err) {
      this.#keep({ op, key, what, ok: false }, failureOf(err));
      throw err;
    }
  }

  #keep(call: RecordedCall, answer: unknown): void {
    if (this.overflow !== undefined) return;
    if (call.op.startsWith("secrets.")) {
      this.calls.push({ ...call, secret: true });
      return;
    }
    let value = answer;
    if (call.ok && call.op === "fetch") {
      const body = (answer as { body?: unknown }).body;
      const size = body instanceof ArrayBuffer ? body.byteLength : 0;
      if (size * 1.34 > this.#left) return this.#over(call.what);
      value = {
        ...(answer as object),
        body: body instanceof ArrayBuffer ? Buffer.from(body).toString("base64") : "",
      };
      call.bytes = true;
    }
    const text = jsonWithin(value ?? null, this.#left);
    if (text === undefined) return this.#over(call.what);
    this.#left -= text.length + call.what.length + 64;
    this.calls.push({ ...call, answer: JSON.parse(text) as unknown });
  }

  /**
   * Why the recording cannot be kept, if it cannot: its calls' answers, its input (the payload) and how it
   * ended, together, pass the cap. Measured the same bounded way.
   */
  measure(input: unknown, outcome: unknown): string | undefined {
    if (this.overflow !== undefined) return this.overflow;
    if (jsonWithin({ input, outcome }, this.#left) === undefined) {
      this.overflow = `its input, result and the answers of its calls pass the ${RECORDING_MAX_CHARS}-character recording cap`;
    }
    return this.overflow;
  }

  #over(what: string): void {
    this.overflow = `the answers of its calls pass the ${RECORDING_MAX_CHARS}-character recording cap (at ${what})`;
  }
}
