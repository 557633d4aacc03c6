import { createInterface } from "node:readline/promises";
import { wantsColor } from "./color.js";

/** Everything a command touches outside itself, so tests can run the CLI in-process and read its output. */
export interface Io {
  /** Writes to stdout (text is written as given: callers add the newline). */
  out(text: string): void;
  /** Writes to stderr. */
  err(text: string): void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Colour stdout's and stderr's text (a terminal with colours, no NO_COLOR); plain when absent. */
  readonly color?: { out: boolean; err: boolean };
  /** Asks a yes/no question; absent when nobody can answer (stdin is not a terminal). */
  confirm?: (question: string) => Promise<boolean>;
  /** Ends long-running commands (`logs --follow`) cleanly when aborted. */
  signal?: AbortSignal;
}

export function processIo(): Io {
  const io: Io = {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    color: { out: wantsColor(process.stdout, process.env), err: wantsColor(process.stderr, process.env) },
  };
  if (process.stdin.isTTY && process.stderr.isTTY) {
    io.confirm = async (question) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
      } finally {
        rl.close();
      }
    };
  }
  return io;
}
