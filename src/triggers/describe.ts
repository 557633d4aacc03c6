import type { FunctionRecord, VersionRecord } from "../model/function.js";
import type { TriggerRepository } from "../store/store.js";
import { scheduleKey, upcomingFirings, type UpcomingFirings } from "./cron.js";

export interface TriggerView {
  /** What the function listens to: event types (with filters) and NATS subjects. */
  subscriptions: { events: VersionRecord["config"]["events"]; queues: string[] };
  /** Each schedule with its next firings (none unless deployed) and the last tick it fired for. */
  schedules: (UpcomingFirings & { lastFiredAt: string | null })[];
}

const NEXT_FIRINGS = 5;

/** The triggers part of `GET …/functions/{name}` (and `runlet get`), from the deployed (else latest) version. */
export async function describeTriggers(
  fn: FunctionRecord,
  version: VersionRecord | undefined,
  repo: TriggerRepository,
): Promise<TriggerView> {
  const config = version?.config;
  const schedules = config?.schedules ?? [];
  const deployed = fn.deployedVersion !== null;
  const upcoming = upcomingFirings(schedules, deployed ? NEXT_FIRINGS : 0);
  const last = await Promise.all(schedules.map((s) => repo.lastTick(fn.account, fn.name, scheduleKey(s))));
  return {
    subscriptions: {
      events: config?.events ?? [],
      queues: (config?.queues ?? []).map((q) => q.subject),
    },
    schedules: upcoming.map((u, i) => ({
      ...u,
      lastFiredAt: last[i] === undefined ? null : new Date(last[i]).toISOString(),
    })),
  };
}
