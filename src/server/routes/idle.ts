import type { FastifyInstance } from "fastify";
import { RunletError } from "../../errors.js";
import type { IdlePolicy } from "../../model/idle.js";
import type { Platform } from "../../platform.js";
import { callbackUrlProblem } from "../../queue/callbacks.js";
import { guard } from "../guard.js";
import { accountParams, errorResponses } from "../schemas.js";

type Body = { undeployAfterDays?: unknown; webhookUrl?: unknown };

/** `…/idle-policy`: undeploy the account's functions idle for N days, each after a signed webhook (admin). */
export function idlePolicyRoutes(app: FastifyInstance, platform: Platform): void {
  const admin = guard(platform, "admin");
  const view = (policy: IdlePolicy) => ({
    undeployAfterDays: policy.undeployAfterDays,
    webhookUrl: policy.webhookUrl ?? null,
    updatedAt: new Date(policy.updatedAt).toISOString(),
    // What the receiver checks X-Runlet-Signature with: HMAC-SHA256 of "<X-Runlet-Timestamp>.<body>".
    webhookSecret: platform.idle.signingKey(policy.account).toString("hex"),
  });

  app.get<{ Params: { acct: string } }>(
    "/v1/accounts/:acct/idle-policy",
    {
      preHandler: admin,
      schema: {
        summary: "The account's idle-function policy (admin)",
        params: accountParams,
        response: errorResponses(),
      },
    },
    async (request) => {
      const policy = await platform.store.idlePolicies.get(request.params.acct);
      if (!policy) {
        throw new RunletError(
          "RUNLET_ERR_IDLE_POLICY_NOT_FOUND",
          `account ${request.params.acct} has no idle-function policy; set one with PUT …/idle-policy {undeployAfterDays}`,
        );
      }
      return view(policy);
    },
  );

  app.put<{ Params: { acct: string }; Body: Body }>(
    "/v1/accounts/:acct/idle-policy",
    {
      preHandler: admin,
      schema: {
        summary:
          "Undeploy functions not invoked in undeployAfterDays days, each after a signed POST to webhookUrl (admin)",
        params: accountParams,
        body: {
          type: "object",
          // Ranges checked below, so the error says what to send (RUNLET_ERR_INVALID_IDLE_POLICY).
          properties: { undeployAfterDays: {}, webhookUrl: {} },
          additionalProperties: false,
        },
        response: errorResponses(),
      },
    },
    async (request) => {
      const { undeployAfterDays, webhookUrl } = request.body ?? {};
      const bad = (why: string) =>
        new RunletError(
          "RUNLET_ERR_INVALID_IDLE_POLICY",
          `${why}; send e.g. {"undeployAfterDays": 30, "webhookUrl": "https://example.com/hooks/runlet"}`,
        );
      if (
        !Number.isInteger(undeployAfterDays) ||
        (undeployAfterDays as number) < 1 ||
        (undeployAfterDays as number) > 3650
      )
        throw bad(
          `undeployAfterDays must be a whole number of days from 1 to 3650, got ${JSON.stringify(undeployAfterDays) ?? "none"}`,
        );
      if (webhookUrl !== undefined && webhookUrl !== null) {
        if (typeof webhookUrl !== "string") throw bad("webhookUrl must be a string");
        const problem = callbackUrlProblem(webhookUrl);
        if (problem) throw bad(problem.replace("X-Callback-Url", "webhookUrl"));
      }
      const policy: IdlePolicy = {
        account: request.params.acct,
        undeployAfterDays: undeployAfterDays as number,
        ...(typeof webhookUrl === "string" ? { webhookUrl } : {}),
        updatedAt: Date.now(),
      };
      await platform.store.idlePolicies.put(policy);
      return view(policy);
    },
  );

  app.delete<{ Params: { acct: string } }>(
    "/v1/accounts/:acct/idle-policy",
    {
      preHandler: admin,
      schema: {
        summary: "Remove the idle-function policy (admin)",
        params: accountParams,
        response: errorResponses(),
      },
    },
    async (request, reply) => {
      if (!(await platform.store.idlePolicies.delete(request.params.acct))) {
        throw new RunletError(
          "RUNLET_ERR_IDLE_POLICY_NOT_FOUND",
          `account ${request.params.acct} has no idle-function policy`,
        );
      }
      return reply.code(204).send();
    },
  );
}
