import { CompiledQuery, sql } from "kysely";
import type { ActivationStatus } from "../../outcomes.js";
import type {
  Activation,
  ActivationError,
  ActivationFaults,
  ActivationStep,
  LogLine,
  Trigger,
} from "../../model/activation.js";
import type { CallbackRecord } from "../../model/activation.js";
import type { ActivationRepository } from "../store.js";
import type { ActivationsTable } from "../schema.js";
import type { RepositoryContext } from "./context.js";
import { activationStats, lastStarted, versionStats } from "./activation-stats.js";
import { outcomeBuckets } from "./outcome-buckets.js";
import { spanIdsOf } from "../../model/span-ids.js";

/**
 * Row counts an INSERT is compiled for; a batch is cut into these (greedily, largest first), so the
 * activation log's varying batch sizes reuse a few SQL texts: Kysely builds and compiles each once, and the
 * SQLite connection keeps its prepared statement (sqlite/connect.ts). Building and compiling a 140-row
 * INSERT per write, and preparing its new text, was ~8% of the gateway's CPU under warm sync load.
 * 256 rows × 20 parameters stays well under SQLite's and PostgreSQL's parameter limits.
 */
const CHUNKS = [256, 64, 16, 4, 1];

function chunksOf(total: number): [start: number, count: number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (const size of CHUNKS) {
    for (; total - start >= size; start += size) out.push([start, size]);
  }
  return out;
}

type Column = keyof ActivationsTable;

/** Any activation: toRow of it names every column (toRow writes each one, NULL or not). */
const SAMPLE: Activation = {
  id: "",
  account: "",
  function: "",
  version: 0,
  trigger: "http",
  status: "succeeded",
  result: null,
  error: null,
  logs: [],
  logsTruncated: false,
  startedAt: 0,
  durationMs: 0,
  billedMs: 0,
  memoryMb: 0,
  coldStart: false,
};

/** An upsert's SQL text, and for each of its parameters the row and column it takes its value from. */
interface CompiledUpsert {
  sql: string;
  cells: [row: number, column: Column][];
}

/**
 * Compiles the upsert of `count` rows with a marker in every cell, then reads which parameter holds which
 * cell: the mapping is Kysely's own, whatever order or shape it gives the parameters.
 */
function compileUpsert(db: RepositoryContext["db"], count: number): CompiledUpsert {
  const columns = Object.keys(toRow(SAMPLE)) as Column[];
  const markers = new Map<string, [number, Column]>();
  const rows = Array.from({ length: count }, (_, row) =>
    Object.fromEntries(
      columns.map((column) => {
        const marker = `\u0000cell ${row} ${column}`;
        markers.set(marker, [row, column]);
        return [column, marker];
      }),
    ),
  ) as unknown as ActivationsTable[];
  const compiled = db
    .insertInto("activations")
    .values(rows)
    // An id written again replaces the earlier record: a retried batch does not fail, and a later status
    // (queued → running → final) wins.
    .onConflict((oc) =>
      oc.columns(["account", "id"]).doUpdateSet((eb) => ({
        function: eb.ref("excluded.function"),
        version: eb.ref("excluded.version"),
        trigger: eb.ref("excluded.trigger"),
        status: eb.ref("excluded.status"),
        result: eb.ref("excluded.result"),
        error: eb.ref("excluded.error"),
        logs: eb.ref("excluded.logs"),
        logs_truncated: eb.ref("excluded.logs_truncated"),
        started_at: eb.ref("excluded.started_at"),
        duration_ms: eb.ref("excluded.duration_ms"),
        billed_ms: eb.ref("excluded.billed_ms"),
        memory_mb: eb.ref("excluded.memory_mb"),
        cold_start: eb.ref("excluded.cold_start"),
        attempts: eb.ref("excluded.attempts"),
        callback: eb.ref("excluded.callback"),
        parent_id: eb.ref("excluded.parent_id"),
        traceparent: eb.ref("excluded.traceparent"),
        trace_id: eb.ref("excluded.trace_id"),
        parent_span_id: eb.ref("excluded.parent_span_id"),
        queued_ms: eb.ref("excluded.queued_ms"),
        steps: eb.ref("excluded.steps"),
        faults: eb.ref("excluded.faults"),
      })),
    )
    .compile();
  const cells = compiled.parameters.map((value) => {
    const cell = typeof value === "string" ? markers.get(value) : undefined;
    if (!cell)
      throw new Error(`the activation upsert has a parameter that is no row's cell: ${String(value)}`);
    return cell;
  });
  if (cells.length !== count * columns.length)
    throw new Error(`the activation upsert of ${count} rows has ${cells.length} parameters`);
  return { sql: compiled.sql, cells };
}

/** `undefined` (and anything else JSON cannot hold) becomes SQL NULL, which reads back as `null`. */
function encodeResult(result: unknown): string | null {
  return JSON.stringify(result) ?? null;
}

/** The row an activation is stored as (also written by the queue, with the job it belongs to). */
export function toRow(a: Activation): ActivationsTable {
  return {
    id: a.id,
    account: a.account,
    function: a.function,
    version: a.version,
    trigger: a.trigger,
    status: a.status,
    result: encodeResult(a.result),
    error: a.error === null ? null : JSON.stringify(a.error),
    logs: JSON.stringify(a.logs),
    logs_truncated: a.logsTruncated ? 1 : 0,
    started_at: a.startedAt,
    duration_ms: a.durationMs,
    billed_ms: a.billedMs,
    memory_mb: a.memoryMb,
    cold_start: a.coldStart ? 1 : 0,
    attempts: a.attempts ?? 1,
    callback: a.callback ? JSON.stringify(a.callback) : null,
    parent_id: a.parentId ?? null,
    traceparent: a.traceparent ?? null,
    trace_id: spanIdsOf(a).traceId,
    parent_span_id: a.parentSpanId ?? null,
    queued_ms: a.queuedMs ?? null,
    steps: a.steps ? JSON.stringify(a.steps) : null,
    faults: a.faults ? JSON.stringify(a.faults) : null,
  };
}

export function toActivation(row: ActivationsTable): Activation {
  return {
    id: row.id,
    account: row.account,
    function: row.function,
    version: row.version,
    trigger: row.trigger as Trigger,
    status: row.status as ActivationStatus,
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    error: row.error === null ? null : (JSON.parse(row.error) as ActivationError),
    logs: JSON.parse(row.logs) as LogLine[],
    logsTruncated: row.logs_truncated !== 0,
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    billedMs: row.billed_ms,
    memoryMb: row.memory_mb,
    coldStart: row.cold_start !== 0,
    // 1 (a sync run, or an async one that ran once) is left implicit, so a record reads back as written.
    ...(row.attempts !== 1 ? { attempts: row.attempts } : {}),
    ...(row.callback !== null ? { callback: JSON.parse(row.callback) as CallbackRecord } : {}),
    ...(row.parent_id !== null ? { parentId: row.parent_id } : {}),
    ...(row.traceparent !== null ? { traceparent: row.traceparent } : {}),
    ...(row.parent_span_id !== null ? { parentSpanId: row.parent_span_id } : {}),
    ...(row.queued_ms !== null ? { queuedMs: Number(row.queued_ms) } : {}),
    ...(row.steps !== null ? { steps: JSON.parse(row.steps) as ActivationStep[] } : {}),
    ...(row.faults !== null ? { faults: JSON.parse(row.faults) as ActivationFaults } : {}),
  };
}

export function activationRepository(ctx: RepositoryContext): ActivationRepository {
  const { db } = ctx;
  const upserts = new Map<number, CompiledUpsert>();
  /** The upsert of `count` rows, compiled by Kysely once per row count (see CHUNKS). */
  const upsertOf = (count: number): CompiledUpsert => {
    let compiled = upserts.get(count);
    if (!compiled) upserts.set(count, (compiled = compileUpsert(db, count)));
    return compiled;
  };
  const insertEncoded = async (rows: ActivationsTable[]): Promise<void> => {
    if (rows.length === 0) return;
    await db.transaction().execute(async (trx) => {
      for (const [start, count] of chunksOf(rows.length)) {
        const { sql: text, cells } = upsertOf(count);
        const parameters = cells.map(([row, column]) => rows[start + row]![column]);
        await trx.executeQuery(CompiledQuery.raw(text, parameters));
      }
    });
  };
  return {
    stats: (filter) => activationStats(ctx, filter),
    versionStats: (filter) => versionStats(ctx, filter),
    lastStarted: (account, functions) => lastStarted(ctx, account, functions),
    outcomeBuckets: (filter) => outcomeBuckets(ctx, filter),
    encode: toRow,
    decode: toActivation,
    insertMany: async (activations) => insertEncoded(activations.map(toRow)),
    insertEncoded,

    async get(account, id) {
      const row = await db
        .selectFrom("activations")
        .selectAll()
        .where("account", "=", account)
        .where("id", "=", id)
        .executeTakeFirst();
      return row && toActivation(row);
    },

    async list(filter) {
      let query = db.selectFrom("activations").selectAll().where("account", "=", filter.account);
      if (filter.function !== undefined) query = query.where("function", "=", filter.function);
      if (filter.status !== undefined) query = query.where("status", "=", filter.status);
      if (filter.since !== undefined) query = query.where("started_at", ">=", filter.since);
      if (filter.until !== undefined) query = query.where("started_at", "<", filter.until);
      if (filter.trigger !== undefined) query = query.where("trigger", "=", filter.trigger);
      if (filter.version !== undefined) query = query.where("version", "=", filter.version);
      if (filter.parentId !== undefined) query = query.where("parent_id", "=", filter.parentId);
      if (filter.before !== undefined) query = query.where("id", "<", filter.before);
      const rows = await query.orderBy("id", "desc").limit(filter.limit).execute();
      return rows.map(toActivation);
    },

    async trace(account, traceId, limit) {
      const rows = await db
        .selectFrom("activations")
        .selectAll()
        .where("account", "=", account)
        .where("trace_id", "=", traceId)
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map(toActivation);
    },

    async usage(filter) {
      const byDay = filter.groupBy === "day" || filter.groupBy === "day,function";
      const byFunction = filter.groupBy === "function" || filter.groupBy === "day,function";
      // The grouping columns, then the sums; grouped and ordered by the column numbers.
      const day = byDay ? sql<number>`cast(started_at / ${DAY_MS} as integer)` : sql<number>`0`;
      const fn = byFunction ? sql<string>`${sql.ref("function")}` : sql<string>`''`;
      const rows = await db
        .selectFrom("activations")
        .select([
          day.as("day"),
          fn.as("fn"),
          sql<number>`count(*)`.as("invocations"),
          sql<number>`sum(case when status = 'succeeded' then 0 else 1 end)`.as("errors"),
          sql<number>`coalesce(sum(billed_ms), 0)`.as("billed_ms"),
          sql<number>`coalesce(sum(billed_ms * memory_mb), 0)`.as("mb_ms"),
        ])
        .where("account", "=", filter.account)
        .where("started_at", ">=", filter.from)
        .where("started_at", "<", filter.to)
        .$if(filter.function !== undefined, (q) => q.where("function", "=", filter.function ?? ""))
        .groupBy([sql`1`, sql`2`])
        .orderBy(sql`1`)
        .orderBy(sql`2`)
        .execute();
      if (rows.length === 0 && filter.groupBy === undefined) {
        return [{ key: "total", invocations: 0, errors: 0, billedMs: 0, gbSeconds: 0 }];
      }
      return rows.map((row) => {
        const date = new Date(Number(row.day) * DAY_MS).toISOString().slice(0, 10);
        const name = String(row.fn);
        return {
          key: byDay && byFunction ? `${date}/${name}` : byDay ? date : byFunction ? name : "total",
          ...(byDay ? { day: date } : {}),
          ...(byFunction ? { function: name } : {}),
          invocations: Number(row.invocations),
          errors: Number(row.errors),
          billedMs: Number(row.billed_ms),
          gbSeconds: Number(row.mb_ms) / 1000 / 1024,
        };
      });
    },
  };
}

const DAY_MS = 86_400_000;
