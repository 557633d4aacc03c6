import { painter, type Paint } from "./color.js";
import { table } from "./format.js";
import type { Io } from "./io.js";

/** Shows progress only when a step is slow enough to wonder about. */
const PROGRESS_AFTER_MS = 300;

/**
 * Where a command's output goes. Results go to stdout (JSON with `--json`, compact text otherwise);
 * notes, progress and logs go to stderr so stdout stays pipeable.
 */
export class Output {
  readonly json: boolean;
  /** Colours for stdout's text (tables), and for notes on stderr. */
  readonly paint: Paint;
  readonly paintErr: Paint;
  readonly #io: Io;

  constructor(io: Io, json: boolean) {
    this.#io = io;
    this.json = json;
    this.paint = painter(!json && io.color?.out === true);
    this.paintErr = painter(io.color?.err === true);
  }

  /** An aligned table, coloured on a terminal. */
  table(headers: string[], rows: string[][]): string {
    return table(headers, rows, this.paint);
  }

  /** Prints `human()` in human mode, `value` as JSON with --json. */
  result(value: unknown, human: () => string | undefined): void {
    if (this.json) return this.data(value);
    const text = human();
    if (text !== undefined && text !== "") this.line(text);
  }

  data(value: unknown): void {
    this.#io.out(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Text as is, on stdout (CSV). */
  raw(text: string): void {
    this.#io.out(text);
  }

  line(text: string): void {
    this.#io.out(`${text}\n`);
  }

  /** A note on stderr, shown in human mode only. */
  note(text: string): void {
    if (!this.json) this.#io.err(`${text}\n`);
  }

  /** Runs `task`; if it is still running after a moment, says what it is doing on stderr. */
  async progress<T>(label: string, task: () => Promise<T>): Promise<T> {
    const timer = setTimeout(() => this.note(label), PROGRESS_AFTER_MS);
    timer.unref?.();
    try {
      return await task();
    } finally {
      clearTimeout(timer);
    }
  }
}
