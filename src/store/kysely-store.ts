import { sql } from "kysely";
import type { Kysely } from "kysely";
import { accountRepository } from "./repositories/accounts.js";
import { activationRepository } from "./repositories/activations.js";
import { auditRepository } from "./repositories/audit.js";
import { quotaRepository } from "./repositories/quotas.js";
import { signingKeyRepository } from "./repositories/signing-keys.js";
import { deploymentRepository } from "./repositories/deployments.js";
import { functionRepository } from "./repositories/functions.js";
import { keyRepository } from "./repositories/keys.js";
import { triggerRepository } from "./repositories/triggers.js";
import { queueRepository } from "./repositories/queue.js";
import { counterRepository } from "./repositories/counters.js";
import { versionRepository } from "./repositories/versions.js";
import { allowlistRepository } from "./repositories/allowlists.js";
import { budgetRepository } from "./repositories/budgets.js";
import { kvRepository } from "./repositories/kv.js";
import { faultProfileRepository } from "./repositories/fault-profiles.js";
import { recordingRepository } from "./repositories/recordings.js";
import { secretRepository } from "./repositories/secrets.js";
import { clusterSettingRepository } from "./repositories/cluster-settings.js";
import { idlePolicyRepository } from "./repositories/idle-policies.js";
import { adapterOf } from "./dialect.js";
import type { Database } from "./schema.js";
import type { Store } from "./store.js";

export interface KyselyStoreOptions {
  dialect: Store["dialect"];
  /** The dialect's test for a unique-key violation (see ./sqlite/errors.ts, ./postgres/errors.ts). */
  isUniqueViolation(err: unknown): boolean;
}

/** The Store over an already migrated database; the same code for every dialect. */
export function createKyselyStore(db: Kysely<Database>, options: KyselyStoreOptions): Store {
  const ctx = { db, isUniqueViolation: options.isUniqueViolation };
  return {
    dialect: options.dialect,
    accounts: accountRepository(ctx),
    keys: keyRepository(ctx),
    functions: functionRepository(ctx),
    versions: versionRepository(ctx),
    deployments: deploymentRepository(ctx),
    activations: activationRepository(ctx),
    queue: queueRepository(ctx),
    counters: counterRepository(ctx),
    audit: auditRepository(ctx),
    signingKeys: signingKeyRepository(ctx),
    quotas: quotaRepository(ctx),
    secrets: secretRepository(ctx),
    kv: kvRepository(ctx),
    allowlists: allowlistRepository(ctx),
    faultProfiles: faultProfileRepository(ctx),
    recordings: recordingRepository(ctx),
    budgets: budgetRepository(ctx),
    triggers: triggerRepository(ctx),
    settings: clusterSettingRepository(ctx),
    idlePolicies: idlePolicyRepository(ctx),
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await adapterOf(db).release();
      await db.destroy();
    },
  };
}
