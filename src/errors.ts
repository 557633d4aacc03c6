/**
 * The one registry of error codes. Every API error, CLI error and failed invocation names one of these.
 * `kind` splits what the caller can fix (`user`) from what the operator must look at (`system`).
 * docs/errors.md is checked against this table by test/errors.registry-matches-docs.test.ts.
 */
export const ERRORS = {
  RUNLET_ERR_BAD_REQUEST: { status: 400, kind: "user", fix: "Check the request against /openapi.json." },
  RUNLET_ERR_INVALID_JSON: {
    status: 400,
    kind: "user",
    fix: "Send a valid JSON body with Content-Type: application/json.",
  },
  RUNLET_ERR_JSON_TOO_DEEP: {
    status: 400,
    kind: "user",
    fix: "Send a JSON value nested less deeply (a few thousand levels at most); flatten deep arrays or objects.",
  },
  RUNLET_ERR_INVALID_NAME: {
    status: 400,
    kind: "user",
    fix: "Use a name matching ^[a-z][a-z0-9-]{0,62}$ (lower-case letters, digits, dashes).",
  },
  RUNLET_ERR_INVALID_CONFIG: {
    status: 400,
    kind: "user",
    fix: "Fix the named function setting; limits are listed in the README.",
  },
  RUNLET_ERR_INVALID_ROLLOUT: {
    status: 400,
    kind: "user",
    fix: 'Send percent from 0 to 100 and autoRollback as {maxErrorRate: 0..1, minInvocations: 1 or more, window: "10m"}.',
  },
  RUNLET_ERR_INVALID_IDLE_POLICY: {
    status: 400,
    kind: "user",
    fix: "Send {undeployAfterDays: 1 to 3650, webhookUrl?: an absolute http:// or https:// URL}.",
  },
  RUNLET_ERR_INVALID_CRON: {
    status: 400,
    kind: "user",
    fix: 'Use a 5-field ("min hour day month weekday") or 6-field (leading seconds) cron expression that fires, e.g. "*/5 * * * *".',
  },
  RUNLET_ERR_INVALID_TIMEZONE: {
    status: 400,
    kind: "user",
    fix: 'Use an IANA time zone name such as "Europe/Berlin", or leave timezone out for UTC.',
  },
  RUNLET_ERR_INVALID_SUBJECT: {
    status: 400,
    kind: "user",
    fix: 'Use a NATS subject of dot-separated tokens like "orders.created" ("*" one token, final ">" the rest), not starting with $ or _INBOX.',
  },
  RUNLET_ERR_INVALID_CALLBACK_URL: {
    status: 400,
    kind: "user",
    fix: "Send X-Callback-Url as an absolute http:// or https:// URL.",
  },
  RUNLET_ERR_COMPILE: {
    status: 400,
    kind: "user",
    fix: "Fix the syntax error at the reported line, then deploy again.",
  },
  RUNLET_ERR_COMPILE_TIMEOUT: {
    status: 400,
    kind: "user",
    fix: "The code took longer to compile than the server allows (RUNLET_COMPILE_TIMEOUT_MS); upload smaller code, without long runs of repeated declarations.",
  },
  RUNLET_ERR_COMPILE_MEMORY: {
    status: 400,
    kind: "user",
    fix: "Compiling the code took more memory than the server allows (RUNLET_COMPILE_MEMORY_MB); upload smaller code.",
  },
  RUNLET_ERR_NO_HANDLER: {
    status: 400,
    kind: "user",
    fix: "Export a default async function (event style), a default object with fetch(request) (http style), or define function lambda(input, callback) (classic style).",
  },
  RUNLET_ERR_MODULE_INIT: {
    status: 400,
    kind: "user",
    fix: "The module threw while loading; fix its top-level code.",
  },
  RUNLET_ERR_INVALID_EVENT_TYPE: {
    status: 400,
    kind: "user",
    fix: "Use an event type of 1-200 letters, digits, dots, dashes, underscores and colons, starting with a letter or digit (e.g. order.created).",
  },
  RUNLET_ERR_INVALID_CLOUDEVENT: {
    status: 400,
    kind: "user",
    fix: "Send a CloudEvent 1.0 with specversion, id, source and type (ce-* headers in binary mode, or a JSON object with Content-Type: application/cloudevents+json), or send plain JSON.",
  },
  RUNLET_ERR_INVALID_SEQUENCE: {
    status: 400,
    kind: "user",
    fix: "List existing functions of this account as the sequence's steps, never the sequence itself.",
  },
  RUNLET_ERR_INVOKE_DEPTH: {
    status: 400,
    kind: "user",
    fix: "Too many nested ctx.invoke or sequence hops in one chain; break the recursion or raise RUNLET_MAX_INVOKE_DEPTH.",
  },
  RUNLET_ERR_INVOKE_LIMIT: {
    status: 429,
    kind: "user",
    fix: "Make at most 50 ctx.invoke calls per invocation and RUNLET_MAX_INVOKES_PER_CHAIN per chain; batch the work into fewer calls.",
  },
  RUNLET_ERR_UNAUTHENTICATED: {
    status: 401,
    kind: "user",
    fix: "Send Authorization: Bearer <key>; the default key is in .runlet/credentials.json.",
  },
  RUNLET_ERR_FORBIDDEN: {
    status: 403,
    kind: "user",
    fix: "Use a key of this account whose role allows the action (admin, developer or invoker).",
  },
  RUNLET_ERR_ACCOUNT_NOT_FOUND: {
    status: 404,
    kind: "user",
    fix: "Check the account name in the URL.",
  },
  RUNLET_ERR_FUNCTION_NOT_FOUND: {
    status: 404,
    kind: "user",
    fix: "Check the function name, or create it with PUT /v1/accounts/{acct}/functions/{name}.",
  },
  RUNLET_ERR_VERSION_NOT_FOUND: {
    status: 404,
    kind: "user",
    fix: "List the kept versions with GET …/functions/{name}/versions.",
  },
  RUNLET_ERR_ACTIVATION_NOT_FOUND: {
    status: 404,
    kind: "user",
    fix: "Check the activation id; list recent ones with GET …/activations.",
  },
  RUNLET_ERR_IDLE_POLICY_NOT_FOUND: {
    status: 404,
    kind: "user",
    fix: "The account has no idle-function policy; set one with PUT …/idle-policy {undeployAfterDays}.",
  },
  RUNLET_ERR_BUDGET_NOT_FOUND: {
    status: 404,
    kind: "user",
    fix: "There is no budget here yet; create one with PUT …/budget (runlet budget set).",
  },
  RUNLET_ERR_TRACE_NOT_FOUND: {
    status: 404,
    kind: "user",
    fix: "Send a trace id (32 hex digits, from an activation's traceparent) or an activation id of this account.",
  },
  RUNLET_ERR_KEY_NOT_FOUND: {
    status: 404,
    kind: "user",
    fix: "List the account's keys with GET …/keys; a revoked key cannot be revoked again.",
  },
  RUNLET_ERR_INVALID_KEY: {
    status: 400,
    kind: "user",
    fix: "Use a secret name of 1-100 letters, digits, _ or -; a kv namespace of 1-64 of the same; a kv key of 1-512 bytes without control characters.",
  },
  RUNLET_ERR_INVALID_FAULT_RULE: {
    status: 400,
    kind: "user",
    fix: 'Give each rule a target "fetch:<host>", "invoke:<function>" or "kv", a kind that applies to it, and a rate over 0 up to 1 (the message lists them).',
  },
  RUNLET_ERR_FAULT_PROFILE_NOT_FOUND: {
    status: 404,
    kind: "user",
    fix: "Create the profile with PUT …/faults/{profile} (runlet faults set), or list the account's with GET …/faults.",
  },
  RUNLET_ERR_FAULTS_FORBIDDEN: {
    status: 403,
    kind: "user",
    fix: "Send X-Runlet-Faults with a developer or admin key; invoker keys cannot inject faults, so drop the header.",
  },
  RUNLET_ERR_NOT_RECORDED: {
    status: 404,
    kind: "user",
    fix: "Only recorded activations replay; set record: {sample, days} in the function's config, then replay activations made after that.",
  },
  RUNLET_ERR_INVALID_ALLOWLIST: {
    status: 400,
    kind: "user",
    fix: "List host names like api.example.com or *.example.com (no scheme, port, path or IP address), at most 100.",
  },
  RUNLET_ERR_SECRET_NOT_FOUND: {
    status: 404,
    kind: "user",
    fix: "List the account's secret names with GET …/secrets, or set it with PUT …/secrets/{key}.",
  },
  RUNLET_ERR_KV_KEY_NOT_FOUND: {
    status: 404,
    kind: "user",
    fix: "The key does not exist or its TTL ran out; list keys with GET …/kv/{namespace}.",
  },
  RUNLET_ERR_FETCH_BLOCKED: {
    status: 403,
    kind: "user",
    fix: "Add the host to the account's allowlist (PUT …/allowlist); private, loopback, link-local and metadata addresses are always refused.",
  },
  RUNLET_ERR_FETCH_FAILED: {
    status: 502,
    kind: "user",
    fix: "The outbound request failed (DNS, connection, TLS or time limit); check the URL and that the remote server answers.",
  },
  RUNLET_ERR_FETCH_LIMIT: {
    status: 429,
    kind: "user",
    fix: "Make fewer outbound requests (per invocation and per second per function) or fetch smaller responses; the limits are in the README.",
  },
  RUNLET_ERR_ROUTE_NOT_FOUND: { status: 404, kind: "user", fix: "See /openapi.json for the routes." },
  RUNLET_ERR_NOT_DEPLOYED: {
    status: 409,
    kind: "user",
    fix: "Deploy the function first: POST …/functions/{name}/deploy (or runlet deploy).",
  },
  RUNLET_ERR_NO_CANARY: {
    status: 409,
    kind: "user",
    fix: "The function has no canary to promote or roll back; start one with POST …/functions/{name}/deploy {version, percent} (runlet deploy --percent 10).",
  },
  RUNLET_ERR_QUARANTINED: {
    status: 409,
    kind: "user",
    fix: "The version ran V8 out of memory again and again and takes no invocations; make it allocate less or raise memoryMb, and deploy a new version.",
  },
  RUNLET_ERR_EVENT_LISTENER_LIMIT: {
    status: 409,
    kind: "user",
    fix: "The event takes no more deployed listeners (most hosted-platform events take one); undeploy one of its listeners or remove the event from this function.",
  },
  RUNLET_ERR_CONFLICT: { status: 409, kind: "user", fix: "Re-read the resource and retry." },
  RUNLET_ERR_IDEMPOTENCY_CONFLICT: {
    status: 409,
    kind: "user",
    fix: "This Idempotency-Key was used with a different body; send the same body again or use a new key.",
  },
  RUNLET_ERR_PAYLOAD_TOO_LARGE: {
    status: 413,
    kind: "user",
    fix: "Send a smaller body; the limits are in the README.",
  },
  RUNLET_ERR_COMPILE_BUSY: {
    status: 429,
    kind: "user",
    fix: "Too many uploads of this account are compiling at once; retry after the Retry-After seconds.",
  },
  RUNLET_ERR_THROTTLED: {
    status: 429,
    kind: "user",
    fix: "Too many invocations in flight; retry after the Retry-After seconds or raise maxInstances.",
  },
  RUNLET_ERR_MEMORY_BUDGET: {
    status: 429,
    kind: "user",
    fix: "Every isolate on the node is busy and their memory fills RUNLET_ISOLATE_MEMORY_MB; retry after the Retry-After seconds, or the operator raises the budget.",
  },
  RUNLET_ERR_RATE_LIMITED: {
    status: 429,
    kind: "user",
    fix: "This key sent too many requests per second; wait the Retry-After seconds, or spread the load over more keys.",
  },
  RUNLET_ERR_QUOTA_FUNCTIONS: {
    status: 403,
    kind: "user",
    fix: "The account has as many functions as its quota allows; delete one, or ask the operator to raise quotas.functions.",
  },
  RUNLET_ERR_QUOTA_CONCURRENCY: {
    status: 429,
    kind: "user",
    fix: "The account has as many invocations in flight as its quota allows; retry after the Retry-After seconds, or ask the operator to raise quotas.concurrent.",
  },
  RUNLET_ERR_QUOTA_INVOCATIONS: {
    status: 429,
    kind: "user",
    fix: "The account used its invocations for this month; wait for the next month (Retry-After), or ask the operator to raise quotas.invocationsPerMonth.",
  },
  RUNLET_ERR_BUDGET_EXCEEDED: {
    status: 429,
    kind: "user",
    fix: "The function's or the account's monthly budget with hardLimit is spent; raise it (runlet budget set), or wait for the next month (Retry-After).",
  },
  RUNLET_ERR_INVALID_BUDGET: {
    status: 400,
    kind: "user",
    fix: 'Send {"amount": cost units per month (above 0), "thresholds"?: percentages 1-1000, "hardLimit"?: boolean, "webhookUrl"?: an http(s) URL}.',
  },
  RUNLET_ERR_QUOTA_LOGS: {
    status: 429,
    kind: "user",
    fix: "The account's functions logged as much as its monthly quota allows; log less, wait for the next month, or ask the operator to raise quotas.logBytesPerMonth.",
  },
  RUNLET_ERR_QUOTA_PAYLOAD: {
    status: 413,
    kind: "user",
    fix: "The payload is over the account's payload quota; send less, or ask the operator to raise quotas.payloadBytes.",
  },
  RUNLET_ERR_QUOTA_KV: {
    status: 403,
    kind: "user",
    fix: "The account's context store holds as many keys as allowed (RUNLET_KV_MAX_KEYS); delete keys or give them a TTL.",
  },
  RUNLET_ERR_QUOTA_SECRETS: {
    status: 403,
    kind: "user",
    fix: "The account has as many secrets as allowed (RUNLET_SECRETS_MAX); delete one it no longer needs.",
  },
  RUNLET_ERR_OAUTH_INVALID_REQUEST: {
    status: 400,
    kind: "user",
    fix: "Send grant_type=client_credentials with client_id (the key id) and client_secret (the key), form-encoded or as HTTP Basic auth.",
  },
  RUNLET_ERR_OAUTH_INVALID_CLIENT: {
    status: 401,
    kind: "user",
    fix: "Use a live API key: client_id is its id (key_…), client_secret the key itself (rlk_…).",
  },
  RUNLET_ERR_OAUTH_UNSUPPORTED_GRANT: {
    status: 400,
    kind: "user",
    fix: "Only grant_type=client_credentials is supported.",
  },
  RUNLET_ERR_OAUTH_INVALID_SCOPE: {
    status: 400,
    kind: "user",
    fix: "Ask for a scope that is a role (admin, developer or invoker) no higher than the key's own, or leave scope out.",
  },
  RUNLET_ERR_FUNCTION_ERROR: {
    status: 502,
    kind: "user",
    fix: "The function threw or called back an error; see the activation's error and logs.",
  },
  RUNLET_ERR_INVALID_RESULT: {
    status: 502,
    kind: "user",
    fix: "Return a JSON-serialisable value (no functions, symbols, cycles or BigInt).",
  },
  RUNLET_ERR_INVALID_RESPONSE_STATUS: {
    status: 502,
    kind: "user",
    fix: "Answer with an HTTP status from 200 to 599 (a whole number).",
  },
  RUNLET_ERR_INVALID_RESPONSE_HEADER: {
    status: 502,
    kind: "user",
    fix: "Send header names that are HTTP tokens (RFC 9110) and values without CR, LF or NUL; the gateway sets framing headers itself.",
  },
  RUNLET_ERR_INVALID_RESPONSE_JSON: {
    status: 502,
    kind: "user",
    fix: "A response typed Content-Type: application/json must carry a JSON body; fix the body or send another content type.",
  },
  RUNLET_ERR_MALFORMED_ANSWER: {
    status: 502,
    kind: "user",
    fix: "The function's answer did not have the shape the runtime sends, so built-ins or runtime internals were tampered with; do not patch them.",
  },
  RUNLET_ERR_MEMORY_LIMIT: {
    status: 502,
    kind: "user",
    fix: "The function used more than its memoryMb; allocate less or raise memoryMb (max 1024).",
  },
  RUNLET_ERR_RESULT_TOO_LARGE: {
    status: 502,
    kind: "user",
    fix: "Return less than the response limit (6 MiB by default).",
  },
  RUNLET_ERR_TIMEOUT: {
    status: 504,
    kind: "user",
    fix: "The function ran past its timeoutMs; make it faster or raise timeoutMs (max 900000).",
  },
  RUNLET_ERR_UNSUPPORTED: {
    status: 501,
    kind: "user",
    fix: "The operation is not available where the function ran (e.g. ctx.kv under runlet invoke --local); run it on a server.",
  },
  RUNLET_ERR_CLIENT_CLOSED: {
    status: 499,
    kind: "user",
    fix: "The client stopped reading a streamed response, so the function's stream was cancelled; nothing to fix unless clients give up early.",
  },
  RUNLET_ERR_PLATFORM: {
    status: 500,
    kind: "system",
    fix: "An internal error; the server log has the details. Retrying may help.",
  },
  RUNLET_ERR_MASTER_KEY: {
    status: 500,
    kind: "system",
    fix: "The secrets were encrypted under another master key; start the server with the RUNLET_MASTER_KEY (or data-directory master.key) they were written with.",
  },
  RUNLET_ERR_RECORD_REDUCED: {
    status: 500,
    kind: "system",
    fix: "The activation's full record could not be stored (e.g. its result could not be serialised), so it was kept without its result and logs; the message says why. Report it if it repeats.",
  },
  RUNLET_ERR_UNAVAILABLE: {
    status: 503,
    kind: "system",
    fix: "The server is starting or shutting down, or cannot keep up with its database; retry shortly (the message says which).",
  },
} as const satisfies Record<string, { status: number; kind: "user" | "system"; fix: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; activationId?: string };
}

export class RunletError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly activationId: string | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    extra: { activationId?: string; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = "RunletError";
    this.code = code;
    this.status = ERRORS[code].status;
    this.activationId = extra.activationId;
    this.headers = extra.headers;
  }

  toBody(): ErrorBody {
    const error: ErrorBody["error"] = { code: this.code, message: this.message };
    if (this.activationId !== undefined) error.activationId = this.activationId;
    return { error };
  }
}
