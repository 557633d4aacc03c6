import type { Logger } from "pino";
import { timeId } from "../ids.js";
import type { AuditEntry } from "../model/account.js";
import type { AuditFilter } from "../store/records.js";
import type { Store } from "../store/store.js";
import { actorOf, type Principal } from "./authenticator.js";

export interface AuditRecord {
  account: string;
  /** Who did it: the request's principal, or a name such as "system" for changes the platform makes. */
  actor: Principal | string | undefined;
  /** `<resource>.<verb>`, like `function.deploy`, `key.create`, `secret.put`. */
  action: string;
  /** What it was done to: a function, key, secret or namespace/key name. */
  target: string;
  /** Anything that helps read the entry later; never secret values. */
  detail?: Record<string, unknown>;
}

/**
 * The audit log: who changed what in an account. Every successful change made through the API is
 * recorded by the gateway (src/server/routes/audit.ts); `record` is also for changes made elsewhere.
 */
export class AuditLog {
  constructor(
    private readonly store: Store,
    private readonly log: Logger,
  ) {}

  /** Writes the entry before resolving; a failure is logged, never thrown at the change it describes. */
  async record(entry: AuditRecord): Promise<void> {
    const at = Date.now();
    const row: AuditEntry = {
      id: timeId("aud_", at),
      account: entry.account,
      at,
      actor: typeof entry.actor === "string" ? entry.actor : actorOf(entry.actor),
      action: entry.action,
      target: entry.target,
      detail: entry.detail ?? null,
    };
    try {
      await this.store.audit.insert(row);
    } catch (err) {
      this.log.error({ err, audit: row }, "writing the audit log failed");
    }
  }

  list(filter: AuditFilter): Promise<AuditEntry[]> {
    return this.store.audit.list(filter);
  }
}
