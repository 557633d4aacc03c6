// Sums a V8 CPU profile (.cpuprofile, from BENCH_RUNLET_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR") by
// function and by file, self time:
//   node --import tsx bench/profile-summary.ts DIR/CPU.….cpuprofile [rows]
// The profile samples the main thread's stack on a wall-clock timer, so a thread that is descheduled
// (preempted by the isolate thread it just woke, on a busy machine) counts as time in the function it was
// in: read it with `perf record -e cpu-clock` per thread when a native call looks expensive.
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file) {
  console.error("usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [rows]");
  process.exit(2);
}
const rows = Number(process.argv[3] ?? 40);
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const us = profile.timeDeltas[i] ?? 0;
  total += us;
  const frame = byId.get(id)?.callFrame;
  if (!frame) return;
  const url = (frame.url || "(native)").replace(/^file:\/\/.*?\/(node_modules|dist|src)\//, "$1/");
  const fn = `${frame.functionName || "(anonymous)"} ${url}:${frame.lineNumber + 1}`;
  const where = url.startsWith("node_modules/") ? url.split("/").slice(0, 2).join("/") : url;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  byFile.set(where, (byFile.get(where) ?? 0) + us);
});
const print = (title: string, map: Map<string, number>): void => {
  console.log(`\n${title}`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
    console.log(
      `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`,
    );
  }
};
console.log(`${(total / 1000).toFixed(0)} ms sampled`);
print("self time by function", byFunction);
print("self time by file (node_modules by package)", byFile);
