import { runletContext } from "./runlet-context.js";

export const ErrorCodes = Object.freeze({
  Secret: Object.freeze({
    Invalid: "com.liveperson.faas.secret.invalid-format",
    Failure: "com.liveperson.faas.secret.op-failed",
    NotFound: "com.liveperson.faas.secret.not-found",
  }),
});

/** What the hosted platform's SecretClient rejects with: `code` is one of ErrorCodes.Secret. */
export class SecretError extends Error {
  override name = "SecretError";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface SecretEntry {
  key: string;
  value: string;
}

/** `Toolbelt.SecretClient()`: the account's secrets (Runlet's, AES-256-GCM at rest) over ctx.secrets. */
export class SecretClient {
  /** The options of the hosted client (`useCache`, `timeout`) are accepted; Runlet reads are never stale. */
  async readSecret(key: string, _options?: { useCache?: boolean; timeout?: number }): Promise<SecretEntry> {
    const value = await runletContext().secrets.get(key);
    if (value === undefined)
      throw new SecretError(ErrorCodes.Secret.NotFound, `There is no Secret ${key} for this account`);
    return { key, value };
  }

  async updateSecret(updated: SecretEntry): Promise<SecretEntry> {
    const { key, value } = updated ?? ({} as SecretEntry);
    if (typeof key !== "string" || typeof value !== "string" || value.length > 10_000) {
      throw new SecretError(
        ErrorCodes.Secret.Invalid,
        "a secret is {key, value} with a value of at most 10000 characters",
      );
    }
    const ctx = runletContext();
    if ((await ctx.secrets.get(key)) === undefined) {
      throw new SecretError(ErrorCodes.Secret.NotFound, `There is no Secret ${key} for this account`);
    }
    try {
      await ctx.secrets.set(key, value);
    } catch (err) {
      throw new SecretError(
        ErrorCodes.Secret.Failure,
        `Updating Secret ${key} failed: ${(err as Error).message}`,
      );
    }
    return { key, value };
  }
}
