import { after, before, describe } from "node:test";
import type { Store } from "../../src/store/store.js";
import { auditContract, quotasContract, signingKeysContract } from "./contract/access.js";
import { accountsContract } from "./contract/accounts.js";
import { clusterContract } from "./contract/cluster.js";
import { activationsContract } from "./contract/activations.js";
import { activationLinksContract } from "./contract/activation-links.js";
import { activationTracesContract } from "./contract/activation-traces.js";
import { functionsContract } from "./contract/functions.js";
import { keysContract } from "./contract/keys.js";
import { lifecycleContract } from "./contract/lifecycle.js";
import { outcomeBucketsContract, statsContract } from "./contract/stats.js";
import { usageContract } from "./contract/usage.js";
import { allowlistsContract, kvContract, secretsContract } from "./contract/secrets-kv.js";

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
    activationsContract(store);
    activationLinksContract(store);
    activationTracesContract(store);
    usageContract(store);
    statsContract(store);
    outcomeBucketsContract(store);
    secretsContract(store);
    kvContract(store);
    allowlistsContract(store);
    auditContract(store);
    signingKeysContract(store);
    quotasContract(store);
    lifecycleContract(store, open);
  });
}
