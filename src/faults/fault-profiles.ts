import { RunletError } from "../errors.js";
import { isName } from "../functions/names.js";
import type { FaultPlan, FaultProfile } from "../model/fault.js";
import type { Store } from "../store/store.js";
import { normalizeFaultRules } from "./rules.js";

function notFound(name: string): RunletError {
  return new RunletError(
    "RUNLET_ERR_FAULT_PROFILE_NOT_FOUND",
    `there is no fault profile ${JSON.stringify(name.slice(0, 80))}; create it with PUT …/faults/${isName(name) ? name : "{profile}"} (runlet faults set) or list them with runlet faults list`,
  );
}

/** An account's fault profiles (…/faults/{profile}), and the plan an invocation that names one carries. */
export class FaultProfiles {
  constructor(private readonly store: Pick<Store, "faultProfiles">) {}

  list(account: string): Promise<FaultProfile[]> {
    return this.store.faultProfiles.list(account);
  }

  async get(account: string, name: string): Promise<FaultProfile> {
    const profile = isName(name) ? await this.store.faultProfiles.get(account, name) : undefined;
    if (!profile) throw notFound(name);
    return profile;
  }

  /** Creates or replaces the profile; answers it with its rules normalised. */
  async set(account: string, name: string, rules: unknown): Promise<FaultProfile> {
    const profile = { account, name, rules: normalizeFaultRules(rules), updatedAt: Date.now() };
    await this.store.faultProfiles.put(profile);
    return profile;
  }

  async delete(account: string, name: string): Promise<void> {
    if (!(await this.store.faultProfiles.delete(account, name))) throw notFound(name);
  }

  /** The rules `X-Runlet-Faults: <name>` puts on an invocation, as they are now (404 if there is none). */
  async plan(account: string, name: string): Promise<FaultPlan> {
    const { rules } = await this.get(account, name.trim());
    return { profile: name.trim(), rules };
  }
}
