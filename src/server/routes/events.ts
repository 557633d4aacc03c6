import type { FastifyInstance } from "fastify";
import { RunletError } from "../../errors.js";
import type { Platform } from "../../platform.js";
import { readEvent, STRUCTURED } from "../../triggers/cloudevents.js";
import { assertEventType } from "../../triggers/event-subscriptions.js";
import { INVALID_JSON } from "../errors.js";
import { guard } from "../guard.js";
import { accountParams, errorResponses } from "../schemas.js";
import { jsonText } from "../../model/json-text.js";

type Params = { acct: string; type: string };

/** CloudEvents batched mode (HTTP binding §3.3): refused with a clear error rather than a 400 about JSON. */
const BATCH = "application/cloudevents-batch+json";

function parseJson(body: string): unknown {
  if (body === "") return null;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new RunletError("RUNLET_ERR_INVALID_JSON", INVALID_JSON);
  }
}

/**
 * `POST /v1/accounts/{acct}/events/{type}`: publishes an event to every deployed subscriber. Runs in its
 * own scope so it can take CloudEvents' structured-mode content type and binary-mode text data.
 */
export async function eventRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const invoker = guard(platform, "invoker");
  const limit = platform.config.limits.syncPayloadBytes;
  app.addContentTypeParser(STRUCTURED, { parseAs: "string", bodyLimit: limit }, (_req, body, done) => {
    try {
      done(null, parseJson(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.addContentTypeParser(BATCH, { parseAs: "string", bodyLimit: limit }, (_req, _body, done) =>
    done(
      new RunletError(
        "RUNLET_ERR_INVALID_CLOUDEVENT",
        `batched CloudEvents (${BATCH}) are not accepted; publish each event in its own request`,
      ),
      undefined,
    ),
  );
  // Binary-mode CloudEvents may carry text data (datacontenttype text/*): the payload is the string.
  app.addContentTypeParser(/^text\//, { parseAs: "string", bodyLimit: limit }, (_req, body, done) =>
    done(null, body),
  );

  app.post<{ Params: Params; Querystring: { sync?: boolean }; Body: unknown }>(
    "/v1/accounts/:acct/events/:type",
    {
      preHandler: invoker,
      bodyLimit: limit,
      schema: {
        summary:
          "Publish an event (plain JSON, or a CloudEvent 1.0 in binary or structured mode) to every deployed subscriber",
        params: {
          type: "object",
          properties: { ...accountParams.properties, type: { type: "string", maxLength: 400 } },
          required: ["acct", "type"],
        },
        querystring: { type: "object", properties: { sync: { type: "boolean" } } },
        response: errorResponses(413, 501),
      },
    },
    async (request, reply) => {
      const { acct, type } = request.params;
      assertEventType(type);
      const event = readEvent(acct, type, request.headers, request.body);
      if (request.query.sync) {
        const results = await platform.events.publishSync(acct, event);
        return { eventId: event.id, results };
      }
      const asyncLimit = platform.config.limits.asyncPayloadBytes;
      if (Buffer.byteLength(jsonText(event.payload, "the event's payload")) > asyncLimit) {
        throw new RunletError(
          "RUNLET_ERR_PAYLOAD_TOO_LARGE",
          `the event's data is over the ${asyncLimit}-byte limit for async delivery; send less, or publish with ?sync=true`,
        );
      }
      const activationIds = await platform.events.publishAsync(acct, event);
      return reply.code(202).send({ eventId: event.id, activationIds });
    },
  );
}
