import type { FastifyInstance, FastifyReply } from "fastify";
import { RunletError, type ErrorCode } from "../../errors.js";
import type { Platform } from "../../platform.js";
import { roleAllows } from "../../security/api-keys.js";
import { ROLES, type Role } from "../../model/account.js";
import { toRunletError } from "../errors.js";
import { guard } from "../guard.js";
import { errorResponses } from "../schemas.js";

/** RFC 6749 §5.2 error names for the Runlet codes the token endpoint answers with. */
const RFC_ERROR: Partial<Record<ErrorCode, string>> = {
  RUNLET_ERR_OAUTH_INVALID_REQUEST: "invalid_request",
  RUNLET_ERR_OAUTH_INVALID_CLIENT: "invalid_client",
  RUNLET_ERR_OAUTH_UNSUPPORTED_GRANT: "unsupported_grant_type",
  RUNLET_ERR_OAUTH_INVALID_SCOPE: "invalid_scope",
  RUNLET_ERR_RATE_LIMITED: "slow_down",
  RUNLET_ERR_PAYLOAD_TOO_LARGE: "invalid_request",
};

type TokenBody = Record<string, unknown> | undefined;

function oauthError(code: ErrorCode, message: string, headers?: Record<string, string>): RunletError {
  return new RunletError(code, message, headers ? { headers } : {});
}

/** client_id and client_secret from HTTP Basic auth (RFC 6749 §2.3.1: each form-urlencoded) or the body. */
function credentials(
  authorization: string | undefined,
  body: TokenBody,
): { id: string; secret: string; basic: boolean } {
  const inBody = typeof body?.client_id === "string" || typeof body?.client_secret === "string";
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? "");
  if (authorization !== undefined && !basic) {
    throw oauthError(
      "RUNLET_ERR_OAUTH_INVALID_REQUEST",
      "the Authorization header must be 'Basic base64(client_id:client_secret)'",
    );
  }
  if (basic && inBody) {
    throw oauthError(
      "RUNLET_ERR_OAUTH_INVALID_REQUEST",
      "send the client credentials once: in the Authorization header or in the body, not both",
    );
  }
  if (basic) {
    const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0)
      throw oauthError(
        "RUNLET_ERR_OAUTH_INVALID_REQUEST",
        "Basic credentials must be client_id:client_secret",
      );
    try {
      return {
        id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " ")),
        secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, " ")),
        basic: true,
      };
    } catch {
      throw oauthError(
        "RUNLET_ERR_OAUTH_INVALID_REQUEST",
        "the Basic credentials are not valid form-urlencoded text",
      );
    }
  }
  if (typeof body?.client_id !== "string" || typeof body.client_secret !== "string") {
    throw oauthError(
      "RUNLET_ERR_OAUTH_INVALID_REQUEST",
      "client_id and client_secret are required (the key id and the key), in the body or as HTTP Basic auth",
    );
  }
  return { id: body.client_id, secret: body.client_secret, basic: false };
}

function scopeOf(requested: unknown, keyRole: Role): Role {
  if (requested === undefined || requested === "") return keyRole;
  const scopes = typeof requested === "string" ? requested.split(" ").filter(Boolean) : [];
  const role = scopes[0] as Role;
  if (scopes.length !== 1 || !ROLES.includes(role)) {
    throw oauthError("RUNLET_ERR_OAUTH_INVALID_SCOPE", `scope must be one role: ${ROLES.join(", ")}`);
  }
  if (!roleAllows(keyRole, role)) {
    throw oauthError(
      "RUNLET_ERR_OAUTH_INVALID_SCOPE",
      `this key has the ${keyRole} role; it cannot get a ${role} token`,
    );
  }
  return role;
}

function sendOauthError(reply: FastifyReply, err: unknown, platform: Platform) {
  const error = toRunletError(err);
  if (error.status >= 500) platform.log.error({ err }, "token request failed");
  const name = RFC_ERROR[error.code] ?? (error.status >= 500 ? "server_error" : "invalid_request");
  const status = error.status >= 500 || error.status === 401 || error.status === 429 ? error.status : 400;
  if (error.headers) reply.headers(error.headers);
  return reply
    .code(status)
    .headers({ "cache-control": "no-store", pragma: "no-cache" })
    .type("application/json")
    .send({ error: name, error_description: error.message, code: error.code });
}

/**
 * The OAuth2 token endpoint (RFC 6749 §4.4, client credentials): client_id is an API key's id, client_secret
 * the key. In its own scope: it takes form-encoded bodies (and JSON) and answers errors in RFC 6749 §5.2
 * form, `{"error": "invalid_client", "error_description", "code"}`, as OAuth2 clients expect.
 */
export async function oauthRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string", bodyLimit: 8192 },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  app.setErrorHandler((err, _request, reply) => sendOauthError(reply, err, platform));

  app.post<{ Body: TokenBody }>(
    "/v1/oauth/token",
    {
      bodyLimit: 8192,
      config: { audit: false },
      schema: {
        summary: "OAuth2 client credentials: an access token (JWT) for an API key; scope is a role",
        security: [],
        consumes: ["application/x-www-form-urlencoded", "application/json"],
      },
    },
    async (request, reply) => {
      const issuer = platform.auth.tokens;
      if (!issuer)
        throw new RunletError("RUNLET_ERR_UNAVAILABLE", "access tokens are not enabled on this server");
      const body = request.body && typeof request.body === "object" ? request.body : undefined;
      const client = credentials(request.headers.authorization, body);
      if (body?.grant_type === undefined) {
        throw oauthError(
          "RUNLET_ERR_OAUTH_INVALID_REQUEST",
          "grant_type is required: send grant_type=client_credentials",
        );
      }
      if (body.grant_type !== "client_credentials") {
        throw oauthError(
          "RUNLET_ERR_OAUTH_UNSUPPORTED_GRANT",
          `grant_type ${String(body.grant_type)} is not supported; use client_credentials`,
        );
      }
      const key = await platform.auth.checkClient(client.id, client.secret);
      if (!key) {
        throw oauthError(
          "RUNLET_ERR_OAUTH_INVALID_CLIENT",
          "client_id and client_secret do not match a live API key",
          client.basic ? { "www-authenticate": 'Basic realm="runlet"' } : undefined,
        );
      }
      const role = scopeOf(body.scope, key.role);
      const { token, expiresIn } = await issuer.issue({ account: key.account, role, keyId: client.id });
      return reply
        .headers({ "cache-control": "no-store", pragma: "no-cache" })
        .send({ access_token: token, token_type: "Bearer", expires_in: expiresIn, scope: role });
    },
  );
}

/** Operator: start signing tokens with a new key (tokens of the old one verify until they expire). */
export function signingKeyRoutes(app: FastifyInstance, platform: Platform): void {
  app.post(
    "/v1/oauth/keys/rotate",
    {
      preHandler: guard(platform, "operator"),
      schema: { summary: "Rotate the access-token signing key (operator)", response: errorResponses() },
    },
    async (_request, reply) => {
      const issuer = platform.auth.tokens;
      if (!issuer)
        throw new RunletError("RUNLET_ERR_UNAVAILABLE", "access tokens are not enabled on this server");
      return reply.code(201).send({ kid: await issuer.rotate() });
    },
  );
}
