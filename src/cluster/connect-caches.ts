import type { Logger } from "pino";
import type { Catalog } from "../functions/catalog.js";
import type { FunctionService } from "../functions/service.js";
import type { Quotas } from "../metering/quotas.js";
import type { Change } from "../model/change.js";
import type { Authenticator } from "../security/authenticator.js";
import type { Allowlists } from "../security/outbound/allowlist.js";
import type { TokenIssuer } from "../security/tokens.js";
import type { EventBus } from "../triggers/events.js";
import type { ChangeChannel } from "./changes.js";

/** Every cache a node keeps of what another node may change (grep for Map caches before adding one). */
export interface ClusterCaches {
  /** Functions, versions and accounts; its change listeners drop event subscriptions and re-sync triggers. */
  catalog: Catalog;
  /** Instance pools of replaced or deleted versions. */
  functions: FunctionService;
  /** API keys and access tokens' keys. */
  auth: Authenticator;
  tokens: TokenIssuer;
  allowlists: Allowlists;
  /** Quota overrides. */
  quotas: Quotas;
  /** Event subscriptions (also dropped through the catalog, per account). */
  events: EventBus;
  /** Schedules and subject triggers: re-read what is deployed. */
  triggers: { settled(): Promise<void> };
  log: Logger;
}

/**
 * Wires the caches to the cluster channel both ways: each owner publishes the changes this node makes
 * (after the database has them), and every change heard from another node drops what it names here.
 */
export function connectCaches(channel: ChangeChannel, caches: ClusterCaches): void {
  const publish = (change: Change) => channel.publish(change);
  caches.catalog.publish = publish;
  caches.auth.publish = publish;
  caches.tokens.publish = publish;
  caches.allowlists.publish = publish;
  caches.quotas.publish = publish;
  channel.subscribe((change) => applyChange(change, caches));
}

export function applyChange(change: Change, caches: ClusterCaches): void {
  const { catalog, functions, auth, tokens, allowlists, quotas, events, triggers, log } = caches;
  const failed = (err: unknown) => log.error({ err, change }, "applying another node's change failed");
  switch (change.kind) {
    case "function":
      // Drops the record, the account's subscriptions, and re-syncs schedules and subject triggers.
      catalog.apply(change);
      void functions.changedElsewhere(change.account, change.name).catch(failed);
      return;
    case "account":
      catalog.apply(change);
      return;
    case "keys":
      auth.forgetRemote();
      return;
    case "allowlist":
      allowlists.forget(change.account);
      return;
    case "quotas":
      quotas.changedElsewhere(change.account);
      return;
    case "signing-keys":
      tokens.changedElsewhere();
      return;
    case "everything":
      catalog.apply(change);
      events.invalidate();
      auth.forgetRemote();
      tokens.changedElsewhere();
      allowlists.forget();
      quotas.changedElsewhere();
      void triggers.settled().catch(failed);
      return;
  }
}
