// The console's only way to the server: the public HTTP API with the signed-in key as a bearer token.

export type Role = "admin" | "developer" | "invoker";

export interface Session {
  key: string;
  account: string;
  keyId: string;
  role: Role;
  /** How the console signed in: with the API key itself or an access token made from it. */
  via: "key" | "token";
}

const RANK: Record<Role, number> = { invoker: 1, developer: 2, admin: 3 };

/** Whether the session's role allows what needs `needed`. */
export function can(session: Session, needed: Role): boolean {
  return RANK[session.role] >= RANK[needed];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly activationId?: string,
  ) {
    super(message);
  }
}

export interface Answer<T> {
  status: number;
  headers: Headers;
  body: T;
}

type Listener = (up: boolean) => void;
const listeners = new Set<Listener>();
/** Called with false when the server stops answering, true when it answers again. */
export function onReachability(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
const tell = (up: boolean) => listeners.forEach((l) => l(up));

const expired = new Set<() => void>();
/** Called when the server stops accepting the signed-in credential (an access token ran out, a key was revoked). */
export function onCredentialRefused(listener: () => void): () => void {
  expired.add(listener);
  return () => expired.delete(listener);
}

/** One API call; a JSON error answer becomes an ApiError with the server's code and message. */
export async function call<T = unknown>(
  key: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const init: RequestInit = {
    method,
    headers: { authorization: `Bearer ${key}`, ...headers },
    credentials: "omit",
    cache: "no-store",
  };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] = "application/json";
  }
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch {
    tell(false);
    throw new ApiError(0, "NETWORK", "The server did not answer. Is it running?");
  }
  tell(true);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  if (res.status === 401) expired.forEach((l) => l());
  if (res.status >= 400) {
    const error = (parsed as { error?: { code?: string; message?: string; activationId?: string } })?.error;
    throw new ApiError(
      res.status,
      error?.code ?? `HTTP_${res.status}`,
      error?.message ?? (text || res.statusText),
      error?.activationId,
    );
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

/** An API client bound to a session: paths are relative to /v1/accounts/{account}. */
export function client(session: Session) {
  const base = `/v1/accounts/${encodeURIComponent(session.account)}`;
  const raw = <T>(method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    call<T>(session.key, method, base + path, body, headers);
  return {
    raw,
    get: async <T>(path: string) => (await raw<T>("GET", path)).body,
    put: async <T>(path: string, body: unknown) => (await raw<T>("PUT", path, body)).body,
    post: async <T>(path: string, body: unknown = {}) => (await raw<T>("POST", path, body)).body,
    del: async <T>(path: string) => (await raw<T>("DELETE", path)).body,
  };
}
export type Client = ReturnType<typeof client>;

/** Asks the server who a key is; throws ApiError (401 for an unknown or revoked key). */
export async function whoami(key: string): Promise<Session> {
  const who = (
    await call<{ account: string; keyId: string; role: Role; via?: "key" | "token" }>(
      key,
      "GET",
      "/v1/whoami",
    )
  ).body;
  return { key, account: who.account, keyId: who.keyId, role: who.role, via: who.via ?? "key" };
}

export const fn = (name: string) => `/functions/${encodeURIComponent(name)}`;

// Shapes of the answers the console reads.
export interface FunctionSummary {
  name: string;
  state: "draft" | "deployed" | "modified" | "undeployed";
  style: string;
  deployedVersion: number | null;
  latestVersion: number;
  updatedAt: string;
}
export interface LastHour {
  invocations: number;
  byStatus: Record<string, number>;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Finished activations per version (newest first), apart while a canary runs. */
  byVersion?: { version: number; invocations: number; byStatus: Record<string, number> }[];
}
/** A version running beside the deployed one for a share of invocations. */
export interface CanaryView {
  version: number;
  percent: number;
  since: string;
  autoRollback: { maxErrorRate: number; minInvocations: number; windowMs: number } | null;
}
/** Who made a call: the audit actor (`key:<id>`, `token:<key id>`, …) and the key's name. */
export interface ActorView {
  actor: string;
  keyName: string | null;
}
export interface VersionView {
  version: number;
  createdAt: string;
  createdBy: ActorView | null;
  style: string;
  deployed: boolean;
  deployedAt: string | null;
  deployedBy: ActorView | null;
}
export interface FunctionDetail extends FunctionSummary {
  config: Record<string, unknown> | null;
  versions: VersionView[];
  canary?: CanaryView | null;
  stats: { lastHour: LastHour };
}
export interface LogLine {
  t: string | number;
  level: string;
  msg: string;
}
export interface Activation {
  id: string;
  function: string;
  version: number;
  trigger: string;
  status: string;
  result: unknown;
  error: { code: string; message: string } | null;
  startedAt: string;
  durationMs: number | null;
  billedMs: number | null;
  coldStart: boolean;
  attempts: number;
  logs?: LogLine[];
  logsTruncated?: boolean;
  /** The activation that invoked this one (ctx.invoke, a sequence step). */
  parentId?: string;
  callback?: {
    url: string;
    status: "pending" | "delivered" | "failed";
    attempts: number;
    lastError?: string;
    deliveredAt?: number;
  };
  steps?: { function: string; activationId: string; status: string; durationMs: number }[];
}
