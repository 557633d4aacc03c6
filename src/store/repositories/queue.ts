import { sql } from "kysely";
import type {
  ClaimedJob,
  DeadJob,
  Enqueue,
  EnqueueResult,
  JobPhase,
  JobQueue,
  JobSpec,
  Settlement,
} from "../../model/job.js";
import type { CallTrace, QueuedInvocation } from "../../model/invocation.js";
import { triggerOf } from "../../model/invocation.js";
import type { Trigger } from "../../model/activation.js";
import type { ActivationsTable, QueueJobsTable } from "../schema.js";
import { toRow } from "./activations.js";
import { adapterOf } from "../dialect.js";
import type { RepositoryContext } from "./context.js";

/** Rows per INSERT: 11 parameters each stays well under both dialects' parameter limits. */
const INSERT_CHUNK = 400;

function toClaimed(row: QueueJobsTable): ClaimedJob {
  return {
    ...specOf(row.spec),
    phase: row.state as JobPhase,
    attempts: row.attempts,
    callbackAttempts: row.callback_attempts,
    deadLetter: row.failed_at !== null,
  };
}

/**
 * A stored job spec. Specs written before invocations had one type per trigger hold the invocation's
 * fields flat (`trigger`, `eventType`, schedule headers): read as the invocation they describe.
 */
function specOf(text: string): JobSpec {
  const spec = JSON.parse(text) as JobSpec | LegacySpec;
  if ("invocation" in spec) return spec;
  const { id, createdAt, callbackUrl, maxAttempts, trigger, eventType, event, trace, ...target } = spec;
  const headers = spec.headers ?? [];
  const invocation: QueuedInvocation =
    trigger === "event"
      ? { kind: "event", ...target, headers, event: { type: eventType ?? "runlet.event", ...event! } }
      : trigger === "schedule"
        ? {
            kind: "schedule",
            ...target,
            cron: headers.find(([name]) => name === "x-runlet-schedule")?.[1] ?? "",
            tick:
              Date.parse(headers.find(([name]) => name === "x-runlet-scheduled-time")?.[1] ?? "") ||
              createdAt,
          }
        : trigger === "function"
          ? { kind: "function", ...target, trace: trace as CallTrace }
          : {
              kind: "http",
              ...target,
              headers,
              ...(trace?.traceparent ? { traceparent: trace.traceparent } : {}),
            };
  return {
    id,
    createdAt,
    invocation,
    ...(callbackUrl !== undefined ? { callbackUrl } : {}),
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
  };
}

interface LegacySpec {
  id: string;
  createdAt: number;
  callbackUrl?: string;
  maxAttempts?: number;
  account: string;
  function: string;
  trigger: Trigger;
  payload: unknown;
  headers?: [string, string][];
  eventType?: string;
  event?: { id: string; source: string; time: string };
  trace?: { depth: number; traceparent?: string; parentId?: string };
}

function encodeError(error: unknown): string | null {
  return error === undefined ? null : (JSON.stringify(error) ?? null);
}

/**
 * The embedded queue on the store's own database: a job is a row, due when `available_at` has passed; a
 * claim moves `available_at` to the lease's end in the same statement, so a crashed owner's jobs come due
 * again by themselves. Where the dialect supports SKIP LOCKED, several nodes claim side by side; an enqueue
 * resolves once the dialect says its commit is durable (SQLite fsyncs its WAL: see store/sqlite/wal-sync.ts).
 */
export function queueRepository(ctx: RepositoryContext): JobQueue {
  const { db } = ctx;
  const adapter = adapterOf(db);

  const durableEnqueue = (entries: Enqueue[]): Promise<EnqueueResult[]> =>
    db.transaction().execute(async (trx) => {
      const results: EnqueueResult[] = [];
      const rows: QueueJobsTable[] = [];
      const activations: ActivationsTable[] = [];
      for (const { job, idempotencyKey, bodyDigest, activation } of entries) {
        const { account, function: name } = job.invocation;
        if (idempotencyKey !== undefined) {
          const inserted = await trx
            .insertInto("queue_idempotency")
            .values({
              account,
              function: name,
              key: idempotencyKey,
              activation_id: job.id,
              body_digest: bodyDigest ?? null,
              created_at: job.createdAt,
            })
            .onConflict((oc) => oc.columns(["account", "function", "key"]).doNothing())
            .executeTakeFirst();
          if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
            const first = await trx
              .selectFrom("queue_idempotency")
              .select(["activation_id", "body_digest"])
              .where("account", "=", account)
              .where("function", "=", name)
              .where("key", "=", idempotencyKey)
              .executeTakeFirstOrThrow();
            const same = (first.body_digest ?? null) === (bodyDigest ?? null);
            results.push({ kind: same ? "duplicate" : "conflict", id: first.activation_id });
            continue;
          }
        }
        rows.push({
          id: job.id,
          account,
          function: name,
          state: "run",
          available_at: job.createdAt,
          lease_owner: null,
          attempts: 0,
          callback_attempts: 0,
          spec: JSON.stringify(job),
          error: null,
          created_at: job.createdAt,
          failed_at: null,
        });
        if (activation) activations.push(toRow(activation));
        results.push({ kind: "queued", id: job.id });
      }
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await trx
          .insertInto("queue_jobs")
          .values(rows.slice(i, i + INSERT_CHUNK))
          .execute();
      }
      // Activation rows have ~20 columns: smaller chunks keep under the parameter limits.
      for (let i = 0; i < activations.length; i += INSERT_CHUNK / 2) {
        await trx
          .insertInto("activations")
          .values(activations.slice(i, i + INSERT_CHUNK / 2))
          .onConflict((oc) => oc.columns(["account", "id"]).doNothing())
          .execute();
      }
      return results;
    });

  return {
    async enqueue(entries) {
      if (entries.length === 0) return [];
      const results = await durableEnqueue(entries);
      await adapter.syncCommits(db);
      return results;
    },

    async claim(owner, max, leaseMs, now) {
      if (max <= 0) return [];
      let due = db
        .selectFrom("queue_jobs")
        .select("id")
        .where("state", "in", ["run", "callback"])
        .where((eb) =>
          eb.or([
            eb("available_at", "<=", now),
            // Held by a node whose heartbeat stopped: free now, not at the end of its lease.
            eb(
              "lease_owner",
              "in",
              eb.selectFrom("cluster_nodes").select("id").where("expires_at", "<=", now),
            ),
          ]),
        )
        .orderBy("available_at")
        .limit(max);
      if (adapter.supportsSkipLocked) due = due.forUpdate().skipLocked();
      const rows = await db
        .updateTable("queue_jobs")
        .set({
          lease_owner: owner,
          available_at: now + leaseMs,
          attempts: sql<number>`attempts + case when state = 'run' then 1 else 0 end`,
        })
        .where("id", "in", due)
        .returningAll()
        .execute();
      return rows.map(toClaimed).sort((a, b) => (a.id < b.id ? -1 : 1));
    },

    async heartbeat(owner, now, until) {
      await db
        .insertInto("cluster_nodes")
        .values({ id: owner, seen_at: now, expires_at: until })
        .onConflict((oc) => oc.column("id").doUpdateSet({ seen_at: now, expires_at: until }))
        .execute();
      // Nodes gone for an hour hold nothing any more (their jobs were claimed long ago): forget them.
      await db
        .deleteFrom("cluster_nodes")
        .where("expires_at", "<", now - 3_600_000)
        .execute();
    },

    async extend(owner, ids, until) {
      for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
        await db
          .updateTable("queue_jobs")
          .set({ available_at: until })
          .where("id", "in", ids.slice(i, i + INSERT_CHUNK))
          .where("lease_owner", "=", owner)
          .where("state", "!=", "dead")
          .execute();
      }
    },

    async settle(settlements) {
      if (settlements.length === 0) return;
      await db.transaction().execute(async (trx) => {
        const done = settlements.filter((s) => s.kind === "done").map((s) => s.id);
        for (let i = 0; i < done.length; i += INSERT_CHUNK) {
          await trx
            .deleteFrom("queue_jobs")
            .where("id", "in", done.slice(i, i + INSERT_CHUNK))
            .execute();
        }
        for (const s of settlements) await settleOne(trx, s);
      });
    },

    async listDead(account, limit, before) {
      let query = db
        .selectFrom("queue_jobs")
        .selectAll()
        .where("account", "=", account)
        .where("state", "=", "dead");
      if (before !== undefined) query = query.where("id", "<", before);
      const rows = await query.orderBy("id", "desc").limit(limit).execute();
      return rows.map((row): DeadJob => ({
        id: row.id,
        account: row.account,
        function: row.function,
        trigger: triggerOf(specOf(row.spec).invocation),
        attempts: row.attempts,
        error: row.error === null ? null : (JSON.parse(row.error) as unknown),
        createdAt: row.created_at,
        failedAt: row.failed_at ?? row.created_at,
      }));
    },

    async lookup(account, fn, key) {
      const row = await db
        .selectFrom("queue_idempotency")
        .select(["activation_id", "body_digest"])
        .where("account", "=", account)
        .where("function", "=", fn)
        .where("key", "=", key)
        .executeTakeFirst();
      return row && { id: row.activation_id, bodyDigest: row.body_digest };
    },

    async redrive(account, id, now) {
      const result = await db
        .updateTable("queue_jobs")
        .set({ state: "run", attempts: 0, available_at: now, lease_owner: null, failed_at: null })
        .where("account", "=", account)
        .where("id", "=", id)
        .where("state", "=", "dead")
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async pruneKeys(before) {
      const result = await db
        .deleteFrom("queue_idempotency")
        .where("created_at", "<", before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async pending() {
      const row = await db
        .selectFrom("queue_jobs")
        .select(sql<number>`count(*)`.as("n"))
        .where("state", "!=", "dead")
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

type Trx = Parameters<Parameters<ReturnType<RepositoryContext["db"]["transaction"]>["execute"]>[0]>[0];

async function settleOne(trx: Trx, s: Settlement): Promise<void> {
  switch (s.kind) {
    case "done":
      return;
    case "retry":
      await trx
        .updateTable("queue_jobs")
        .set({
          state: "run",
          available_at: s.at,
          lease_owner: null,
          error: encodeError(s.error),
          ...(s.attempts !== undefined ? { attempts: s.attempts } : {}),
        })
        .where("id", "=", s.id)
        .execute();
      return;
    case "callback":
      await trx
        .updateTable("queue_jobs")
        .set({
          state: "callback",
          available_at: s.at,
          lease_owner: null,
          callback_attempts: s.callbackAttempts,
          ...(s.deadLetter ? { failed_at: s.at } : {}),
        })
        .where("id", "=", s.id)
        .execute();
      return;
    case "dead":
      await trx
        .updateTable("queue_jobs")
        .set({
          state: "dead",
          available_at: s.at,
          failed_at: s.at,
          lease_owner: null,
          ...(s.error !== undefined ? { error: encodeError(s.error) } : {}),
        })
        .where("id", "=", s.id)
        .execute();
      return;
  }
}
