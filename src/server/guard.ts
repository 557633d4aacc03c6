import type { FastifyRequest } from "fastify";
import type { Platform } from "../platform.js";
import type { Role } from "../store/records.js";
import type { Principal } from "../security/authenticator.js";
import { RunletError } from "../errors.js";

declare module "fastify" {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/**
 * The one place a route's access is checked: authenticates the bearer token, then checks the account
 * in the URL exists and that the key belongs to it with at least `role`.
 */
export function guard(platform: Platform, role: Role) {
  return async (request: FastifyRequest): Promise<void> => {
    const principal = await platform.auth.authenticate(request.headers.authorization);
    const account = (request.params as { acct?: string }).acct;
    if (account !== undefined) {
      if (!(await platform.catalog.accountExists(account))) {
        throw new RunletError("RUNLET_ERR_ACCOUNT_NOT_FOUND", `account ${account} does not exist`);
      }
      platform.auth.authorize(principal, account, role);
    }
    request.principal = principal;
  };
}
