import { createHash } from "node:crypto";
import { Cron } from "croner";
import { RunletError } from "../errors.js";
import type { FunctionConfig } from "../model/function.js";

export type Schedule = FunctionConfig["schedules"][number];

/** 5 fields (minute precision) or 6 (a leading seconds field); UTC unless the schedule names a timezone. */
export function cronOf(schedule: Schedule): Cron {
  return new Cron(schedule.cron, {
    mode: "5-or-6-parts",
    timezone: schedule.timezone ?? "UTC",
    paused: true,
  });
}

/**
 * A schedule's identity across nodes and redeploys: the same cron, timezone and payload keep their
 * last-fired tick (so a redeploy neither repeats nor catches up a tick), a changed one starts afresh.
 */
export function scheduleKey(schedule: Schedule): string {
  return createHash("sha256")
    .update(JSON.stringify([schedule.cron, schedule.timezone ?? "UTC", schedule.payload ?? null]))
    .digest("hex")
    .slice(0, 24);
}

/** Checks every schedule at deploy: a clear 400 for a bad cron, an unknown timezone, or one that never fires. */
export function validateSchedules(schedules: Schedule[]): Schedule[] {
  const seen = new Map<string, number>();
  schedules.forEach((schedule, i) => {
    const where = `schedules[${i}]`;
    if (schedule.timezone !== undefined) {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: schedule.timezone });
      } catch {
        throw new RunletError(
          "RUNLET_ERR_INVALID_TIMEZONE",
          `${where}.timezone "${schedule.timezone.slice(0, 80)}" is not an IANA time zone; use a name like "Europe/Berlin" or leave it out for UTC`,
        );
      }
    }
    let next: Date | null;
    try {
      next = cronOf(schedule).nextRun();
    } catch (err) {
      const reason = err instanceof Error ? err.message.replace(/^CronPattern: /, "") : String(err);
      throw new RunletError(
        "RUNLET_ERR_INVALID_CRON",
        `${where}.cron "${schedule.cron.slice(0, 80)}" is not a valid cron expression (${reason}); use 5 fields "min hour day month weekday" or 6 with leading seconds, e.g. "*/5 * * * *"`,
      );
    }
    if (next === null) {
      throw new RunletError(
        "RUNLET_ERR_INVALID_CRON",
        `${where}.cron "${schedule.cron.slice(0, 80)}" never fires (no such date); check the day and month fields`,
      );
    }
    const key = scheduleKey(schedule);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new RunletError(
        "RUNLET_ERR_INVALID_CRON",
        `${where} repeats schedules[${earlier}] (same cron, timezone and payload); remove one of them`,
      );
    }
    seen.set(key, i);
  });
  return schedules;
}

export interface UpcomingFirings {
  cron: string;
  timezone: string;
  /** ISO times of the next firings. */
  next: string[];
}

/** The next `count` firings of each schedule, for `GET …/functions/{name}` and `runlet get`. */
export function upcomingFirings(
  schedules: readonly Schedule[],
  count: number,
  from = new Date(),
): UpcomingFirings[] {
  return schedules.map((schedule) => ({
    cron: schedule.cron,
    timezone: schedule.timezone ?? "UTC",
    next: cronOf(schedule)
      .nextRuns(count, from)
      .map((d) => d.toISOString()),
  }));
}
