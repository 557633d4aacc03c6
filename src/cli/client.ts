import { CliError } from "./cli-error.js";
import type { Credentials } from "./credentials.js";

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is with Content-Type: application/json (already-validated JSON text, e.g. `--data`). */
  rawBody?: string;
  query?: Query;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** A thin client for the Runlet HTTP API (DESIGN §7): auth, URLs, and API errors turned into CliErrors. */
export class Client {
  readonly account: string;
  readonly #url: string;
  readonly #key: string;
  readonly #source: string;
  readonly #fetch: typeof fetch;

  constructor(credentials: Credentials, fetchImpl: typeof fetch = globalThis.fetch) {
    this.account = credentials.account;
    this.#url = credentials.url;
    this.#key = credentials.key;
    this.#source = credentials.source;
    this.#fetch = fetchImpl;
  }

  /** The server's base URL, e.g. http://127.0.0.1:7070. */
  get baseUrl(): string {
    return this.#url;
  }

  /** A web function's URL: `/fn/{acct}/{name}/`, where browsers and webhooks reach it. */
  webUrl(name: string): string {
    return `${this.#url}/fn/${encodeURIComponent(this.account)}/${encodeURIComponent(name)}/`;
  }

  /** `/v1/accounts/{acct}/…segments`, each segment URL-encoded. */
  accountPath(...segments: string[]): string {
    return ["/v1/accounts", this.account, ...segments]
      .map((s, i) => (i ? encodeURIComponent(s) : s))
      .join("/");
  }

  functionPath(name: string, ...rest: string[]): string {
    return this.accountPath("functions", name, ...rest);
  }

  /** Sends a request; resolves with the response when it is 2xx, throws a CliError otherwise. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const url = new URL(this.#url + path);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = { authorization: `Bearer ${this.#key}`, ...options.headers };
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await this.#fetch(url, { method, headers, body, signal: options.signal ?? null });
    } catch (err) {
      if ((err as Error).name === "AbortError") throw err;
      throw this.#unreachable(err);
    }
    if (!response.ok) throw await this.#apiError(response);
    return response;
  }

  /** A request whose 2xx answer is JSON (`undefined` for 204). */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.request(method, path, options);
    const text = await response.text();
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }

  #unreachable(err: unknown): CliError {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? (err as Error).message;
    return new CliError(
      "RUNLET_ERR_UNAVAILABLE",
      `cannot reach the Runlet server at ${this.#url} (${detail})`,
      {
        hint: "start it with `npm start`, or point RUNLET_URL at a running server",
        cause: err,
      },
    );
  }

  async #apiError(response: Response): Promise<CliError> {
    const text = await response.text().catch(() => "");
    const status = response.status;
    let error: { code?: unknown; message?: unknown; activationId?: unknown } | undefined;
    try {
      error = (JSON.parse(text) as { error?: typeof error }).error;
    } catch {
      error = undefined;
    }
    const code = typeof error?.code === "string" ? error.code : codeForStatus(status);
    const message =
      typeof error?.message === "string"
        ? error.message
        : `${status} ${response.statusText}${text ? `: ${text.slice(0, 200)}` : ""}`.trim();
    const extra: ConstructorParameters<typeof CliError>[2] = { status };
    if (typeof error?.activationId === "string") extra.activationId = error.activationId;
    if (status === 401)
      extra.hint = `the server refused the key from ${this.#source}; check it or restart the server`;
    const retryAfter = response.headers.get("retry-after");
    if (status === 429 && retryAfter)
      extra.hint = `throttled: retry in ${retryAfter} s or raise maxInstances`;
    return new CliError(code, message, extra);
  }
}

function codeForStatus(status: number): string {
  if (status === 401) return "RUNLET_ERR_UNAUTHENTICATED";
  if (status === 403) return "RUNLET_ERR_FORBIDDEN";
  if (status === 404) return "RUNLET_ERR_ROUTE_NOT_FOUND";
  if (status === 409) return "RUNLET_ERR_CONFLICT";
  if (status === 413) return "RUNLET_ERR_PAYLOAD_TOO_LARGE";
  if (status === 429) return "RUNLET_ERR_THROTTLED";
  if (status === 503) return "RUNLET_ERR_UNAVAILABLE";
  return status >= 500 ? "RUNLET_ERR_PLATFORM" : "RUNLET_ERR_BAD_REQUEST";
}
