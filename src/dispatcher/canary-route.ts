import type { FunctionRecord } from "../model/function.js";

/** Out of how many buckets a canary's weight takes its share (basis points: 10 % is 1,000). */
export const BUCKETS = 10_000;

/**
 * The version an invocation runs: the deployed one, or the canary for its share of buckets. A route key
 * always lands in the same bucket of a function (FNV-1a of the function's uuid and the key), so a caller
 * keeps its version while the split stays the same, and one that had the canary keeps it as it grows.
 */
export function routedVersion(
  fn: FunctionRecord,
  routeKey: string | undefined,
  random: () => number = Math.random,
): number | null {
  if (fn.deployedVersion === null || !fn.canary) return fn.deployedVersion;
  const bucket = routeKey === undefined ? Math.floor(random() * BUCKETS) : bucketOf(fn.uuid, routeKey);
  return bucket < fn.canary.weight ? fn.canary.version : fn.deployedVersion;
}

export function bucketOf(salt: string, key: string): number {
  let hash = 0x811c9dc5;
  const text = `${salt}\0${key.slice(0, 256)}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % BUCKETS;
}
