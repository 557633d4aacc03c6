import type { FastifyInstance } from "fastify";
import { RunletError } from "../../errors.js";
import type { KvEntry } from "../../model/account.js";
import type { Platform } from "../../platform.js";
import { MAX_LIST_LIMIT, MAX_TTL_SECONDS } from "../../kv/kv-store.js";
import { jsonText } from "../../model/json-text.js";
import { guard } from "../guard.js";
import { accountParams, errorResponses } from "../schemas.js";

type NsParams = { acct: string; namespace: string };
type KeyParams = NsParams & { "*": string };

const nsParams = {
  ...accountParams,
  properties: { ...accountParams.properties, namespace: { type: "string", maxLength: 200 } },
  required: ["acct", "namespace"],
} as const;
const keyParams = {
  ...nsParams,
  properties: { ...nsParams.properties, "*": { type: "string", maxLength: 4000 } },
  required: ["acct", "namespace", "*"],
} as const;

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
const entryView = (e: KvEntry) => ({
  namespace: e.namespace,
  key: e.key,
  expiresAt: iso(e.expiresAt),
  updatedAt: iso(e.updatedAt),
});

/**
 * The context store over HTTP: the same entries functions reach through `ctx.kv`. The key is the rest of
 * the path (URL-encoded), so keys may contain `/`. Developers read, admins write.
 */
export function kvRoutes(app: FastifyInstance, platform: Platform): void {
  app.get<{ Params: NsParams; Querystring: { prefix?: string; limit?: number; cursor?: string } }>(
    "/v1/accounts/:acct/kv/:namespace",
    {
      preHandler: guard(platform, "developer"),
      schema: {
        summary: "List a namespace's live keys in byte order (`prefix`, `limit`, `cursor` from `next`)",
        params: nsParams,
        querystring: {
          type: "object",
          properties: {
            prefix: { type: "string", maxLength: 2000 },
            limit: { type: "integer", minimum: 1, maximum: MAX_LIST_LIMIT },
            cursor: { type: "string", maxLength: 4000 },
          },
          additionalProperties: false,
        },
        response: errorResponses(),
      },
    },
    async (request) => {
      const { acct, namespace } = request.params;
      const page = await platform.kv.list(acct, namespace, request.query);
      return { keys: page.entries.map(entryView), ...(page.next ? { next: page.next } : {}) };
    },
  );

  app.get<{ Params: KeyParams }>(
    "/v1/accounts/:acct/kv/:namespace/*",
    {
      preHandler: guard(platform, "developer"),
      schema: {
        summary: "Read a value (the body is the stored JSON)",
        params: keyParams,
        response: errorResponses(),
      },
    },
    async (request, reply) => {
      const { acct, namespace, "*": key } = request.params;
      const entry = await platform.kv.get(acct, namespace, key);
      if (!entry)
        throw new RunletError(
          "RUNLET_ERR_KV_KEY_NOT_FOUND",
          `no key ${JSON.stringify(key)} in kv namespace ${namespace}`,
        );
      if (entry.expiresAt !== null) reply.header("x-runlet-expires-at", iso(entry.expiresAt));
      return reply.type("application/json; charset=utf-8").send(entry.value);
    },
  );

  app.put<{ Params: KeyParams; Querystring: { ttlSeconds?: number } }>(
    "/v1/accounts/:acct/kv/:namespace/*",
    {
      preHandler: guard(platform, "admin"),
      bodyLimit: 256 * 1024,
      schema: {
        summary: "Create or replace a value: the JSON body, up to 64 KiB; `?ttlSeconds=N` expires it",
        params: keyParams,
        querystring: {
          type: "object",
          properties: { ttlSeconds: { type: "integer", minimum: 1, maximum: MAX_TTL_SECONDS } },
          additionalProperties: false,
        },
        response: errorResponses(413),
      },
    },
    async (request, reply) => {
      const { acct, namespace, "*": key } = request.params;
      if (request.body === undefined) {
        throw new RunletError(
          "RUNLET_ERR_INVALID_JSON",
          "send the value as a JSON body with Content-Type: application/json",
        );
      }
      const existed = await platform.kv.get(acct, namespace, key);
      const entry = await platform.kv.set(
        acct,
        namespace,
        key,
        jsonText(request.body, "the kv value"),
        request.query.ttlSeconds,
      );
      return reply.code(existed ? 200 : 201).send(entryView(entry));
    },
  );

  app.delete<{ Params: KeyParams }>(
    "/v1/accounts/:acct/kv/:namespace/*",
    {
      preHandler: guard(platform, "admin"),
      schema: { summary: "Delete a key", params: keyParams, response: errorResponses() },
    },
    async (request, reply) => {
      const { acct, namespace, "*": key } = request.params;
      if (!(await platform.kv.delete(acct, namespace, key))) {
        throw new RunletError(
          "RUNLET_ERR_KV_KEY_NOT_FOUND",
          `no key ${JSON.stringify(key)} in kv namespace ${namespace}`,
        );
      }
      return reply.code(204).send();
    },
  );
}
