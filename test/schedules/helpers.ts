import type { TestPlatform } from "../helpers/platform.js";

/** A function that answers with the tick it was fired for (the x-runlet-scheduled-time header). */
export const TICK_SOURCE = `export default async function (event) {
  return { tick: Date.parse(event.headers["x-runlet-scheduled-time"]), payload: event.payload, type: event.type };
}`;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The ticks the cluster claimed for `fn` (the firing lock rows), oldest first. */
export async function claimedTicks(t: TestPlatform, fn: string): Promise<number[]> {
  const rows = await t.platform.store.triggers.recent(t.account, fn, 10_000);
  return rows.map((row) => row.tick).reverse();
}

interface TickActivation {
  id: string;
  status: string;
  trigger: string;
  result: { tick: number; payload: unknown; type: string } | null;
}

/**
 * Waits until every claimed tick of `fn` has a finished activation, then returns the ticks the function
 * saw, oldest first (one entry per activation, so a tick that ran twice shows twice).
 */
export async function ranTicks(t: TestPlatform, fn: string, claimed: number): Promise<number[]> {
  let done: TickActivation[] = [];
  for (let i = 0; i < 400; i++) {
    await t.platform.activations.flush();
    const res = await t.call("GET", `/v1/accounts/${t.account}/activations?function=${fn}&limit=500`);
    const list = (res.body.activations as TickActivation[]).filter((a) => a.trigger === "schedule");
    done = list.filter((a) => a.status === "succeeded");
    if (done.length >= claimed && list.every((a) => a.status !== "queued" && a.status !== "running")) break;
    await sleep(50);
  }
  return done.map((a) => a.result!.tick).sort((a, b) => a - b);
}

/** The number of whole-second boundaries in (from, to]: the ticks an every-second cron has in it. */
export function secondsBetween(from: number, to: number): number {
  return Math.floor(to / 1000) - Math.floor(from / 1000);
}
