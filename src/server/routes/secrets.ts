import type { FastifyInstance } from "fastify";
import { RunletError } from "../../errors.js";
import type { Platform } from "../../platform.js";
import type { SecretInfo } from "../../security/secrets.js";
import { guard } from "../guard.js";
import { accountParams, errorResponses } from "../schemas.js";

type Params = { acct: string; key: string };

const secretParams = {
  ...accountParams,
  properties: { ...accountParams.properties, key: { type: "string", maxLength: 1000 } },
  required: ["acct", "key"],
} as const;

function secretView(s: SecretInfo) {
  return {
    name: s.name,
    createdAt: new Date(s.createdAt).toISOString(),
    updatedAt: new Date(s.updatedAt).toISOString(),
  };
}

/** Secrets: admins set and delete them, developers may read their names; values never leave the host. */
export function secretRoutes(app: FastifyInstance, platform: Platform): void {
  app.put<{ Params: Params; Body: { value: string } }>(
    "/v1/accounts/:acct/secrets/:key",
    {
      preHandler: guard(platform, "admin"),
      // A value is at most 10,000 characters; room for JSON escaping, nothing like the code upload limit.
      bodyLimit: 128 * 1024,
      schema: {
        summary: "Create or replace a secret (the value is encrypted at rest and never returned)",
        params: secretParams,
        body: {
          type: "object",
          properties: { value: { type: "string" } },
          required: ["value"],
          additionalProperties: false,
        },
        response: errorResponses(413),
      },
    },
    async (request, reply) => {
      const { acct, key } = request.params;
      const { created } = await platform.secrets.set(acct, key, request.body.value);
      const [info] = (await platform.secrets.list(acct)).filter((s) => s.name === key);
      return reply.code(created ? 201 : 200).send(secretView(info!));
    },
  );

  app.get<{ Params: { acct: string } }>(
    "/v1/accounts/:acct/secrets",
    {
      preHandler: guard(platform, "developer"),
      schema: {
        summary: "List secret names and times (never values)",
        params: accountParams,
        response: errorResponses(),
      },
    },
    async (request) => ({ secrets: (await platform.secrets.list(request.params.acct)).map(secretView) }),
  );

  app.delete<{ Params: Params }>(
    "/v1/accounts/:acct/secrets/:key",
    {
      preHandler: guard(platform, "admin"),
      schema: { summary: "Delete a secret", params: secretParams, response: errorResponses() },
    },
    async (request, reply) => {
      const { acct, key } = request.params;
      if (!(await platform.secrets.delete(acct, key))) {
        throw new RunletError("RUNLET_ERR_SECRET_NOT_FOUND", `no secret ${key} in account ${acct}`);
      }
      return reply.code(204).send();
    },
  );
}
