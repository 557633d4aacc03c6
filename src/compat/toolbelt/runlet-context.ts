// The Toolbelt runs inside the function's isolate, bundled into it: it reaches the host only through the
// ctx services of the running activation (the sandbox's __runlet_context), never through host objects.

export interface KvNamespace {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, options?: { ttlSeconds?: number }): Promise<void>;
  delete(key: string): Promise<boolean>;
  list(options?: {
    prefix?: string;
    limit?: number;
    cursor?: string;
  }): Promise<{ keys: string[]; next?: string }>;
}

export interface RunletContext {
  deadline: number;
  secrets: { get(key: string): Promise<string | undefined>; set(key: string, value: string): Promise<void> };
  kv: KvNamespace & { namespace(name: string): KvNamespace };
  invoke(
    name: string,
    payload?: unknown,
    options?: { timeoutMs?: number; retries?: number },
  ): Promise<unknown>;
  fetch: typeof fetch;
  /** A function's UUID (or name) → its name, in this account. */
  lambdaName(uuid: string): Promise<string>;
}

export function runletContext(): RunletContext {
  const current = (globalThis as { __runlet_context?: () => RunletContext | undefined }).__runlet_context;
  const ctx = typeof current === "function" ? current() : undefined;
  if (!ctx) {
    throw new Error(
      "the Toolbelt works only while the function is being invoked on Runlet (not at module load)",
    );
  }
  return ctx;
}
