import { RunletError } from "../errors.js";
import type { AutoRollback, Canary, FunctionRecord } from "../model/function.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import type { AuditLog } from "../security/audit.js";
import { actorOf, type Principal } from "../security/authenticator.js";
import type { Store } from "../store/store.js";
import type { Catalog } from "./catalog.js";
import { assertSequenceSteps } from "./sequence.js";
import type { FunctionService } from "./service.js";

/** `POST …/deploy {version, percent, autoRollback}`. */
export interface RolloutInput {
  version?: number;
  percent?: number;
  autoRollback?: { maxErrorRate?: number; minInvocations?: number; window?: string | number };
}

const WINDOW_UNITS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Canary rollouts (DESIGN §4): a second version beside the deployed one takes a share of invocations
 * until it is promoted (it becomes the deployed version) or rolled back (by a user, or by the platform
 * when AutoRollbackWatch finds it failing). The state lives in the function's row, so every node's
 * catalog reads it and hears of a change as it hears of a deploy.
 */
export class Rollouts {
  constructor(
    private readonly store: Store,
    private readonly catalog: Catalog,
    private readonly scheduler: Scheduler,
    private readonly functions: FunctionService,
    private readonly audit: AuditLog,
    private readonly now: () => number = Date.now,
  ) {}

  /** A full deploy without `percent` (or at 100), else starts or re-weights the canary. */
  async deploy(account: string, name: string, input: RolloutInput, by?: string): Promise<FunctionRecord> {
    const { percent } = input;
    if (percent !== undefined && !(Number.isFinite(percent) && percent >= 0 && percent <= 100)) {
      throw new RunletError(
        "RUNLET_ERR_INVALID_ROLLOUT",
        `percent must be from 0 to 100, got ${String(percent)}; send e.g. {"version": 3, "percent": 10}`,
      );
    }
    const autoRollback = input.autoRollback && parseAutoRollback(input.autoRollback);
    if ((percent === undefined || percent === 100) && !autoRollback)
      return this.functions.deploy(account, name, input.version, by);
    if (percent === undefined || percent === 100) {
      throw new RunletError(
        "RUNLET_ERR_INVALID_ROLLOUT",
        "autoRollback needs a canary: send percent below 100 with it, e.g. {percent: 10, autoRollback: {…}}",
      );
    }
    const fn = await this.functions.require(account, name);
    if (fn.deployedVersion === null) {
      throw new RunletError(
        "RUNLET_ERR_NOT_DEPLOYED",
        `${name} has no deployed version for a canary to run beside; deploy one fully first (runlet deploy ${name})`,
      );
    }
    const target = input.version ?? fn.latestVersion;
    const record = await this.store.versions.get(account, name, target);
    if (!record) {
      throw new RunletError(
        "RUNLET_ERR_VERSION_NOT_FOUND",
        `${name} has no version ${target}; list the kept ones with runlet versions ${name}`,
      );
    }
    if (target === fn.deployedVersion) {
      throw new RunletError(
        "RUNLET_ERR_INVALID_ROLLOUT",
        `version ${target} of ${name} is the deployed version; send another version as the canary (upload one first)`,
      );
    }
    if (record.config.sequence) await assertSequenceSteps(this.store, account, name, record.config.sequence);
    const canary: Canary = {
      version: target,
      weight: Math.round(percent * 100),
      // Re-weighting a running canary keeps its window; a new canary version starts a new one.
      since: fn.canary?.version === target ? fn.canary.since : this.now(),
      ...(autoRollback ? { autoRollback } : {}),
    };
    const updated = await this.store.functions.setCanary(account, name, canary, this.now(), by ? { by } : {});
    this.catalog.invalidate(account, name);
    return updated!;
  }

  /** The canary becomes the deployed version. */
  async promote(account: string, name: string, by?: string): Promise<FunctionRecord> {
    const fn = await this.functions.require(account, name);
    if (!fn.canary) throw noCanary(name);
    return this.functions.deploy(account, name, fn.canary.version, by);
  }

  /**
   * Ends the canary; the deployed version takes every invocation again. With `expect`, only if that
   * version is still the canary: undefined when it is not (another node got there first).
   */
  async rollback(
    account: string,
    name: string,
    why: {
      actor?: Principal | string;
      reason?: string;
      expect?: number;
      detail?: Record<string, unknown>;
    } = {},
  ): Promise<FunctionRecord | undefined> {
    const fn = await this.functions.require(account, name);
    const expect = why.expect ?? fn.canary?.version;
    if (expect === undefined || fn.canary?.version !== expect) {
      if (why.expect !== undefined) return undefined;
      throw noCanary(name);
    }
    const updated = await this.store.functions.setCanary(account, name, null, this.now(), {
      expect,
      ...(why.reason !== undefined ? { reason: why.reason } : {}),
      by: typeof why.actor === "string" ? why.actor : why.actor ? actorOf(why.actor) : "system",
    });
    if (!updated) {
      if (why.expect !== undefined) return undefined;
      throw noCanary(name);
    }
    this.catalog.invalidate(account, name);
    const deployed =
      updated.deployedVersion === null
        ? undefined
        : await this.catalog.version(account, name, updated.deployedVersion);
    this.scheduler.retire(account, name, deployed?.id);
    if (why.reason !== undefined) {
      // The gateway audits a user's rollback (POST …/rollback); one the platform decided is written here.
      await this.audit.record({
        account,
        actor: why.actor ?? "system",
        action: "function.rollback",
        target: name,
        detail: { canary: expect, reason: why.reason, ...why.detail },
      });
    }
    return updated;
  }
}

function noCanary(name: string): RunletError {
  return new RunletError(
    "RUNLET_ERR_NO_CANARY",
    `${name} has no canary; start one with POST …/functions/${name}/deploy {version, percent} (runlet deploy ${name} --percent 10)`,
  );
}

/** Checks an autoRollback policy field by field; its window is "30s", "10m", "1h", "1d" or ms. */
export function parseAutoRollback(input: NonNullable<RolloutInput["autoRollback"]>): AutoRollback {
  const bad = (what: string) =>
    new RunletError(
      "RUNLET_ERR_INVALID_ROLLOUT",
      `autoRollback.${what}; send e.g. {"maxErrorRate": 0.05, "minInvocations": 50, "window": "10m"}`,
    );
  const { maxErrorRate, minInvocations = 20, window = "10m" } = input;
  if (typeof maxErrorRate !== "number" || !(maxErrorRate >= 0 && maxErrorRate <= 1))
    throw bad(`maxErrorRate must be a number from 0 to 1, got ${JSON.stringify(maxErrorRate) ?? "none"}`);
  if (!Number.isInteger(minInvocations) || minInvocations < 1 || minInvocations > 1_000_000)
    throw bad(`minInvocations must be an integer from 1 to 1000000, got ${JSON.stringify(minInvocations)}`);
  const match = typeof window === "string" ? /^(\d{1,6})(s|m|h|d)$/.exec(window) : null;
  const windowMs =
    typeof window === "number" ? window : match ? Number(match[1]) * WINDOW_UNITS[match[2] as "s"] : NaN;
  if (!Number.isInteger(windowMs) || windowMs < 1000 || windowMs > 30 * WINDOW_UNITS.d)
    throw bad(`window must be 1s to 30d ("30s", "10m", "1h", "1d" or ms), got ${JSON.stringify(window)}`);
  return { maxErrorRate, minInvocations, windowMs };
}
