import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { ago, duration, fields, timestamp, type Time } from "../format.js";

/** Invocation durations are often under a millisecond: keep a decimal below 10 ms. */
const millis = (ms: number | null) => (ms !== null && ms < 10 ? `${ms.toFixed(1)} ms` : duration(ms));
import { validateName } from "../project.js";
import { formatRate, type CanaryView } from "./canary.js";
import type { FunctionSummary } from "./list.js";
import { JSON_HELP, versionNumbers, type JsonOption } from "./shared.js";

export interface FunctionDetail extends FunctionSummary {
  /** Stable id (the hosted platform's lambda UUID); absent from servers older than 007-function-uuids. */
  uuid?: string;
  config: Record<string, unknown>;
  createdAt: Time;
  versions: unknown[];
  stats?: { lastHour?: LastHour & { byVersion?: VersionCounts[] } };
  canary?: CanaryView | null;
  subscriptions?: { events: unknown[]; queues: string[] };
  schedules?: ScheduleView[];
}

/** GET …/functions/{name} `schedules[]`: the next firings (none unless deployed) and the last one. */
export interface ScheduleView {
  cron: string;
  timezone: string;
  next: string[];
  lastFiredAt: string | null;
}

/** One version's finished invocations of the last hour by status (the canary's apart). */
export interface VersionCounts {
  version: number;
  byStatus: Record<string, number>;
  invocations: number;
}

/** GET …/functions/{name} `stats.lastHour`: finished invocations by status, p50/p99 of those that ran. */
export interface LastHour {
  byStatus: Record<string, number>;
  invocations: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

export function registerGet(program: Command, ctx: CliContext): void {
  program
    .command("get")
    .description("show a function: state, versions and configuration")
    .argument("<name>", "function name")
    .option("--json", JSON_HELP)
    .action(async (name: string, options: JsonOption) => {
      const out = ctx.output(options);
      validateName(name);
      const client = ctx.client();
      const fn = await client.json<FunctionDetail>("GET", client.functionPath(name));
      const url = fn.style === "http" ? client.webUrl(name) : undefined;
      out.result(url ? { ...fn, url } : fn, () => describeFunction(fn, url));
    });
}

export function describeFunction(fn: FunctionDetail, url?: string): string {
  const deployed = fn.deployedVersion === null ? "not deployed" : `version ${fn.deployedVersion}`;
  const versions = versionNumbers(fn.versions)
    .sort((a, b) => b - a)
    .map((v) =>
      v === fn.deployedVersion ? `${v} (deployed)` : v === fn.canary?.version ? `${v} (canary)` : String(v),
    );
  const byVersion = fn.stats?.lastHour?.byVersion ?? [];
  return fields([
    ["name", fn.name],
    ...(fn.uuid ? [["uuid", fn.uuid] as [string, string]] : []),
    ["state", `${fn.state}, ${deployed}, latest ${fn.latestVersion}`],
    ["style", fn.style ?? "-"],
    ...(url ? [["url", url] as [string, string]] : []),
    ["created", `${timestamp(fn.createdAt)} (${ago(fn.createdAt)})`],
    ["updated", `${timestamp(fn.updatedAt)} (${ago(fn.updatedAt)})`],
    ["versions", versions.join(", ") || "-"],
    ...(fn.canary ? [["canary", formatCanary(fn.canary, fn.deployedVersion)] as [string, string]] : []),
    ...(fn.stats?.lastHour ? [["last 1h", formatLastHour(fn.stats.lastHour)] as [string, string]] : []),
    ...(byVersion.length > 1 || fn.canary ? [["split", formatByVersion(byVersion)] as [string, string]] : []),
    ...(fn.subscriptions ? [["listens", formatSubscriptions(fn.subscriptions)] as [string, string]] : []),
    ...(fn.schedules?.length ? [["schedule", formatSchedules(fn.schedules)] as [string, string]] : []),
    ["config", formatConfig(fn.config ?? {})],
  ]);
}

/** `12 invocations (10 succeeded, 2 function_error), p50 3 ms, p99 41 ms`. */
export function formatLastHour(stats: LastHour): string {
  if (stats.invocations === 0) return "no invocations";
  const statuses = Object.entries(stats.byStatus)
    .sort(([, a], [, b]) => b - a)
    .map(([status, n]) => `${n} ${status}`)
    .join(", ");
  const plural = stats.invocations === 1 ? "invocation" : "invocations";
  return `${stats.invocations} ${plural} (${statuses}), p50 ${millis(stats.p50Ms)}, p99 ${millis(stats.p99Ms)}`;
}

/** `version 3 for 10% of invocations since …, rolls back above 5% more errors`. */
export function formatCanary(canary: CanaryView, deployed: number | null): string {
  const auto = canary.autoRollback
    ? `, rolls back by itself above ${formatRate(canary.autoRollback.maxErrorRate)} more errors than version ${deployed}`
    : "";
  return `version ${canary.version} for ${canary.percent}% of invocations since ${timestamp(canary.since)}${auto}`;
}

/** One line per version: `v3  20 invocations (18 succeeded, 2 function_error)`. */
export function formatByVersion(versions: VersionCounts[]): string {
  if (versions.length === 0) return "no invocations";
  return versions
    .map((v, i) => {
      const statuses = Object.entries(v.byStatus)
        .sort(([, a], [, b]) => b - a)
        .map(([status, n]) => `${n} ${status}`)
        .join(", ");
      return `${i ? " ".repeat(10) : ""}v${v.version}  ${v.invocations} (${statuses})`;
    })
    .join("\n");
}

/** `events order.created, user.signup; subjects orders.new`, or `-`. */
export function formatSubscriptions(subs: NonNullable<FunctionDetail["subscriptions"]>): string {
  const events = subs.events.map((e) => (typeof e === "string" ? e : JSON.stringify(e)));
  const parts = [
    ...(events.length ? [`events ${events.join(", ")}`] : []),
    ...(subs.queues.length ? [`subjects ${subs.queues.join(", ")}`] : []),
  ];
  return parts.join("; ") || "-";
}

/** One line per schedule: `0 9 * * 1 UTC  next 2025-11-24 10:00:00, …, last fired 2025-11-17 10:00:00`. */
export function formatSchedules(schedules: ScheduleView[]): string {
  return schedules
    .map((s, i) => {
      const next = s.next.length ? `next ${s.next.map((t) => timestamp(t)).join(", ")}` : "not deployed";
      const last = s.lastFiredAt ? `, last fired ${timestamp(s.lastFiredAt)}` : "";
      return `${i ? " ".repeat(10) : ""}${s.cron} ${s.timezone}  ${next}${last}`;
    })
    .join("\n");
}

/** `key value` pairs, nested values as compact JSON, one per line under the label. */
function formatConfig(config: Record<string, unknown>): string {
  const entries = Object.entries(config);
  if (entries.length === 0) return "-";
  const width = Math.max(...entries.map(([key]) => key.length));
  return entries
    .map(([key, value], i) => `${i ? " ".repeat(10) : ""}${key.padEnd(width)}  ${JSON.stringify(value)}`)
    .join("\n");
}
