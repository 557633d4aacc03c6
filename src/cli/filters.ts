// The filters `runlet logs` and `runlet activations` share (--since, --until, --level, --activation,
// --search) and CSV export. Each filter is one row of FILTERS; another spelling of it (the hosted
// platform's --start, --end, --levels) is one more entry in its `aliases`, copied onto it before the action.
import { InvalidArgumentError, Option, type Command } from "commander";
import { timeId } from "../ids.js";

/** A time on the command line: ISO 8601, epoch milliseconds, or an age before now (`90s`, `15m`, `2h`, `7d`). */
export function parseWhen(value: string, now = Date.now()): number {
  const age = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value.trim());
  if (age) {
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
      age[2] as "ms" | "s" | "m" | "h" | "d"
    ];
    return now - Number(age[1]) * unit;
  }
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new InvalidArgumentError(
      "use ISO 8601 (2026-11-01T12:00:00Z), epoch ms, or an age like 15m, 2h, 7d",
    );
  }
  return ms;
}

export const LEVELS = ["debug", "info", "log", "warn", "error"] as const;
const RANK: Record<string, number> = { debug: 0, info: 1, log: 1, warn: 2, error: 3 };

export interface FilterValues {
  since?: number;
  until?: number;
  level?: (typeof LEVELS)[number];
  /** Only these levels (the hosted platform's `--levels Info Warn`); `info` takes `log` lines too. */
  levels?: (typeof LEVELS)[number][];
  activation?: string;
  search?: string;
}

type FilterKey = keyof FilterValues;

const FILTERS: {
  key: FilterKey;
  flags: string;
  help: string;
  parse?: (v: string, previous: unknown) => unknown;
  choices?: readonly string[];
  aliases: string[];
}[] = [
  {
    key: "since",
    flags: "--since <time>",
    help: "from this time (ISO 8601, epoch ms, or an age: 15m, 2h, 7d)",
    parse: (v) => parseWhen(v),
    aliases: ["--start"],
  },
  {
    key: "until",
    flags: "--until <time>",
    help: "up to this time (same forms as --since)",
    parse: (v) => parseWhen(v),
    aliases: ["--end"],
  },
  {
    key: "level",
    flags: "--level <level>",
    help: "log lines at this level or above",
    choices: LEVELS,
    aliases: [],
  },
  {
    key: "levels",
    flags: "--levels <level...>",
    help: `only log lines at these levels, any case (--levels info warn; ${LEVELS.join(", ")})`,
    parse: (v, previous) => [...((previous as string[] | undefined) ?? []), ...parseLevels(v)],
    aliases: [],
  },
  { key: "activation", flags: "--activation <id>", help: "only this activation's", aliases: [] },
  {
    key: "search",
    flags: "--search <text>",
    help: "only lines containing this text (any case)",
    aliases: [],
  },
];

/** `Info`, `warn,error` or `Info|Warn` (lpf's spellings) as Runlet's levels. */
function parseLevels(value: string): (typeof LEVELS)[number][] {
  return value
    .split(/[\s,|]+/)
    .filter((v) => v !== "")
    .map((v) => {
      const level = LEVELS.find((l) => l === v.toLowerCase());
      if (level === undefined) throw new InvalidArgumentError(`levels are ${LEVELS.join(", ")} (any case)`);
      return level;
    });
}

/** Adds the filter options (and their aliases, hidden from --help) to a command. */
export function addFilters(command: Command, help: Partial<Record<FilterKey, string>> = {}): Command {
  for (const filter of FILTERS) {
    const make = (flags: string) => {
      const option = new Option(flags, help[filter.key] ?? filter.help);
      if (filter.choices) option.choices(filter.choices);
      if (filter.parse) option.argParser(filter.parse);
      return option;
    };
    command.addOption(make(filter.flags));
    for (const alias of filter.aliases)
      command.addOption(make(filter.flags.replace(/^--\S+/, alias)).hideHelp());
  }
  command.hook("preAction", (cmd) => {
    for (const filter of FILTERS) {
      for (const alias of filter.aliases) {
        const value = cmd.getOptionValue(new Option(alias).attributeName());
        if (value !== undefined && cmd.getOptionValue(filter.key) === undefined)
          cmd.setOptionValue(filter.key, value);
      }
    }
  });
  return command;
}

/** Whether a log line passes the time, level and text filters. */
export function lineMatches(
  line: { t: number | string; level: string; msg: string },
  f: FilterValues,
): boolean {
  const t = typeof line.t === "number" ? line.t : Date.parse(line.t);
  if (f.since !== undefined && t < f.since) return false;
  if (f.until !== undefined && t > f.until) return false;
  if (f.level !== undefined && (RANK[line.level] ?? 1) < (RANK[f.level] ?? 0)) return false;
  if (
    f.levels !== undefined &&
    !f.levels.some((l) => l === line.level || (l === "info" && line.level === "log"))
  )
    return false;
  return f.search === undefined || line.msg.toLowerCase().includes(f.search.toLowerCase());
}

/** The API's `before` cursor for "started at or before `until`": activation ids sort by their time. */
export function cursorAt(until: number): string {
  return `${timeId("act_", until + 1).slice(0, 14)}${"0".repeat(14)}`;
}

/** One RFC 4180 CSV row: fields quoted when they hold a comma, quote or line break. */
export function csvRow(fields: unknown[]): string {
  const field = (value: unknown) => {
    const text =
      value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `${fields.map(field).join(",")}\r\n`;
}

/** A CSV table: a header row, then the rows. */
export function csv(headers: string[], rows: unknown[][]): string {
  return [headers, ...rows].map(csvRow).join("");
}
