import { RunletError } from "../errors.js";

// NATS subject tokens: printable, no whitespace, no dots inside a token; `*` a whole token, `>` the last.
const TOKEN = /^[^\s.*>]+$/;

/**
 * Checks a `queues[i].subject` at deploy. Subjects starting with `$` (JetStream and system APIs) or
 * `_INBOX` (other clients' replies) are refused: a function must not listen in on the broker's own traffic.
 */
export function validateSubjects(queues: { subject: string }[]): { subject: string }[] {
  const seen = new Set<string>();
  queues.forEach(({ subject }, i) => {
    const fail = (why: string) =>
      new RunletError(
        "RUNLET_ERR_INVALID_SUBJECT",
        `queues[${i}].subject "${subject.slice(0, 80)}" ${why}; use dot-separated tokens like "orders.created" ("*" matches one token, a final ">" the rest)`,
      );
    if (subject.length === 0 || subject.length > 256) throw fail("must be 1 to 256 characters");
    if (subject.startsWith("$") || subject.startsWith("_INBOX")) {
      throw fail("is reserved for the broker ($…) or for replies (_INBOX…)");
    }
    const tokens = subject.split(".");
    tokens.forEach((token, t) => {
      if (token === "*") return;
      if (token === ">" && t === tokens.length - 1) return;
      if (!TOKEN.test(token)) throw fail(`has an invalid token "${token.slice(0, 40)}"`);
    });
    if (seen.has(subject)) throw fail("is listed twice");
    seen.add(subject);
  });
  return queues;
}
