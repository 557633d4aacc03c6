// Many distinct small functions deployed on one platform: the density and scale-to-zero benchmarks.
import { fileURLToPath } from "node:url";
import { deployFunction, type Runlet } from "./runlet.js";

export const GC_PRELOAD = fileURLToPath(new URL("./gc-on-signal.mjs", import.meta.url));
/** Node flags that let the benchmark trigger a full GC of the platform's host heap (see gc-on-signal.mjs). */
export const GC_NODE_ARGS = ["--expose-gc", "--import", GC_PRELOAD];

/** A small function with its own code (so no two share compiled code), as a customer's would be. */
export function smallFunction(i: number): string {
  return `export default async (event) => ({ fn: ${i}, echo: event.payload ?? null, at: Date.now() })`;
}

/** Deploys `count` distinct functions, `parallel` at a time; deploy leaves one instance of each warm. */
export async function deployFleet(
  runlet: Runlet,
  count: number,
  parallel = 8,
  config: Record<string, unknown> = {},
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      await deployFunction(runlet, `fn-${i}`, { source: smallFunction(i), memoryMb: 16, ...config });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** Invokes each of the fleet's functions once; returns how many answered 200. */
export async function invokeFleet(runlet: Runlet, count: number, parallel = 8): Promise<number> {
  let next = 0;
  let ok = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const res = await runlet.api("POST", runlet.functionUrl(`fn-${i}`, "/invoke"), { i });
      if (res.status === 200) ok += 1;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return ok;
}

export interface PoolGauges {
  warm: number;
  evictions: number;
  isolateBytes: number;
}

/** Warm instances, evictions and isolate memory, from /metrics. */
export async function poolGauges(runlet: Runlet): Promise<PoolGauges> {
  const text = (await runlet.api("GET", "/metrics")).body;
  const warm = [...text.matchAll(/^runlet_instances\{[^}]*\} (\d+)/gm)].reduce((s, m) => s + Number(m[1]), 0);
  const value = (name: string) =>
    Number(new RegExp(`^${name} ([\\d.e+]+)`, "m").exec(text)?.[1] ?? Number.NaN);
  return {
    warm,
    evictions: value("runlet_instance_evictions"),
    isolateBytes: value("runlet_isolate_memory_bytes"),
  };
}

/** Runs a full GC in the platform process (started with GC_NODE_ARGS) and lets it settle. */
export async function collectGarbage(runlet: Runlet, settleMs = 1000): Promise<void> {
  for (let i = 0; i < 3; i++) {
    runlet.child.proc.kill("SIGUSR2");
    await new Promise((resolve) => setTimeout(resolve, settleMs / 3));
  }
}

/** The fleet is bigger than the default per-account function quota (RUNLET_QUOTA_FUNCTIONS=0: no limit). */
export const FLEET_ENV: Record<string, string> = { RUNLET_QUOTA_FUNCTIONS: "0" };
