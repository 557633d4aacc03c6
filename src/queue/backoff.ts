const MAX_DELAY_MS = 3_600_000;

/** Exponential backoff: the n-th retry (n from 1) waits initialMs × 2^(n-1), at most an hour. */
export function backoffMs(initialMs: number, retry: number): number {
  return Math.min(MAX_DELAY_MS, initialMs * 2 ** Math.max(0, retry - 1));
}
