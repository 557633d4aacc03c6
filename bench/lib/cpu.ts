// CPU accounting from /proc (Linux; elsewhere every figure is NaN): how many cores the processes under test
// used during a load phase, and how many every other process on the machine used (the noise).
import { readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on every Linux this runs on

export interface CpuSnapshot {
  at: number;
  busyTicks: number;
  perPid: Map<number, number>;
}

function systemBusyTicks(): number {
  const fields = readFileSync("/proc/stat", "utf8")
    .split("\n", 1)[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  // user nice system idle iowait irq softirq steal guest guest_nice: busy = all but idle and iowait,
  // minus guest time (already counted in user).
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return user + nice + system + irq + softirq + steal;
}

function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]); // utime + stime, all threads
  } catch {
    return Number.NaN;
  }
}

export function cpuSnapshot(pids: number[]): CpuSnapshot | undefined {
  try {
    return {
      at: performance.now(),
      busyTicks: systemBusyTicks(),
      perPid: new Map(pids.map((pid) => [pid, processTicks(pid)])),
    };
  } catch {
    return undefined;
  }
}

export interface CpuUse {
  /** Cores used by each watched process. */
  perPid: Record<number, number>;
  /** Cores used by everything else on the machine (other people's work, the kernel, …). */
  other: number;
}

export function cpuUse(before: CpuSnapshot | undefined, after: CpuSnapshot | undefined): CpuUse | undefined {
  if (!before || !after) return undefined;
  const seconds = (after.at - before.at) / 1000;
  if (seconds <= 0) return undefined;
  const perPid: Record<number, number> = {};
  let ours = 0;
  for (const [pid, ticks] of after.perPid) {
    const delta = ticks - (before.perPid.get(pid) ?? Number.NaN);
    if (Number.isFinite(delta)) {
      perPid[pid] = delta / TICKS_PER_SECOND / seconds;
      ours += delta;
    }
  }
  const other = Math.max(0, (after.busyTicks - before.busyTicks - ours) / TICKS_PER_SECOND / seconds);
  return { perPid, other };
}
