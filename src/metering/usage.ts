import type { Pricing } from "../config.js";
import type { UsageRow } from "../store/records.js";

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
