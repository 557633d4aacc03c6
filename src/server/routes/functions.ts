import type { FastifyInstance } from "fastify";
import { RunletError } from "../../errors.js";
import { stateOf } from "../../functions/state.js";
import type { PutBody } from "../../functions/service.js";
import type { RolloutInput } from "../../functions/rollout.js";
import type { Platform } from "../../platform.js";
import type { FunctionRecord, VersionRecord } from "../../model/function.js";
import { actorOf } from "../../security/authenticator.js";
import { canaryView } from "./rollouts.js";
import { describeTriggers } from "../../triggers/describe.js";
import { guard } from "../guard.js";
import { errorResponses, functionConfigProperties, functionParams, accountParams } from "../schemas.js";
import { versionContext, versionView } from "./version-view.js";

type Params = { acct: string; name: string };

const putBody = {
  type: "object",
  properties: {
    source: { type: "string" },
    files: { type: "object", additionalProperties: { type: "string" }, maxProperties: 1000 },
    entry: { type: "string", maxLength: 500 },
    ...functionConfigProperties,
  },
  additionalProperties: false,
} as const;

function summary(fn: FunctionRecord, version: VersionRecord | undefined) {
  return {
    name: fn.name,
    uuid: fn.uuid,
    state: stateOf(fn),
    deployedVersion: fn.deployedVersion,
    canary: canaryView(fn),
    latestVersion: fn.latestVersion,
    style: version?.style ?? null,
    createdAt: new Date(fn.createdAt).toISOString(),
    updatedAt: new Date(fn.updatedAt).toISOString(),
  };
}

export function functionRoutes(app: FastifyInstance, platform: Platform): void {
  const { functions, store } = platform;
  const developer = guard(platform, "developer");
  const current = (fn: FunctionRecord) =>
    platform.catalog.version(fn.account, fn.name, fn.deployedVersion ?? fn.latestVersion);

  app.put<{ Params: Params; Body: PutBody; Querystring: { deploy?: boolean } }>(
    "/v1/accounts/:acct/functions/:name",
    {
      preHandler: developer,
      schema: {
        summary: "Create or update a function: a new immutable version; ?deploy=true deploys it",
        params: functionParams,
        querystring: { type: "object", properties: { deploy: { type: "boolean" } } },
        body: putBody,
        response: errorResponses(409, 413),
      },
    },
    async (request, reply) => {
      const { acct, name } = request.params;
      await platform.quotas.checkNewFunction(acct, name);
      const result = await functions.put(
        acct,
        name,
        request.body ?? {},
        request.query.deploy === true,
        actorOf(request.principal),
      );
      return reply.code(result.created ? 201 : 200).send(result);
    },
  );

  app.get<{ Params: { acct: string }; Querystring: { idleDays?: number } }>(
    "/v1/accounts/:acct/functions",
    {
      preHandler: developer,
      schema: {
        summary:
          "List functions; ?idleDays=N lists those not invoked in N days, with what they hold and cost",
        params: accountParams,
        querystring: {
          type: "object",
          properties: { idleDays: { type: "integer", minimum: 0, maximum: 3650 } },
        },
        response: errorResponses(),
      },
    },
    async (request) => {
      const { acct } = request.params;
      if (request.query.idleDays !== undefined) {
        const idle = await platform.idle.list(acct, request.query.idleDays);
        return { idleDays: request.query.idleDays, functions: idle };
      }
      const list = await store.functions.list(acct);
      return { functions: await Promise.all(list.map(async (fn) => summary(fn, await current(fn)))) };
    },
  );

  app.get<{ Params: Params }>(
    "/v1/accounts/:acct/functions/:name",
    {
      preHandler: developer,
      schema: { summary: "Read a function", params: functionParams, response: errorResponses() },
    },
    async (request) => {
      const fn = await functions.require(request.params.acct, request.params.name);
      const version = await current(fn);
      const versions = await store.versions.list(fn.account, fn.name);
      const ctx = await versionContext(store, fn, versions);
      const since = Date.now() - 3_600_000;
      const filter = { account: fn.account, function: fn.name, since };
      const [lastHour, byVersion] = await Promise.all([
        store.activations.stats(filter),
        store.activations.versionStats(filter),
      ]);
      return {
        ...summary(fn, version),
        config: version?.config ?? null,
        versions: versions.map((v) => versionView(v, ctx)),
        stats: { lastHour: { since: new Date(since).toISOString(), ...lastHour, byVersion } },
        ...(await describeTriggers(fn, version, store.triggers)),
      };
    },
  );

  app.get<{ Params: Params }>(
    "/v1/accounts/:acct/functions/:name/versions",
    {
      preHandler: developer,
      schema: {
        summary: "List kept versions, newest first: who made each and when, and its last deployment",
        params: functionParams,
        response: errorResponses(),
      },
    },
    async (request) => {
      const fn = await functions.require(request.params.acct, request.params.name);
      const versions = await store.versions.list(fn.account, fn.name);
      const ctx = await versionContext(store, fn, versions);
      return { versions: versions.map((v) => versionView(v, ctx)) };
    },
  );

  app.get<{ Params: Params & { version: number } }>(
    "/v1/accounts/:acct/functions/:name/versions/:version",
    {
      preHandler: developer,
      schema: {
        summary: "Read one version, with its source",
        params: {
          ...functionParams,
          properties: { ...functionParams.properties, version: { type: "integer", minimum: 1 } },
        },
        response: errorResponses(),
      },
    },
    async (request) => {
      const { acct, name, version } = request.params;
      const fn = await functions.require(acct, name);
      const record = await store.versions.get(acct, name, version);
      if (!record) throw new RunletError("RUNLET_ERR_VERSION_NOT_FOUND", `${name} has no version ${version}`);
      const ctx = await versionContext(store, fn, [record]);
      return { ...versionView(record, ctx), config: record.config, source: record.source };
    },
  );

  app.post<{ Params: Params; Body: RolloutInput | undefined }>(
    "/v1/accounts/:acct/functions/:name/deploy",
    {
      preHandler: developer,
      schema: {
        summary:
          "Deploy the latest version, or an older one (rollback); with percent below 100, run it as a canary beside the deployed version",
        params: functionParams,
        body: {
          type: ["object", "null"],
          properties: {
            version: { type: "integer", minimum: 1 },
            // Range checked by the service, so the error says what to send (RUNLET_ERR_INVALID_ROLLOUT).
            percent: { type: "number" },
            autoRollback: {
              type: "object",
              properties: {
                maxErrorRate: { type: "number" },
                minInvocations: { type: "integer" },
                window: { anyOf: [{ type: "string", maxLength: 20 }, { type: "integer" }] },
              },
              required: ["maxErrorRate"],
              additionalProperties: false,
            },
          },
          additionalProperties: false,
        },
        response: errorResponses(409),
      },
    },
    async (request) => {
      const fn = await platform.rollouts.deploy(
        request.params.acct,
        request.params.name,
        request.body ?? {},
        actorOf(request.principal),
      );
      return summary(fn, await current(fn));
    },
  );

  app.post<{ Params: Params }>(
    "/v1/accounts/:acct/functions/:name/undeploy",
    {
      preHandler: developer,
      schema: { summary: "Undeploy", params: functionParams, response: errorResponses() },
    },
    async (request) => {
      const fn = await functions.undeploy(
        request.params.acct,
        request.params.name,
        actorOf(request.principal),
      );
      return summary(fn, await current(fn));
    },
  );

  app.delete<{ Params: Params }>(
    "/v1/accounts/:acct/functions/:name",
    {
      preHandler: developer,
      schema: {
        summary: "Delete a function and its versions",
        params: functionParams,
        response: errorResponses(),
      },
    },
    async (request, reply) => {
      await functions.delete(request.params.acct, request.params.name);
      return reply.code(204).send();
    },
  );
}
