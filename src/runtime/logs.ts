import type { LogLine } from "../model/activation.js";

const LEVELS = new Set<LogLine["level"]>(["debug", "info", "warn", "error", "log"]);

/** Collects one activation's log lines up to the limits; what does not fit is dropped and flagged. */
export class LogCollector {
  readonly lines: LogLine[] = [];
  truncated = false;
  #bytes = 0;

  constructor(
    private readonly maxLines: number,
    private readonly maxBytes: number,
  ) {}

  add(level: string, message: unknown): void {
    if (this.truncated) return;
    const msg = typeof message === "string" ? message : String(message);
    if (this.lines.length >= this.maxLines || this.#bytes + msg.length > this.maxBytes) {
      this.truncated = true;
      const room = this.maxBytes - this.#bytes;
      if (this.lines.length < this.maxLines && room > 0) this.push(level, msg.slice(0, room));
      return;
    }
    this.push(level, msg);
  }

  private push(level: string, msg: string): void {
    this.#bytes += msg.length;
    this.lines.push({
      t: Date.now(),
      level: LEVELS.has(level as LogLine["level"]) ? (level as LogLine["level"]) : "log",
      msg,
    });
  }
}
