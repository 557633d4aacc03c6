import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { RunletError } from "../../errors.js";
import { isName } from "../../functions/names.js";
import { notFound } from "../../functions/service.js";
import { forwardedHeaders } from "../../triggers/forwarded-headers.js";
import { checkAccess } from "../guard.js";
import { routeKeyOf } from "../invoke-handler.js";
import type { Platform } from "../../platform.js";
import { invokeAnswer, sendAnswer, streamedHead } from "../reply.js";

type Params = { acct: string; name: string; "*"?: string };

/**
 * Web functions: `ANY /fn/{acct}/{name}/{path…}` hands the raw request to the function. The function
 * sees the URL relative to itself (`/fn/acme/api/users?x=1` arrives as `/users?x=1`).
 * Registered in its own encapsulated context so any content type is accepted as raw bytes.
 */
export async function webRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));

  const handler = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
    const { acct, name } = request.params;
    if (!isName(acct) || !isName(name)) throw notFound(name);
    if (!(await platform.catalog.accountExists(acct))) {
      throw new RunletError("RUNLET_ERR_ACCOUNT_NOT_FOUND", `account ${acct} does not exist`);
    }
    const fn = await platform.catalog.function(acct, name);
    const version =
      !fn || fn.deployedVersion === null
        ? undefined
        : await platform.catalog.version(acct, name, fn.deployedVersion);
    // Credentials first: whether a non-public function exists is only told to those who may invoke it.
    if (!version?.config.public) await checkAccess(platform, request.headers.authorization, acct, "invoker");
    if (!fn) throw notFound(name);
    const body =
      Buffer.isBuffer(request.body) && request.body.length > 0 ? request.body.toString("utf8") : null;
    const headers = forwardedHeaders(request.headers);
    const prefix = `/fn/${acct}/${name}`;
    const rest = request.url.slice(prefix.length) || "/";
    const path = rest.startsWith("/") ? rest : `/${rest}`;
    const isJson = (request.headers["content-type"] ?? "").includes("json");
    let payload: unknown = body;
    if (isJson && body !== null) {
      try {
        payload = JSON.parse(body);
      } catch {
        // Not JSON after all: http-style functions read the raw body themselves; the others get the text.
      }
    }
    // A function that answers with a ReadableStream body is streamed: the head goes out at once, the
    // activation ends (and is recorded) when the stream does, or is cut at the deadline.
    let streamed = false;
    const result = await platform.dispatcher.invoke({
      kind: "web",
      onStream: (head) => {
        streamed = true;
        const { status, headers } = streamedHead(head);
        void reply.code(status).headers(headers).send(head.body);
      },
      account: acct,
      function: name,
      payload,
      headers,
      ...routeKeyOf(request.headers),
      request: { method: request.method, url: `${request.protocol}://${request.host}${path}`, headers, body },
    });
    if (streamed) return reply;
    return sendAnswer(reply, invokeAnswer(result));
  };

  const schema = { hide: true };
  app.all("/fn/:acct/:name", { schema }, handler);
  app.all("/fn/:acct/:name/*", { schema }, handler);
}
