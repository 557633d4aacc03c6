// Knobs, from the environment. Every load phase lasts BENCH_SECONDS (default 8).

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

/** Duration of each measured load phase, in seconds (BENCH_SECONDS, default 8). */
export function loadSeconds(): number {
  return Math.max(1, positiveNumber("BENCH_SECONDS", 8));
}

/** Unmeasured load before each measured phase, in seconds (BENCH_WARMUP_SECONDS, default 2). */
export function warmupSeconds(): number {
  return positiveNumber("BENCH_WARMUP_SECONDS", 2);
}

/** Number of functions the cold-start benchmark deploys (BENCH_COLD_FUNCTIONS, default 200). */
export function coldFunctions(): number {
  return Math.max(1, Math.round(positiveNumber("BENCH_COLD_FUNCTIONS", 200)));
}

/** Number of platform starts the startup benchmark times (BENCH_STARTUP_RUNS, default 5). */
export function startupRuns(): number {
  return Math.max(1, Math.round(positiveNumber("BENCH_STARTUP_RUNS", 5)));
}
