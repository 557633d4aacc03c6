import type { Deployment, FunctionRecord, VersionRecord } from "../../model/function.js";
import type { Store } from "../../store/store.js";

/** How far back the version list looks for each version's last deployment. */
const DEPLOYMENTS_READ = 500;

/** An actor (`key:<id>`, `token:<key id>`, `operator`, `system`) with its key's name when it has one. */
export interface ActorView {
  actor: string;
  /** The key's name, when the actor is a key (or a token of one) of this account. */
  keyName: string | null;
}

/** What the version views need besides the versions: deployments, and the names of the keys in them. */
export interface VersionContext {
  fn: FunctionRecord;
  deployments: Deployment[];
  names: Map<string, string>;
}

export async function versionContext(
  store: Pick<Store, "deployments" | "keys">,
  fn: FunctionRecord,
  versions: VersionRecord[],
): Promise<VersionContext> {
  const deployments = await store.deployments.list(fn.account, fn.name, DEPLOYMENTS_READ);
  const actors = new Set([...versions.map((v) => v.createdBy), ...deployments.map((d) => d.by)]);
  const names = new Map<string, string>();
  for (const actor of actors) {
    const keyId = actor?.match(/^(?:key|token):(.+)$/)?.[1];
    if (!keyId) continue;
    const key = await store.keys.get(keyId);
    if (key && key.account === fn.account) names.set(keyId, key.name);
  }
  return { fn, deployments, names };
}

function actorView(actor: string | undefined, names: Map<string, string>): ActorView | null {
  if (actor === undefined) return null;
  const keyId = actor.match(/^(?:key|token):(.+)$/)?.[1];
  return { actor, keyName: (keyId && names.get(keyId)) || null };
}

/** A version as the API lists it: when and by whom it was made, and when and by whom it was last deployed. */
export function versionView(v: VersionRecord, ctx: VersionContext) {
  const lastDeployment = ctx.deployments.find((d) => d.version === v.version);
  return {
    version: v.version,
    createdAt: new Date(v.createdAt).toISOString(),
    createdBy: actorView(v.createdBy, ctx.names),
    style: v.style,
    digest: v.digest,
    deployed: ctx.fn.deployedVersion === v.version,
    canary: ctx.fn.canary?.version === v.version,
    deployedAt: lastDeployment ? new Date(lastDeployment.at).toISOString() : null,
    deployedBy: lastDeployment ? actorView(lastDeployment.by, ctx.names) : null,
  };
}
