import type { ReplayReport } from "../model/recording.js";

/** At most this many differences are listed per activation (the count of the rest is not). */
export const MAX_DIFFS = 100;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Where two JSON values differ, as JSON paths (`$.order.total`, `$.items[2]`) with the value on each side
 * (absent when the key is missing there). Both come from JSON text, so they hold no cycles; the walk
 * stops after MAX_DIFFS differences.
 */
export function jsonDiff(recorded: unknown, replayed: unknown): ReplayReport["diff"] {
  const out: ReplayReport["diff"] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (out.length >= MAX_DIFFS) return;
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if (i >= a.length) out.push({ path: `${path}[${i}]`, replayed: b[i] });
        else if (i >= b.length) out.push({ path: `${path}[${i}]`, recorded: a[i] });
        else walk(a[i], b[i], `${path}[${i}]`);
      }
      return;
    }
    if (isObject(a) && isObject(b)) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
        const at = /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
        if (!Object.hasOwn(b, key)) out.push({ path: at, recorded: a[key] });
        else if (!Object.hasOwn(a, key)) out.push({ path: at, replayed: b[key] });
        else walk(a[key], b[key], at);
      }
      return;
    }
    if (a !== b) out.push({ path, recorded: a, replayed: b });
  };
  walk(recorded, replayed, "$");
  return out;
}
