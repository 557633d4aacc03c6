import type { Recording } from "../../model/recording.js";
import type { RecordingRepository } from "../store.js";
import type { RepositoryContext } from "./context.js";

type Body = Pick<Recording, "input" | "calls" | "outcome">;

function toRecording(row: {
  account: string;
  id: string;
  function: string;
  version: number;
  started_at: number;
  expires_at: number;
  body: string;
}): Recording {
  const body = JSON.parse(row.body) as Body;
  return {
    account: row.account,
    id: row.id,
    function: row.function,
    version: row.version,
    startedAt: Number(row.started_at),
    expiresAt: Number(row.expires_at),
    ...body,
  };
}

export function recordingRepository({ db }: RepositoryContext): RecordingRepository {
  return {
    async put(r) {
      const body: Body = { input: r.input, calls: r.calls, outcome: r.outcome };
      const values = {
        function: r.function,
        version: r.version,
        started_at: r.startedAt,
        expires_at: r.expiresAt,
        body: JSON.stringify(body),
      };
      await db
        .insertInto("recordings")
        .values({ account: r.account, id: r.id, ...values })
        // A retried async activation keeps its id: its last run's recording is the one kept.
        .onConflict((oc) => oc.columns(["account", "id"]).doUpdateSet(values))
        .execute();
    },

    async get(account, id, now) {
      const row = await db
        .selectFrom("recordings")
        .selectAll()
        .where("account", "=", account)
        .where("id", "=", id)
        .where("expires_at", ">", now)
        .executeTakeFirst();
      return row && toRecording(row);
    },

    async latest(account, fn, limit, now) {
      const rows = await db
        .selectFrom("recordings")
        .selectAll()
        .where("account", "=", account)
        .where("function", "=", fn)
        .where("expires_at", ">", now)
        .orderBy("id", "desc")
        .limit(limit)
        .execute();
      return rows.map(toRecording);
    },

    async prune(now) {
      const result = await db.deleteFrom("recordings").where("expires_at", "<=", now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
