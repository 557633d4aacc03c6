import type { FastifyInstance, FastifyRequest } from "fastify";
import { RunletError } from "../../errors.js";
import { assertName } from "../../functions/names.js";
import type { Platform } from "../../platform.js";
import { newApiKey } from "../../security/api-keys.js";
import { ROLES, type ApiKey, type Role } from "../../store/records.js";
import { StoreConflictError } from "../../store/store.js";
import { guard } from "../guard.js";
import { accountParams, errorResponses } from "../schemas.js";

function keyView(k: ApiKey) {
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return {
    id: k.id,
    name: k.name,
    role: k.role,
    createdAt: iso(k.createdAt),
    lastUsedAt: iso(k.lastUsedAt),
    revokedAt: iso(k.revokedAt),
  };
}

/** Accounts (operator key) and their API keys (admin role); a key is shown once, at creation. */
export function accountRoutes(app: FastifyInstance, platform: Platform): void {
  const { store } = platform;
  const operator = async (request: FastifyRequest) => {
    platform.auth.requireOperator(await platform.auth.authenticate(request.headers.authorization));
  };
  const admin = guard(platform, "admin");

  app.post<{ Body: { name: string } }>(
    "/v1/accounts",
    {
      preHandler: operator,
      schema: {
        summary: "Create an account (operator); answers with its first admin key",
        body: {
          type: "object",
          properties: { name: { type: "string", maxLength: 100 } },
          required: ["name"],
          additionalProperties: false,
        },
        response: errorResponses(409),
      },
    },
    async (request, reply) => {
      const { name } = request.body;
      assertName("account", name);
      const createdAt = Date.now();
      try {
        await store.accounts.create({ name, createdAt });
      } catch (err) {
        if (err instanceof StoreConflictError)
          throw new RunletError("RUNLET_ERR_CONFLICT", `account ${name} already exists`);
        throw err;
      }
      platform.catalog.forgetAccount(name);
      const { key, record } = newApiKey(name, "admin", "admin");
      await store.keys.create(record);
      return reply
        .code(201)
        .send({ name, createdAt: new Date(createdAt).toISOString(), adminKey: { id: record.id, key } });
    },
  );

  app.get(
    "/v1/accounts",
    { preHandler: operator, schema: { summary: "List accounts (operator)", response: errorResponses() } },
    async () => ({
      accounts: (await store.accounts.list()).map((a) => ({
        name: a.name,
        createdAt: new Date(a.createdAt).toISOString(),
      })),
    }),
  );

  app.post<{ Params: { acct: string }; Body: { name: string; role: Role } }>(
    "/v1/accounts/:acct/keys",
    {
      preHandler: admin,
      schema: {
        summary: "Create an API key; the key is in this response only",
        params: accountParams,
        body: {
          type: "object",
          properties: {
            name: { type: "string", minLength: 1, maxLength: 100 },
            role: { type: "string", enum: [...ROLES] },
          },
          required: ["name", "role"],
          additionalProperties: false,
        },
        response: errorResponses(),
      },
    },
    async (request, reply) => {
      const { key, record } = newApiKey(request.params.acct, request.body.name, request.body.role);
      await store.keys.create(record);
      return reply.code(201).send({ ...keyView(record), key });
    },
  );

  app.get<{ Params: { acct: string } }>(
    "/v1/accounts/:acct/keys",
    {
      preHandler: admin,
      schema: {
        summary: "List API keys (never the keys themselves)",
        params: accountParams,
        response: errorResponses(),
      },
    },
    async (request) => ({ keys: (await store.keys.list(request.params.acct)).map(keyView) }),
  );

  app.delete<{ Params: { acct: string; id: string } }>(
    "/v1/accounts/:acct/keys/:id",
    {
      preHandler: admin,
      schema: {
        summary: "Revoke an API key",
        params: {
          ...accountParams,
          properties: { ...accountParams.properties, id: { type: "string", maxLength: 64 } },
        },
        response: errorResponses(),
      },
    },
    async (request, reply) => {
      if (!(await store.keys.revoke(request.params.acct, request.params.id, Date.now()))) {
        throw new RunletError("RUNLET_ERR_KEY_NOT_FOUND", `no live key ${request.params.id} in this account`);
      }
      platform.auth.forget();
      return reply.code(204).send();
    },
  );
}
