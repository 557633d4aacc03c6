import type { FastifyInstance, FastifyRequest } from "fastify";
import { RunletError } from "../errors.js";
import type { Catalog } from "../functions/catalog.js";
import type { Quotas } from "../metering/quotas.js";
import type { Role } from "../model/account.js";
import type { Authenticator, Principal } from "../security/authenticator.js";

declare module "fastify" {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyInstance {
    /** Every route's access level, by `METHOD /path`, as declared with guard() (see trackAccess). */
    routeAccess: Map<string, Access>;
  }
}

/** Who may call a route: a key of the account with at least this role, the operator, or anyone. */
export type Access = Role | "operator" | "public";

type Guard = ((request: FastifyRequest) => Promise<void>) & { access: Access };

/** What an access check needs: who the bearer is, and whether the account exists. */
export interface AccessDeps {
  auth: Pick<Authenticator, "authenticate" | "authorize" | "requireOperator">;
  catalog: Pick<Catalog, "accountExists">;
}

/**
 * The one access check, for Fastify routes (through guard) and the paths outside them (the fast invoke
 * path, web functions): authenticates the bearer token (API key or access token; rate limited per key),
 * then checks that `account` exists and that the key belongs to it with at least `role`.
 */
export async function checkAccess(
  deps: AccessDeps,
  authorization: string | undefined,
  account: string | undefined,
  role: Role | "operator",
): Promise<Principal> {
  const principal = await deps.auth.authenticate(authorization);
  if (role === "operator") {
    deps.auth.requireOperator(principal);
    return principal;
  }
  if (account !== undefined) {
    if (!(await deps.catalog.accountExists(account))) {
      throw new RunletError("RUNLET_ERR_ACCOUNT_NOT_FOUND", `account ${account} does not exist`);
    }
    deps.auth.authorize(principal, account, role);
  }
  return principal;
}

/**
 * A route's access: checkAccess with the account in the URL, before the body is read (see trackAccess).
 * For invocation routes (`invoker`), also the account's payload quota against Content-Length.
 */
/** What every guarded route needs: the access check, and the payload quota for invocation routes. */
export interface GuardDeps extends AccessDeps {
  quotas: Pick<Quotas, "checkPayload">;
}

export function guard(deps: GuardDeps, role: Role | "operator"): Guard {
  const check = async (request: FastifyRequest): Promise<void> => {
    const account = (request.params as { acct?: string }).acct;
    request.principal = await checkAccess(deps, request.headers.authorization, account, role);
    if (role === "invoker" && account !== undefined) {
      const length = Number(request.headers["content-length"] ?? 0);
      if (length > 0) deps.quotas.checkPayload(account, length);
    }
  };
  return Object.assign(check, { access: role });
}

/**
 * Records the access level each route declares (its guard, given as preHandler), so tests can walk every
 * route with every role, and moves the guard to onRequest: credentials are checked before the body is read
 * or validated, so a caller without access learns nothing from validation errors. Call before adding routes.
 */
export function trackAccess(app: FastifyInstance): void {
  app.decorate("routeAccess", new Map<string, Access>());
  app.addHook("onRoute", (route) => {
    const handlers = [route.preHandler ?? []].flat() as Partial<Guard>[];
    const guards = handlers.filter((h) => h.access !== undefined) as Guard[];
    if (guards.length > 0) {
      route.preHandler = handlers.filter((h) => h.access === undefined) as typeof route.preHandler;
      route.onRequest = [...[route.onRequest ?? []].flat(), ...guards] as typeof route.onRequest;
    }
    for (const method of [route.method].flat()) {
      if (method === "HEAD") continue;
      app.routeAccess.set(`${method} ${route.url}`, guards[0]?.access ?? "public");
    }
  });
}
