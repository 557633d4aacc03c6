import type { Logger } from "pino";
import type { Pricing } from "../config.js";
import type { FunctionRecord } from "../model/function.js";
import type { IdleFunction, IdlePolicy } from "../model/idle.js";
import type { AuditLog } from "../security/audit.js";
import { accountWebhookKey } from "../security/webhook-key.js";
import type { Store } from "../store/store.js";
import type { FunctionService } from "./service.js";
import { stateOf } from "./state.js";

const DAY_MS = 86_400_000;
const MONTH_S = 30 * 86_400;

/** How the policy's webhook is sent: the async callbacks' sender (src/queue/callbacks.ts). */
export interface WebhookSender {
  post(
    url: string,
    body: unknown,
    headers: Record<string, string>,
    signingKey?: Buffer,
  ): Promise<{ reason: string } | undefined>;
}

/**
 * Forgotten functions: those not invoked in N days, what they still hold, and (with an account's
 * policy) undeploying them, each after a signed webhook and with an audit entry. Time comes from `now`
 * so tests can move it on instead of waiting days.
 */
export class IdleFunctions {
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: {
      store: Store;
      functions: FunctionService;
      audit: AuditLog;
      webhooks: WebhookSender;
      pricing: Pricing;
      /** Keys each account's webhook signatures (derived from the master key, never stored). */
      masterKey: Buffer;
      /** This node's id: claims each undeploy so one node of a cluster does it. */
      node: string;
      log: Pick<Logger, "error">;
      /** Writes pending activation records first, so a function that just ran is not idle. */
      flush: () => Promise<void>;
    },
    readonly now: () => number = Date.now,
  ) {}

  /** The key an account's webhooks are signed with: HMAC-SHA256(master key, "runlet-webhook:" + account). */
  signingKey(account: string): Buffer {
    return accountWebhookKey(this.deps.masterKey, account);
  }

  /** The account's functions idle for at least `days` days, longest idle first. */
  async list(account: string, days: number): Promise<IdleFunction[]> {
    await this.deps.flush();
    const { store } = this.deps;
    const now = this.now();
    const fns = await store.functions.list(account);
    const last = await store.activations.lastStarted(
      account,
      fns.map((fn) => fn.name),
    );
    const idle: IdleFunction[] = [];
    for (const fn of fns) {
      const lastAt = last.get(fn.name);
      const since = Math.max(lastAt ?? 0, fn.updatedAt);
      const idleDays = Math.floor((now - since) / DAY_MS);
      if (idleDays < days) continue;
      idle.push(await this.#describe(fn, lastAt, since, idleDays));
    }
    return idle.sort((a, b) => b.idleDays - a.idleDays || a.name.localeCompare(b.name));
  }

  async #describe(
    fn: FunctionRecord,
    lastAt: number | undefined,
    since: number,
    idleDays: number,
  ): Promise<IdleFunction> {
    const versions = await this.deps.store.versions.list(fn.account, fn.name);
    const deployed = versions.find((v) => v.version === fn.deployedVersion);
    const config = deployed?.config;
    const minInstances = config?.sequence ? 0 : (config?.minInstances ?? 0);
    const memoryMb = config?.memoryMb ?? 0;
    const bytes = versions.reduce(
      (n, v) => n + Buffer.byteLength(v.source) + Buffer.byteLength(v.code) + (v.sourceMap?.length ?? 0),
      0,
    );
    const warmGbSecondsPerMonth = (minInstances * memoryMb * MONTH_S) / 1024;
    const round = (x: number) => Math.round(x * 1_000_000) / 1_000_000;
    return {
      name: fn.name,
      state: stateOf(fn),
      deployedVersion: fn.deployedVersion,
      lastInvokedAt: lastAt === undefined ? null : new Date(lastAt).toISOString(),
      idleSince: new Date(since).toISOString(),
      idleDays,
      holds: {
        minInstances,
        memoryMb,
        schedules: config?.schedules.length ?? 0,
        subscriptions: (config?.events.length ?? 0) + (config?.queues?.length ?? 0),
        storage: { versions: versions.length, bytes },
      },
      cost: {
        warmGbSecondsPerMonth: round(warmGbSecondsPerMonth),
        perMonth: round(warmGbSecondsPerMonth * this.deps.pricing.perGbSecond),
      },
    };
  }

  /** Applies every account's policy once: undeploys its deployed functions idle for long enough. */
  async sweep(): Promise<{ account: string; name: string }[]> {
    const undeployed: { account: string; name: string }[] = [];
    for (const policy of await this.deps.store.idlePolicies.list()) {
      try {
        for (const fn of await this.list(policy.account, policy.undeployAfterDays)) {
          if (fn.deployedVersion === null) continue;
          if (await this.#undeploy(policy, fn)) undeployed.push({ account: policy.account, name: fn.name });
        }
      } catch (err) {
        this.deps.log.error({ err, account: policy.account }, "applying the idle-function policy failed");
      }
    }
    return undeployed;
  }

  async #undeploy(policy: IdlePolicy, fn: IdleFunction): Promise<boolean> {
    const { store, audit, webhooks, node } = this.deps;
    // One node of a cluster acts on one idle stretch (it ends with this undeploy, which changes updatedAt).
    const claim = `idle-undeploy:${policy.account}/${fn.name}@${fn.idleSince}`;
    if ((await store.settings.claim(claim, node, this.now())) !== node) return false;
    const event = {
      type: "function.idle-undeploy",
      account: policy.account,
      function: fn.name,
      deployedVersion: fn.deployedVersion,
      idleDays: fn.idleDays,
      lastInvokedAt: fn.lastInvokedAt,
      undeployAfterDays: policy.undeployAfterDays,
      holds: fn.holds,
      cost: fn.cost,
    };
    const failure = policy.webhookUrl
      ? await webhooks.post(
          policy.webhookUrl,
          event,
          { "x-runlet-event": event.type },
          this.signingKey(policy.account),
        )
      : undefined;
    await audit.record({
      account: policy.account,
      actor: "system",
      action: "function.undeploy",
      target: fn.name,
      detail: {
        reason: `idle for ${fn.idleDays} days (the account's policy undeploys after ${policy.undeployAfterDays})`,
        version: fn.deployedVersion,
        ...(policy.webhookUrl ? { webhook: failure ? `failed: ${failure.reason}` : "delivered" } : {}),
      },
    });
    await this.deps.functions.undeploy(policy.account, fn.name);
    return true;
  }

  /** Sweeps every `everyMs` (unref'd: it never keeps the process up). */
  start(everyMs: number): void {
    this.#timer = setInterval(() => void this.sweep(), everyMs);
    this.#timer.unref();
  }

  close(): void {
    clearInterval(this.#timer);
  }
}
