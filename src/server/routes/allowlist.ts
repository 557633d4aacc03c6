import type { FastifyInstance } from "fastify";
import { MAX_ALLOWLIST_ENTRIES, type Allowlists } from "../../security/outbound/allowlist.js";
import { guard, type GuardDeps } from "../guard.js";
import { accountParams, errorResponses } from "../schemas.js";

/** The hosts an account's functions may fetch: developers read it, admins replace it. */
export function allowlistRoutes(
  app: FastifyInstance,
  deps: GuardDeps & { allowlists: Pick<Allowlists, "read" | "set"> },
): void {
  app.get<{ Params: { acct: string } }>(
    "/v1/accounts/:acct/allowlist",
    {
      preHandler: guard(deps, "developer"),
      schema: {
        summary: "The outbound allowlist: host names and *.wildcards functions may fetch",
        params: accountParams,
        response: errorResponses(),
      },
    },
    async (request) => {
      const list = await deps.allowlists.read(request.params.acct);
      return {
        domains: list?.domains ?? [],
        updatedAt: list ? new Date(list.updatedAt).toISOString() : null,
      };
    },
  );

  app.put<{ Params: { acct: string }; Body: { domains: string[] } }>(
    "/v1/accounts/:acct/allowlist",
    {
      preHandler: guard(deps, "admin"),
      schema: {
        summary: "Replace the outbound allowlist (`*.example.com` matches every subdomain, not the apex)",
        params: accountParams,
        body: {
          type: "object",
          properties: {
            domains: {
              type: "array",
              items: { type: "string", maxLength: 300 },
              maxItems: MAX_ALLOWLIST_ENTRIES,
            },
          },
          required: ["domains"],
          additionalProperties: false,
        },
        response: errorResponses(),
      },
    },
    async (request) => {
      const domains = await deps.allowlists.set(request.params.acct, request.body.domains);
      return { domains, updatedAt: new Date().toISOString() };
    },
  );
}
