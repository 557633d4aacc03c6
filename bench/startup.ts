// Startup: time from spawning `node --no-node-snapshot dist/main.js` (fresh data dir, example function
// enabled) to GET /readyz answering 200, median of several runs; the baseline is the same measurement for a
// bare node process that starts a node:http server.
import { errorMessage, type BenchOutcome } from "./lib/report.js";
import { cleanEnv, startChild } from "./lib/children.js";
import { fmtMs, fmtRatio, printTable } from "./lib/format.js";
import { HOST, freePort, waitFor200 } from "./lib/http.js";
import { startRunlet } from "./lib/runlet.js";
import { startupRuns } from "./lib/settings.js";
import { median } from "./lib/stats.js";
import { runStandalone } from "./lib/standalone.js";

const TARGET_MS = 2000;
const POLL_MS = 5;

const BARE_SERVER = `require("node:http").createServer((q, s) => s.end("ok")).listen(Number(process.argv[1]), "${HOST}")`;

async function bareNodeReadyMs(): Promise<number> {
  const port = await freePort();
  const spawnedAt = performance.now();
  const child = startChild(
    "bare node",
    process.execPath,
    ["--no-node-snapshot", "-e", BARE_SERVER, String(port)],
    {
      env: cleanEnv(),
    },
  );
  try {
    const readyAt = await waitFor200(`http://${HOST}:${port}/`, {
      child,
      intervalMs: POLL_MS,
      timeoutMs: 10_000,
    });
    return readyAt - spawnedAt;
  } finally {
    await child.stop();
  }
}

export async function startup(): Promise<BenchOutcome> {
  const runs = startupRuns();
  console.log(`\n== startup: spawn → /readyz 200, ${runs} runs, fresh data dir, example function enabled`);
  const runletMs: number[] = [];
  const bareMs: number[] = [];
  const errors: string[] = [];
  for (let i = 0; i < runs; i++) {
    try {
      bareMs.push(await bareNodeReadyMs());
    } catch (err) {
      errors.push(`bare node: ${errorMessage(err)}`);
    }
    try {
      const runlet = await startRunlet({ example: true, pollMs: POLL_MS });
      runletMs.push(runlet.readyMs);
      await runlet.stop();
    } catch (err) {
      errors.push(`run ${i + 1}: ${errorMessage(err)}`);
      break;
    }
  }
  const runlet = median(runletMs);
  const bare = median(bareMs);
  const list = (values: number[]): string => values.map((v) => v.toFixed(0)).join(", ");
  printTable(
    "startup (spawn → first 200)",
    ["process", "median", "ratio", "runs (ms)"],
    [
      ["bare node + node:http server", fmtMs(bare), fmtRatio(1), list(bareMs)],
      ["Runlet dist/main.js → /readyz", fmtMs(runlet), fmtRatio(runlet / bare), list(runletMs)],
    ],
  );
  return {
    name: "startup",
    rows: [
      {
        measurement: "bare node process → node:http answering: median",
        value: fmtMs(bare),
        ratio: fmtRatio(1),
      },
      {
        measurement: `spawn → /readyz 200: median of ${runletMs.length}`,
        value: fmtMs(runlet),
        ratio: fmtRatio(runlet / bare),
        target: `≤ ${TARGET_MS / 1000} s`,
        met: runletMs.length ? runlet <= TARGET_MS : undefined,
      },
    ],
    errors,
    data: { runletMs, bareMs, medianMs: runlet, bareMedianMs: bare },
  };
}

await runStandalone(import.meta.url, startup);
