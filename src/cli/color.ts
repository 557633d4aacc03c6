import { inspect } from "node:util";

/** The styles the CLI uses: bold headers, dim details, a colour per outcome. */
export type Style = "bold" | "dim" | "green" | "red" | "yellow" | "cyan";

/** Paints text in a style, or leaves it plain (piped output, NO_COLOR, a terminal without colours). */
export type Paint = (style: Style, text: string) => string;

export const plain: Paint = (_style, text) => text;
// node's own ANSI table; util.styleText would drop the codes again whenever stdout is not a terminal (tests).
const colored: Paint = (style, text) => {
  const [open, close] = inspect.colors[style] ?? [0, 0];
  return text === "" ? text : `\u001b[${open}m${text}\u001b[${close}m`;
};

export function painter(enabled: boolean): Paint {
  return enabled ? colored : plain;
}

/**
 * Whether to colour what goes to a stream: only a terminal that has colours, and never with NO_COLOR set
 * (node's hasColors() reads NO_COLOR, FORCE_COLOR and TERM).
 */
export function wantsColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return stream.isTTY === true && stream.hasColors?.() === true;
}

/** The colour of an activation status or outcome word. */
export function statusStyle(status: string): Style | undefined {
  if (status === "succeeded" || status === "deployed" || status === "delivered") return "green";
  if (status === "queued" || status === "running" || status === "pending" || status === "modified")
    return "yellow";
  if (/error|timeout|exceeded|rejected|failed/.test(status)) return "red";
  return undefined;
}
