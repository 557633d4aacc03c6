import { RunletError } from "../errors.js";

/** Function and account names: what fits in a URL path segment and a NATS subject without escaping. */
export const NAME_PATTERN = "^[a-z][a-z0-9-]{0,62}$";
const NAME = new RegExp(NAME_PATTERN);

export function isName(name: string): boolean {
  return NAME.test(name);
}

export function assertName(kind: "function" | "account", name: string): void {
  if (!NAME.test(name)) {
    throw new RunletError(
      "RUNLET_ERR_INVALID_NAME",
      `${kind} name "${name.slice(0, 80)}" is invalid: use 1-63 lower-case letters, digits and dashes, starting with a letter`,
    );
  }
}
