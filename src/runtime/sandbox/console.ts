// console.* inside the isolate: formats like node's console and sends each line to the host, which
// attributes it to the activation and enforces the log limits. We stop sending once a limit is passed
// (the host has flagged the truncation by then) so giant logs cost the host nothing.

export interface LogSink {
  send(activationId: string, level: string, message: string): void;
  logLines: number;
  logBytes: number;
}

interface Budget {
  lines: number;
  bytes: number;
}

const budgets = new Map<string, Budget>();
let sink: LogSink | undefined;
/** The activation whose code is running; exact with concurrency 1, best effort above that. */
let current = "";

export function installLogSink(value: LogSink): void {
  sink = value;
}
export function enterActivation(id: string): void {
  current = id;
  budgets.set(id, { lines: 0, bytes: 0 });
}
/** The activation whose code ran last: what global functions (console, fetch) attribute their work to. */
export function currentActivation(): string {
  return current;
}
export function leaveActivation(id: string): void {
  budgets.delete(id);
}

function format(args: unknown[]): string {
  return args
    .map((arg) => {
      if (typeof arg === "string") return arg;
      if (arg instanceof Error) return arg.stack ?? `${arg.name}: ${arg.message}`;
      try {
        const json = JSON.stringify(arg);
        return json === undefined ? String(arg) : json;
      } catch {
        return String(arg);
      }
    })
    .join(" ");
}

export function write(activationId: string, level: string, args: unknown[]): void {
  const budget = budgets.get(activationId);
  if (!sink || !budget) return;
  if (budget.lines > sink.logLines || budget.bytes > sink.logBytes) return;
  let message = format(args);
  if (message.length > sink.logBytes) message = message.slice(0, sink.logBytes + 1);
  budget.lines += 1;
  budget.bytes += message.length;
  sink.send(activationId, level, message);
}

export type ConsoleLike = Record<
  "log" | "info" | "warn" | "error" | "debug" | "trace",
  (...args: unknown[]) => void
>;

export function consoleFor(activationId: () => string): ConsoleLike {
  return {
    log: (...args) => write(activationId(), "log", args),
    info: (...args) => write(activationId(), "info", args),
    warn: (...args) => write(activationId(), "warn", args),
    error: (...args) => write(activationId(), "error", args),
    debug: (...args) => write(activationId(), "debug", args),
    trace: (...args) => write(activationId(), "debug", args),
  };
}

export const globalConsole = consoleFor(() => current);
