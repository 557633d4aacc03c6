import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Platform } from "../../platform.js";
import type { AuditEntry } from "../../model/account.js";
import { guard } from "../guard.js";
import { parseTime } from "../query-time.js";
import { accountParams, errorResponses, pageProperties, sinceProperty } from "../schemas.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** false: successful requests to this route are not changes worth auditing. */
    audit?: boolean;
  }
}

const VERBS: Record<string, string> = { POST: "create", PUT: "put", PATCH: "update", DELETE: "delete" };
/** Body fields worth keeping in an entry, per action; nothing else of a body is recorded (no secret values). */
const KEPT: Record<string, string[]> = {
  "key.create": ["name", "role"],
  "account.create": ["name"],
  "account.update": ["quotas"],
  "allowlist.put": ["domains"],
  "function.deploy": ["version", "percent", "autoRollback"],
  "idle-policy.put": ["undeployAfterDays", "webhookUrl"],
};

/** Routes that run functions rather than change anything: invocations, events, web functions, tokens. */
const INVOCATIONS = /^\/fn\/|\/invoke$|\/events\/|^\/v1\/oauth\/token$/;

/** `function.deploy` from `POST /v1/accounts/:acct/functions/:name/deploy`, `key.delete` from `DELETE …/keys/:id`. */
export function actionOf(method: string, url: string): { action: string; params: string[] } {
  const parts = url
    .replace(/^\/v1\/(accounts\/:acct\/?)?/, "")
    .split("/")
    .filter(Boolean);
  const words = parts.filter((p) => !p.startsWith(":") && p !== "*");
  const params = parts.filter((p) => p.startsWith(":") || p === "*").map((p) => p.replace(/^:/, ""));
  const resource = (words[0] ?? "account").replace(/ies$/, "y").replace(/s$/, "");
  const verb = words.length > 1 ? words[words.length - 1]! : (VERBS[method] ?? method.toLowerCase());
  return { action: `${resource}.${verb}`, params };
}

/**
 * Records every successful change made through the API (any POST, PUT, PATCH or DELETE that answered
 * 2xx, except invocations and routes marked `config: { audit: false }`), in the one place every route
 * passes, so routes added later are audited without doing anything. Written before the response goes out.
 */
export function auditHook(app: FastifyInstance, platform: Platform): void {
  app.addHook("onSend", async (request, reply, payload) => {
    if (!(request.method in VERBS) || reply.statusCode >= 300 || reply.statusCode < 200) return payload;
    const config = request.routeOptions.config;
    const url = request.routeOptions.url;
    if (config.audit === false || !url || INVOCATIONS.test(url)) return payload;
    const { action, params } = actionOf(request.method, url);
    const values = (request.params ?? {}) as Record<string, string>;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const account = values.acct ?? (typeof body.name === "string" ? body.name : undefined);
    if (!account) return payload;
    let target =
      params
        .filter((p) => p !== "acct")
        .map((p) => values[p])
        .join("/") || account;
    // A created resource with an id of its own (an API key) is named by it.
    if (reply.statusCode === 201 && target === account && typeof payload === "string") {
      const id = (JSON.parse(payload) as { id?: unknown } | null)?.id;
      if (typeof id === "string") target = id;
    }
    const detail: Record<string, unknown> = {};
    for (const field of KEPT[action] ?? []) if (body[field] !== undefined) detail[field] = body[field];
    const query = request.query as Record<string, unknown> | undefined;
    if (query?.deploy === true) detail.deployed = true;
    await platform.audit.record({ account, actor: principalOf(request), action, target, detail });
    return payload;
  });
}

function principalOf(request: FastifyRequest) {
  return request.principal;
}

function entryView(e: AuditEntry) {
  return {
    id: e.id,
    at: new Date(e.at).toISOString(),
    actor: e.actor,
    action: e.action,
    target: e.target,
    detail: e.detail,
  };
}

export function auditRoutes(app: FastifyInstance, platform: Platform): void {
  app.get<{ Params: { acct: string }; Querystring: { since?: string; before?: string; limit: number } }>(
    "/v1/accounts/:acct/audit",
    {
      preHandler: guard(platform, "admin"),
      schema: {
        summary: "The account's audit log: who changed what, newest first (admin)",
        params: accountParams,
        querystring: {
          type: "object",
          properties: {
            since: sinceProperty,
            ...pageProperties,
          },
          additionalProperties: false,
        },
        response: errorResponses(),
      },
    },
    async (request) => {
      const { since: rawSince, before, limit } = request.query;
      const since = parseTime("since", rawSince);
      const entries = await platform.audit.list({
        account: request.params.acct,
        limit: limit + 1,
        ...(since !== undefined ? { since } : {}),
        ...(before ? { before } : {}),
      });
      const page = entries.slice(0, limit);
      return {
        entries: page.map(entryView),
        ...(entries.length > limit ? { next: page[page.length - 1]!.id } : {}),
      };
    },
  );
}
