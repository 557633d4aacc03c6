import { RunletError } from "../errors.js";
import { isName } from "../functions/names.js";
import type { FaultRule } from "../model/fault.js";
import { canonicalHost } from "../security/outbound/allowlist.js";

export const MAX_FAULT_RULES = 50;
/** Longest delay a rule may add to a fetch (it never outlasts the invocation's own deadline either). */
export const MAX_FAULT_DELAY_MS = 60_000;

export const VALID_TARGETS =
  '"fetch:<host>" or "fetch:*" (kind "error", "status" with status, or "delay" with delayMs), ' +
  '"invoke:<function>" or "invoke:*" (kind "timeout" or "error"), "kv" (kind "unavailable")';

const KINDS = { fetch: ["error", "status", "delay"], invoke: ["timeout", "error"], kv: ["unavailable"] };
const HOST = /^(\*|(\*\.)?[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63})*)$/;

function invalid(index: number, why: string): RunletError {
  return new RunletError("RUNLET_ERR_INVALID_FAULT_RULE", `rules[${index}]: ${why}`);
}

/** The kind of target a rule names (`fetch`, `invoke`, `kv`), or undefined when it names none of them. */
function familyOf(target: string): keyof typeof KINDS | undefined {
  if (target === "kv") return "kv";
  if (target.startsWith("fetch:") && HOST.test(canonicalHost(target.slice(6)))) return "fetch";
  if (target.startsWith("invoke:") && (target === "invoke:*" || isName(target.slice(7)))) return "invoke";
  return undefined;
}

/** Checks and normalises a profile's rules (host names lower case, `rate` defaulting to 1). */
export function normalizeFaultRules(raw: unknown): FaultRule[] {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_FAULT_RULES) {
    throw new RunletError(
      "RUNLET_ERR_INVALID_FAULT_RULE",
      `send {"rules": [...]} with 1 to ${MAX_FAULT_RULES} rules, each {target, kind, rate?}; targets are ${VALID_TARGETS}`,
    );
  }
  return raw.map((entry: unknown, i): FaultRule => {
    if (typeof entry !== "object" || entry === null)
      throw invalid(i, "expected an object {target, kind, rate?}");
    const r = entry as Record<string, unknown>;
    const target = typeof r.target === "string" ? r.target.trim() : "";
    const family = familyOf(target);
    if (!family) {
      throw invalid(
        i,
        `unknown target ${JSON.stringify(String(r.target).slice(0, 100))}; valid targets are ${VALID_TARGETS}`,
      );
    }
    const kinds: readonly string[] = KINDS[family];
    if (typeof r.kind !== "string" || !kinds.includes(r.kind)) {
      throw invalid(
        i,
        `kind ${JSON.stringify(r.kind)} does not apply to ${target}; use one of ${kinds.map((k) => `"${k}"`).join(", ")}`,
      );
    }
    const rate = r.rate ?? 1;
    if (typeof rate !== "number" || !(rate > 0 && rate <= 1)) {
      throw invalid(i, "rate must be a number over 0 and at most 1 (the share of matching calls that fault)");
    }
    const name = family === "fetch" ? `fetch:${canonicalHost(target.slice(6))}` : target;
    if (r.kind === "status") {
      if (!Number.isInteger(r.status) || (r.status as number) < 200 || (r.status as number) > 599) {
        throw invalid(i, 'kind "status" needs status, an HTTP status from 200 to 599');
      }
      return { target: name as `fetch:${string}`, kind: "status", status: r.status as number, rate };
    }
    if (r.kind === "delay") {
      if (
        !Number.isInteger(r.delayMs) ||
        (r.delayMs as number) < 1 ||
        (r.delayMs as number) > MAX_FAULT_DELAY_MS
      ) {
        throw invalid(i, `kind "delay" needs delayMs, an integer from 1 to ${MAX_FAULT_DELAY_MS}`);
      }
      return { target: name as `fetch:${string}`, kind: "delay", delayMs: r.delayMs as number, rate };
    }
    return { target: name, kind: r.kind, rate } as FaultRule;
  });
}
