import type { Pricing } from "../config.js";
import type { ActivationRepository } from "../store/store.js";
import type { UsageFilter, UsageRow } from "../store/records.js";

export interface PricedUsage extends UsageRow {
  cost: number;
}

/** Cost of a usage row: GB-seconds and invocations at the configured prices, rounded to 1/1,000,000. */
export function price(row: UsageRow, pricing: Pricing): PricedUsage {
  const cost =
    row.gbSeconds * pricing.perGbSecond + (row.invocations / 1_000_000) * pricing.perMillionInvocations;
  return { ...row, gbSeconds: round(row.gbSeconds), cost: round(cost) };
}

function round(value: number): number {
  return Math.round(value * 1_000_000) / 1_000_000;
}

/** An account's usage over [from, to), priced, in total and optionally grouped (GET …/usage). */
export interface UsageReport {
  total: PricedUsage;
  groups?: PricedUsage[];
}

/** Metering: what an account's functions used and cost, summed from the activation records themselves. */
export class Usage {
  constructor(
    private readonly activations: Pick<ActivationRepository, "usage">,
    /** Writes pending activation records first, so a report counts every invocation answered so far. */
    private readonly flush: () => Promise<void>,
    readonly pricing: Pricing,
  ) {}

  async report(filter: Omit<UsageFilter, "groupBy">, groupBy?: UsageFilter["groupBy"]): Promise<UsageReport> {
    await this.flush();
    const [total] = await this.activations.usage(filter);
    const groups = groupBy ? await this.activations.usage({ ...filter, groupBy }) : undefined;
    return {
      total: price(total!, this.pricing),
      ...(groups ? { groups: groups.map((g) => price(g, this.pricing)) } : {}),
    };
  }
}
