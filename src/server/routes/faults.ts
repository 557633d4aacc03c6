import type { FastifyInstance } from "fastify";
import type { FaultProfiles } from "../../faults/fault-profiles.js";
import { MAX_FAULT_RULES } from "../../faults/rules.js";
import type { FaultProfile } from "../../model/fault.js";
import { NAME_PATTERN } from "../../functions/names.js";
import { guard, type GuardDeps } from "../guard.js";
import { accountParams, errorResponses } from "../schemas.js";

type Params = { acct: string; profile: string };

const profileParams = {
  type: "object",
  properties: {
    acct: { type: "string", pattern: NAME_PATTERN },
    profile: { type: "string", pattern: NAME_PATTERN },
  },
  required: ["acct", "profile"],
} as const;

// The shape only; which targets and kinds go together is checked in faults/rules.ts, whose message lists them.
const ruleSchema = {
  type: "object",
  properties: {
    target: { type: "string", maxLength: 300 },
    kind: { type: "string", maxLength: 20 },
    status: { type: "integer" },
    delayMs: { type: "integer" },
    rate: { type: "number" },
  },
  required: ["target", "kind"],
  additionalProperties: false,
} as const;

function view(p: FaultProfile) {
  return { name: p.name, rules: p.rules, updatedAt: new Date(p.updatedAt).toISOString() };
}

/**
 * Fault profiles: named rules that make a function's fetch, ctx.invoke or ctx.kv fail, answer a status or
 * slow down, for invocations that name the profile in X-Runlet-Faults (developer and admin keys only).
 */
export function faultRoutes(app: FastifyInstance, deps: GuardDeps & { faults: FaultProfiles }): void {
  app.get<{ Params: { acct: string } }>(
    "/v1/accounts/:acct/faults",
    {
      preHandler: guard(deps, "developer"),
      schema: { summary: "The account's fault profiles", params: accountParams, response: errorResponses() },
    },
    async (request) => ({ profiles: (await deps.faults.list(request.params.acct)).map(view) }),
  );

  app.get<{ Params: Params }>(
    "/v1/accounts/:acct/faults/:profile",
    {
      preHandler: guard(deps, "developer"),
      schema: {
        summary: "One fault profile and its rules",
        params: profileParams,
        response: errorResponses(),
      },
    },
    async (request) => view(await deps.faults.get(request.params.acct, request.params.profile)),
  );

  app.put<{ Params: Params; Body: { rules: unknown[] } }>(
    "/v1/accounts/:acct/faults/:profile",
    {
      preHandler: guard(deps, "developer"),
      schema: {
        summary:
          'Create or replace a fault profile: rules {target: "fetch:<host>"|"invoke:<function>"|"kv", kind, status?, delayMs?, rate?}; applied only to invocations sent with X-Runlet-Faults: <profile>',
        params: profileParams,
        body: {
          type: "object",
          properties: { rules: { type: "array", items: ruleSchema, maxItems: MAX_FAULT_RULES } },
          required: ["rules"],
          additionalProperties: false,
        },
        response: errorResponses(),
      },
    },
    async (request) => {
      const { acct, profile } = request.params;
      return view(await deps.faults.set(acct, profile, request.body.rules));
    },
  );

  app.delete<{ Params: Params }>(
    "/v1/accounts/:acct/faults/:profile",
    {
      preHandler: guard(deps, "developer"),
      schema: { summary: "Delete a fault profile", params: profileParams, response: errorResponses() },
    },
    async (request, reply) => {
      await deps.faults.delete(request.params.acct, request.params.profile);
      return reply.code(204).send();
    },
  );
}
