import { RunletError } from "../errors.js";

/**
 * `value` as JSON text, for a value that came from outside: JSON.parse takes nesting that JSON.stringify's
 * recursion cannot (a 200 KB body of `[[[…]]]`), and such a value is the sender's to fix, a 400, never a
 * 500. `what` names it in the message ("the kv value", "the payload").
 */
export function jsonText(value: unknown, what: string): string {
  try {
    return JSON.stringify(value ?? null) ?? "null";
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new RunletError(
      "RUNLET_ERR_JSON_TOO_DEEP",
      `${what} is nested too deeply to be stored or passed on; send a flatter JSON value`,
    );
  }
}
