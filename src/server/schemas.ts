import { NAME_PATTERN } from "../functions/names.js";

export const errorSchema = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: { code: { type: "string" }, message: { type: "string" }, activationId: { type: "string" } },
      required: ["code", "message"],
    },
  },
} as const;

export const accountParams = {
  type: "object",
  properties: { acct: { type: "string", pattern: NAME_PATTERN } },
  required: ["acct"],
} as const;

export const functionParams = {
  type: "object",
  properties: {
    acct: { type: "string", pattern: NAME_PATTERN },
    name: { type: "string", pattern: NAME_PATTERN },
  },
  required: ["acct", "name"],
} as const;

export const functionConfigProperties = {
  timeoutMs: { type: "integer", minimum: 1 },
  memoryMb: { type: "integer", minimum: 16 },
  concurrency: { type: "integer", minimum: 1, maximum: 1000 },
  minInstances: { type: "integer", minimum: 0 },
  maxInstances: { type: "integer", minimum: 1, maximum: 1000 },
  idleTimeoutMs: { type: "integer", minimum: 100 },
  env: { type: "object", additionalProperties: { type: "string" } },
  events: {
    type: "array",
    maxItems: 100,
    items: {
      anyOf: [
        { type: "string", maxLength: 200 },
        {
          type: "object",
          properties: {
            type: { type: "string", maxLength: 200 },
            filter: { type: "object", maxProperties: 20 },
          },
          required: ["type"],
          additionalProperties: false,
        },
      ],
    },
  },
  sequence: { type: "array", items: { type: "string", maxLength: 63 }, maxItems: 50 },
  schedules: {
    type: "array",
    maxItems: 10,
    items: {
      type: "object",
      properties: { cron: { type: "string" }, payload: {}, timezone: { type: "string" } },
      required: ["cron"],
      additionalProperties: false,
    },
  },
  queues: {
    type: "array",
    maxItems: 10,
    items: {
      type: "object",
      properties: { subject: { type: "string", maxLength: 256 } },
      required: ["subject"],
      additionalProperties: false,
    },
  },
  public: { type: "boolean" },
  record: {
    type: "object",
    properties: { sample: { type: "number" }, days: { type: "integer" } },
    required: ["sample"],
    additionalProperties: false,
  },
  retry: {
    type: "object",
    properties: {
      attempts: { type: "integer", minimum: 1, maximum: 100 },
      backoff: { type: "string", enum: ["exponential"] },
      initialDelayMs: { type: "integer", minimum: 0 },
    },
    required: ["attempts"],
    additionalProperties: false,
  },
} as const;

/** Error responses every route may give, for the OpenAPI document. */
/** The query of a newest-first list: a page of `limit` entries older than the cursor `before`. */
export const pageProperties = {
  before: { type: "string", maxLength: 64 },
  limit: { type: "integer", minimum: 1, maximum: 1000, default: 50 },
} as const;

/** `since`: an ISO time or epoch ms (parsed by ./query-time.ts). */
export const sinceProperty = { type: "string", maxLength: 40 } as const;

export function errorResponses(...statuses: number[]): Record<number, typeof errorSchema> {
  return Object.fromEntries([400, 401, 403, 404, ...statuses].map((s) => [s, errorSchema]));
}
