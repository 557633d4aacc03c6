// setTimeout and friends: the host keeps the clock and calls back `fire(id)`; it only does so while an
// activation is in flight, so a timer never outlives the invocation's deadline.

type Callback = (...args: unknown[]) => void;
interface Timer {
  fn: Callback;
  args: unknown[];
  ms: number;
  repeat: boolean;
}

let host: Pick<RunletHostBindings, "setTimer" | "clearTimer"> | undefined;
const timers = new Map<number, Timer>();
let nextId = 1;

export function installTimerHost(value: Pick<RunletHostBindings, "setTimer" | "clearTimer">): void {
  host = value;
}

function schedule(fn: unknown, ms: unknown, args: unknown[], repeat: boolean): number {
  if (typeof fn !== "function") throw new TypeError("The callback must be a function");
  const delay = Math.max(repeat ? 1 : 0, Math.min(Number(ms) || 0, 2_147_483_647));
  const id = nextId++;
  timers.set(id, { fn: fn as Callback, args, ms: delay, repeat });
  host?.setTimer(id, delay);
  return id;
}

function clear(id: unknown): void {
  const key = Number(id);
  if (timers.delete(key)) host?.clearTimer(key);
}

export function fire(id: number): void {
  const timer = timers.get(id);
  if (!timer) return;
  if (timer.repeat) host?.setTimer(id, timer.ms);
  else timers.delete(id);
  timer.fn(...timer.args);
}

/** Forget every timer (the host dropped them when the last activation ended). */
export function clearAll(): void {
  timers.clear();
}

export const timerGlobals = {
  setTimeout: (fn: unknown, ms?: unknown, ...args: unknown[]) => schedule(fn, ms, args, false),
  setInterval: (fn: unknown, ms?: unknown, ...args: unknown[]) => schedule(fn, ms, args, true),
  clearTimeout: clear,
  clearInterval: clear,
  queueMicrotask: (fn: () => void) => {
    if (typeof fn !== "function") throw new TypeError("The callback must be a function");
    void Promise.resolve().then(fn);
  },
};
