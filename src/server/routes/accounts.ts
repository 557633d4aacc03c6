import type { FastifyInstance } from "fastify";
import { QUOTA_NAMES, periodOf } from "../../metering/quotas.js";
import { RunletError } from "../../errors.js";
import { assertName } from "../../functions/names.js";
import type { Platform } from "../../platform.js";
import { newApiKey } from "../../security/api-keys.js";
import type { Principal } from "../../security/authenticator.js";
import { ROLES, type ApiKey, type QuotaOverrides, type Role } from "../../model/account.js";
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
  const operator = guard(platform, "operator");
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
      platform.auth.forget(request.params.acct);
      return reply.code(204).send();
    },
  );

  app.patch<{ Params: { acct: string }; Body: { quotas: Record<string, number | null> } }>(
    "/v1/accounts/:acct",
    {
      preHandler: operator,
      schema: {
        summary: "Set an account's quotas (operator); a null quota goes back to the default, 0 is no limit",
        params: accountParams,
        body: {
          type: "object",
          properties: {
            quotas: {
              type: "object",
              properties: Object.fromEntries(
                QUOTA_NAMES.map((q) => [
                  q,
                  { type: ["integer", "null"], minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
                ]),
              ),
              additionalProperties: false,
            },
          },
          required: ["quotas"],
          additionalProperties: false,
        },
        response: errorResponses(),
      },
    },
    async (request) => {
      const { acct } = request.params;
      if (!(await store.accounts.get(acct))) {
        throw new RunletError("RUNLET_ERR_ACCOUNT_NOT_FOUND", `account ${acct} does not exist`);
      }
      const overrides: QuotaOverrides = { ...(await store.quotas.getOverrides(acct)) };
      for (const [name, value] of Object.entries(request.body.quotas)) {
        if (value === null) delete overrides[name as keyof QuotaOverrides];
        else overrides[name as keyof QuotaOverrides] = value;
      }
      const quotas = await platform.quotas.setOverrides(acct, overrides);
      return { name: acct, quotas, overrides };
    },
  );

  app.get<{ Params: { acct: string } }>(
    "/v1/accounts/:acct/quotas",
    {
      preHandler: admin,
      schema: {
        summary: "The account's quotas and what it used of them this month",
        params: accountParams,
        response: errorResponses(),
      },
    },
    async (request) => {
      const { acct } = request.params;
      const quotas = await platform.quotas.limits(acct);
      const usage = await platform.quotas.usage(acct);
      const functions = (await store.functions.list(acct)).length;
      return { period: periodOf(Date.now()), quotas, usage: { functions, ...usage } };
    },
  );

  // The console signs in with a key alone: this tells it the key's account and role.
  app.get(
    "/v1/whoami",
    {
      preHandler: guard(platform, "invoker"),
      schema: {
        summary: "The key (or access token) making the request, without knowing its account first",
        response: errorResponses(),
      },
    },
    async (request) => {
      const principal = request.principal;
      if (principal?.kind !== "key") {
        throw new RunletError(
          "RUNLET_ERR_FORBIDDEN",
          "the operator key belongs to no account; use an account's key",
        );
      }
      return {
        account: principal.account,
        keyId: principal.keyId,
        role: principal.role,
        via: principal.via ?? "key",
      };
    },
  );

  app.get<{ Params: { acct: string } }>(
    "/v1/accounts/:acct/whoami",
    {
      preHandler: guard(platform, "invoker"),
      schema: {
        summary: "The key (or access token) making the request: its account, id and role",
        params: accountParams,
        response: errorResponses(),
      },
    },
    async (request) => {
      const principal = request.principal as Extract<Principal, { kind: "key" }>;
      return {
        account: principal.account,
        keyId: principal.keyId,
        role: principal.role,
        via: principal.via ?? "key",
      };
    },
  );
}
