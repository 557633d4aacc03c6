import { setTimeout as sleep } from "node:timers/promises";
import type { ActivationFaults } from "../model/activation.js";
import type { FaultPlan, FaultRule } from "../model/fault.js";
import { HostCallError, type CallHook, type Caller } from "../runtime/host-ops.js";
import { canonicalHost } from "../security/outbound/allowlist.js";

/** What a host call is, in a rule's terms: `fetch:<host>`, `invoke:<function>` or `kv`. */
function targetOf(name: string, args: unknown): { family: string; subject: string } | undefined {
  const a = (args ?? {}) as { url?: unknown; name?: unknown };
  if (name === "fetch" && typeof a.url === "string") {
    try {
      return { family: "fetch", subject: canonicalHost(new URL(a.url).hostname) };
    } catch {
      return undefined; // not a URL: the fetch operation refuses it itself
    }
  }
  if (name === "invoke" && typeof a.name === "string") return { family: "invoke", subject: a.name };
  if (name.startsWith("kv.")) return { family: "kv", subject: "" };
  return undefined;
}

function matches(rule: FaultRule, target: { family: string; subject: string }): boolean {
  if (rule.target === "kv") return target.family === "kv";
  const [family, pattern] = [
    rule.target.slice(0, rule.target.indexOf(":")),
    rule.target.slice(rule.target.indexOf(":") + 1),
  ];
  if (family !== target.family) return false;
  if (pattern === "*" || pattern === target.subject) return true;
  return pattern.startsWith("*.") && target.subject.endsWith(pattern.slice(1));
}

/**
 * Applies one invocation's fault profile to its host calls: the first rule that matches a call and wins
 * its `rate` draw fails, answers or delays it on the host side, before the operation runs (an injected
 * fetch error sends nothing). Counts what fired, for the activation record.
 */
export class FaultInjector implements CallHook {
  readonly #fired = new Map<FaultRule, number>();

  constructor(
    private readonly plan: FaultPlan,
    private readonly random: () => number = Math.random,
  ) {}

  async call(caller: Caller, name: string, args: unknown, next: () => Promise<unknown>): Promise<unknown> {
    const target = targetOf(name, args);
    const rule = target && this.plan.rules.find((r) => matches(r, target) && this.random() < r.rate);
    if (!target || !rule) return next();
    this.#fired.set(rule, (this.#fired.get(rule) ?? 0) + 1);
    const why = `injected by fault profile "${this.plan.profile}" (${rule.target} ${rule.kind})`;
    caller.log("warn", `fault: ${[name, target.subject].filter(Boolean).join(" ")} ${why}`);
    switch (rule.kind) {
      case "error":
        if (target.family === "fetch") {
          throw new HostCallError(
            "RUNLET_ERR_FETCH_FAILED",
            `fetch to ${target.subject} failed: ${why}`,
            "TypeError",
          );
        }
        throw new HostCallError(
          "RUNLET_ERR_FUNCTION_ERROR",
          `${target.subject} ended function_error: ${why}`,
        );
      case "timeout":
        throw new HostCallError("RUNLET_ERR_TIMEOUT", `ctx.invoke("${target.subject}") timed out: ${why}`);
      case "unavailable":
        throw new HostCallError("RUNLET_ERR_UNAVAILABLE", `ctx.kv is unavailable: ${why}`);
      case "status":
        return statusAnswer(rule.status, (args as { url: string }).url, this.plan.profile);
      case "delay":
        await sleep(Math.max(0, Math.min(rule.delayMs, caller.deadline - Date.now())));
        return next();
    }
  }

  /** What the activation records: the profile, and each rule that fired with how often. */
  record(): ActivationFaults {
    return {
      profile: this.plan.profile,
      fired: [...this.#fired].map(([rule, count]) => ({ target: rule.target, kind: rule.kind, count })),
    };
  }
}

/** A response the remote never sent: the rule's status and a JSON body saying so. */
function statusAnswer(status: number, url: string, profile: string) {
  const body = new TextEncoder().encode(JSON.stringify({ error: "injected fault", profile }));
  return {
    status,
    statusText: "Injected Fault",
    headers: [
      ["content-type", "application/json"],
      ["x-runlet-fault", profile],
    ],
    body: body.buffer,
    url,
    redirected: false,
  };
}
