import type { AsyncInvoker, EventInvocation, Invoker } from "../model/invocation.js";
import type { ActivationError, ActivationStatus } from "../model/activation.js";
import type { VersionRecord } from "../model/function.js";
import type { Store } from "../store/store.js";
import type { RunletEvent } from "./cloudevents.js";
import { callerSpanId, childTraceparent } from "../telemetry/traceparent.js";
import { matchesFilter, subscriptionsByType, type Subscription } from "./event-subscriptions.js";

/** What the event bus reads of the function catalog: deployed versions, and when they change. */
export interface DeployedVersions {
  version(account: string, name: string, version: number): Promise<VersionRecord | undefined>;
  onChange(listener: (account: string, name: string) => void): void;
}

/** One subscriber's answer to a `?sync=true` publish. */
export interface SyncResult {
  function: string;
  activationId: string;
  status: ActivationStatus;
  result: unknown;
  error?: ActivationError;
}

interface AccountSubscriptions {
  at: number;
  byType: Map<string, Subscription[]>;
}

/**
 * Events (DESIGN §3 triggers/): fans a published event out to every deployed subscriber of its type in
 * the account. Subscriptions are read from the deployed versions' config once per account and cached:
 * this node's deploys and undeploys drop the account's entry at once (Catalog change listener), other
 * nodes' show up within `ttlMs`.
 */
export class EventBus {
  #accounts = new Map<string, AccountSubscriptions>();
  /** Bumped by every invalidation, so a read that raced a deploy is not cached. */
  #generation = 0;

  constructor(
    private readonly store: Store,
    private readonly catalog: DeployedVersions,
    private readonly dispatcher: Invoker,
    private readonly queue: AsyncInvoker,
    private readonly ttlMs = 1000,
  ) {
    catalog.onChange((account) => this.invalidate(account));
  }

  /** Drops the account's subscriptions (undefined: every account's). */
  invalidate(account?: string): void {
    if (account === undefined) this.#accounts.clear();
    else this.#accounts.delete(account);
    this.#generation++;
  }

  /** The deployed functions of `account` subscribed to `event.type` whose filter its payload passes. */
  async subscribers(account: string, event: Pick<RunletEvent, "type" | "payload">): Promise<string[]> {
    const subs = (await this.load(account)).byType.get(event.type) ?? [];
    const names = subs.filter((s) => matchesFilter(s.filter, event.payload)).map((s) => s.function);
    return [...new Set(names)];
  }

  /** Queues one async activation per subscriber (durable once this resolves). */
  async publishAsync(account: string, event: RunletEvent): Promise<string[]> {
    const names = await this.subscribers(account, event);
    if (names.length === 0) return [];
    // Submitted together, so the queue commits them in one group; one that was undeployed or deleted
    // since the subscriptions were read is left out rather than failing the others.
    const submitted = await Promise.all(
      names.map((name) =>
        this.queue.submit({ invocation: invocationOf(account, name, event) }).catch((err: unknown) => {
          const code = (err as { code?: string }).code;
          if (code === "RUNLET_ERR_NOT_DEPLOYED" || code === "RUNLET_ERR_FUNCTION_NOT_FOUND")
            return undefined;
          throw err;
        }),
      ),
    );
    return submitted.flatMap((s) => (s ? [s.activationId] : []));
  }

  /** Runs every subscriber at once and waits for all their answers, in subscriber name order. */
  async publishSync(account: string, event: RunletEvent): Promise<SyncResult[]> {
    const names = await this.subscribers(account, event);
    return Promise.all(
      names.map(async (name): Promise<SyncResult> => {
        const { outcome, activation } = await this.dispatcher.invoke(invocationOf(account, name, event));
        return {
          function: name,
          // None when the function was deleted between reading the subscriptions and invoking it.
          activationId: activation?.id ?? "",
          status: outcome.status,
          result: activation?.result ?? null,
          ...(outcome.status !== "succeeded"
            ? { error: { code: outcome.code, message: outcome.message } }
            : {}),
        };
      }),
    );
  }

  private async load(account: string): Promise<AccountSubscriptions> {
    const hit = this.#accounts.get(account);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit;
    const generation = this.#generation;
    const loaded = await this.read(account);
    if (generation === this.#generation) {
      if (this.#accounts.size > 10_000) this.#accounts.clear();
      this.#accounts.set(account, loaded);
    }
    return loaded;
  }

  private async read(account: string): Promise<AccountSubscriptions> {
    const at = Date.now();
    const byType = new Map<string, Subscription[]>();
    const deployed = (await this.store.functions.list(account)).filter((fn) => fn.deployedVersion !== null);
    // Versions are immutable and cached by the catalog, so after the first read this is one list query.
    const versions = await Promise.all(
      deployed.map((fn) => this.catalog.version(account, fn.name, fn.deployedVersion!)),
    );
    for (const [i, fn] of deployed.entries()) {
      for (const [type, sub] of subscriptionsByType(fn.name, versions[i]?.config.events ?? [])) {
        const list = byType.get(type);
        if (list) list.push(sub);
        else byType.set(type, [sub]);
      }
    }
    return { at, byType };
  }
}

/**
 * What one subscriber's invocation carries of the event, sync or queued; it joins the publisher's trace
 * (a span of its own) when the event carried one.
 */
function invocationOf(account: string, name: string, event: RunletEvent): EventInvocation {
  return {
    kind: "event",
    account,
    function: name,
    payload: event.payload,
    headers: event.headers,
    event: { type: event.type, id: event.id, source: event.source, time: event.time },
    ...(event.traceparent
      ? {
          traceparent: childTraceparent(event.traceparent, event.id),
          parentSpanId: callerSpanId(event.traceparent, event.id),
        }
      : {}),
  };
}
