import { RunletError } from "../errors.js";
import type { Store } from "../store/store.js";
import { isName } from "./names.js";

/** How many steps a sequence may have. */
export const MAX_SEQUENCE_STEPS = 50;

function invalid(message: string): RunletError {
  return new RunletError("RUNLET_ERR_INVALID_SEQUENCE", message);
}

/** The steps' shape, checked with the rest of the config (no store needed). */
export function validateSequenceShape(steps: string[]): string[] {
  if (steps.length === 0 || steps.length > MAX_SEQUENCE_STEPS) {
    throw invalid(`sequence must list 1 to ${MAX_SEQUENCE_STEPS} functions, got ${steps.length}`);
  }
  for (const step of steps) {
    if (!isName(step)) throw invalid(`sequence step "${String(step).slice(0, 80)}" is not a function name`);
  }
  return steps;
}

/**
 * A sequence may only name other existing functions of its account: checked on upload and on deploy,
 * so a sequence that names itself or a missing function never goes live. (Longer loops through other
 * sequences are stopped at run time by the invocation depth limit.)
 */
export async function assertSequenceSteps(
  store: Store,
  account: string,
  name: string,
  steps: readonly string[],
): Promise<void> {
  if (steps.includes(name)) {
    throw invalid(`sequence ${name} names itself as a step; a sequence cannot run itself`);
  }
  const missing: string[] = [];
  for (const step of new Set(steps)) {
    if (!(await store.functions.get(account, step))) missing.push(step);
  }
  if (missing.length > 0) {
    throw invalid(
      `sequence ${name} names ${missing.length === 1 ? "a function that does not" : "functions that do not"} exist in this account: ${missing.join(", ")}; create ${missing.length === 1 ? "it" : "them"} first`,
    );
  }
}
