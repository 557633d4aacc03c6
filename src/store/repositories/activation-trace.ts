import type { Activation } from "../../model/activation.js";
import type { ActivationsTable } from "../schema.js";
import type { RepositoryContext } from "./context.js";

/** Turns a row into an Activation (activations.ts's decoder, passed in so the two files do not import each other). */
type Decode = (row: ActivationsTable) => Activation;

/**
 * The activations recorded under one W3C trace id (32 hex digits, checked by the caller), oldest first:
 * those whose traceparent is `00-<traceId>-…`. A LIKE prefix rather than a range, as PostgreSQL's text
 * collation need not sort "-" and "." bytewise.
 */
export async function activationsInTrace(
  { db }: RepositoryContext,
  decode: Decode,
  account: string,
  traceId: string,
  limit: number,
): Promise<Activation[]> {
  const rows = await db
    .selectFrom("activations")
    .selectAll()
    .where("account", "=", account)
    .where("traceparent", "like", `00-${traceId}-%`)
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map(decode);
}

export async function activationsById(
  { db }: RepositoryContext,
  decode: Decode,
  account: string,
  ids: string[],
): Promise<Activation[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("activations")
    .selectAll()
    .where("account", "=", account)
    .where("id", "in", ids)
    .execute();
  return rows.map(decode);
}

/** The activations a set of activations started (ctx.invoke, sequence steps), by parent id. */
export async function activationChildren(
  { db }: RepositoryContext,
  decode: Decode,
  account: string,
  parentIds: string[],
  limit: number,
): Promise<Activation[]> {
  if (parentIds.length === 0) return [];
  const rows = await db
    .selectFrom("activations")
    .selectAll()
    .where("account", "=", account)
    .where("parent_id", "in", parentIds)
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map(decode);
}
