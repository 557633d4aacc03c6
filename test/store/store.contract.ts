import { after, before, describe } from "node:test";
import type { Store } from "../../src/store/store.js";
import { auditContract, quotasContract, signingKeysContract } from "./contract/access.js";
import { accountsContract } from "./contract/accounts.js";
import { clusterContract } from "./contract/cluster.js";
import { activationsContract } from "./contract/activations.js";
import { activationFiltersContract } from "./contract/activation-filters.js";
import { activationLinksContract } from "./contract/activation-links.js";
import { activationTracesContract } from "./contract/activation-traces.js";
import { functionsContract } from "./contract/functions.js";
import { keysContract } from "./contract/keys.js";
import { lifecycleContract } from "./contract/lifecycle.js";
import { outcomeBucketsContract, statsContract } from "./contract/stats.js";
import { usageContract } from "./contract/usage.js";
import { versionAuthorsContract } from "./contract/version-authors.js";
import { rolloutsContract } from "./contract/rollouts.js";
import { budgetsContract } from "./contract/budgets.js";
import { allowlistsContract, kvContract, secretsContract } from "./contract/secrets-kv.js";
import { faultProfilesContract, recordingsContract } from "./contract/faults-recordings.js";

/**
 * The behaviour every Store must have, registered as node:test suites. `open` must reach the same
 * database each time it is called (the lifecycle tests open it again); tests isolate themselves by
 * working in fresh accounts.
 */
export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`store contract: ${name}`, () => {
    let opened: Store | undefined;
    const store = (): Store => {
      if (opened === undefined) throw new Error("the store did not open (see the before hook's error)");
      return opened;
    };

    before(async () => {
      opened = await open();
    });
    after(async () => {
      await opened?.close();
    });

    accountsContract(store);
    clusterContract(store);
    keysContract(store);
    functionsContract(store);
    versionAuthorsContract(store);
    activationsContract(store);
    activationLinksContract(store);
    activationFiltersContract(store);
    rolloutsContract(store);
    budgetsContract(store);
    activationTracesContract(store);
    usageContract(store);
    statsContract(store);
    outcomeBucketsContract(store);
    secretsContract(store);
    kvContract(store);
    allowlistsContract(store);
    faultProfilesContract(store);
    recordingsContract(store);
    auditContract(store);
    signingKeysContract(store);
    quotasContract(store);
    lifecycleContract(store, open);
  });
}
