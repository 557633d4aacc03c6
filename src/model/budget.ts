/**
 * A monthly spending budget of an account or of one of its functions, in the usage API's cost units
 * (GET …/usage: GB-seconds and invocations at the configured prices). Amounts are kept in millionths
 * of a unit, the usage API's own precision, so sums never drift.
 */
export interface Budget {
  account: string;
  /** The function it limits; absent: the whole account. */
  function?: string;
  /** Per calendar month (UTC), in millionths of a cost unit. */
  amountMicros: number;
  /** Percentages of the amount at which an alert fires, ascending (e.g. [50, 80, 100]). */
  thresholds: number[];
  /** At 100 %, further invocations are refused (429 RUNLET_ERR_BUDGET_EXCEEDED) until the month ends. */
  hardLimit: boolean;
  /** Where alerts are POSTed, signed (X-Runlet-Signature). */
  webhookUrl?: string;
  updatedAt: number;
}

/** A threshold a budget's spend crossed, once per month, budget amount and threshold. */
export interface BudgetAlert {
  id: string;
  account: string;
  function?: string;
  /** YYYY-MM (UTC). */
  period: string;
  threshold: number;
  amountMicros: number;
  /** What was spent when the threshold was seen crossed. */
  spentMicros: number;
  createdAt: number;
  /** How sending it to the budget's webhook went (absent: the budget has none). */
  delivery?: { status: "delivered" | "failed"; at: number; error?: string };
}
