import { RunletError } from "../../errors.js";
import type { EventSubscription, VersionRecord } from "../../model/function.js";
import type { Store } from "../../store/store.js";

/** The read-through version cache (functions/catalog.ts), as much of it as this needs. */
export interface Versions {
  version(account: string, name: string, version: number): Promise<VersionRecord | undefined>;
}
import { hostedEvent } from "./hosted-events.js";

function typesOf(events: readonly EventSubscription[]): Set<string> {
  return new Set(events.map((e) => (typeof e === "string" ? e : e.type)));
}

/**
 * The deployed functions of `account` that listen to `type` (any payload filter), by name. Versions are
 * immutable and cached by the catalog, so after the first read this costs one list query.
 */
export async function deployedListeners(store: Store, catalog: Versions, account: string, type: string) {
  const deployed = (await store.functions.list(account)).filter((fn) => fn.deployedVersion !== null);
  const versions = await Promise.all(
    deployed.map((fn) => catalog.version(account, fn.name, fn.deployedVersion!)),
  );
  return deployed.filter((_, i) => typesOf(versions[i]?.config.events ?? []).has(type)).map((fn) => fn.name);
}

/**
 * Refuses to deploy `version` when that would give one of the hosted platform's events more listeners
 * than it takes (most take one). Called just before a version becomes the deployed one.
 */
export async function assertListenerLimits(store: Store, catalog: Versions, version: VersionRecord) {
  for (const type of typesOf(version.config.events)) {
    const limit = hostedEvent(type)?.maxListeners;
    if (limit === undefined) continue;
    const others = (await deployedListeners(store, catalog, version.account, type)).filter(
      (name) => name !== version.function,
    );
    if (others.length < limit) continue;
    const shown = others.slice(0, 3).join(", ") + (others.length > 3 ? `, …` : "");
    throw new RunletError(
      "RUNLET_ERR_EVENT_LISTENER_LIMIT",
      `event ${type} takes at most ${limit} deployed listener${limit === 1 ? "" : "s"} and ${shown} already ${others.length === 1 ? "listens" : "listen"}; undeploy ${others.length === 1 ? "it" : "one"} (runlet undeploy ${others[0]}) or remove ${type} from ${version.function}'s events`,
    );
  }
}
