/** Classic style: a top-level `function lambda(input, callback)`, answered through the callback. */
export const classicTs = `// A classic-style Runlet function (the hosted-lambda convention): answer with callback(error, result).
import type { ClassicCallback, ClassicInput } from "runlet";

function lambda(input: ClassicInput<{ name?: string }>, callback: ClassicCallback): void {
  console.log("payload:", JSON.stringify(input.payload));
  callback(null, { hello: input.payload?.name ?? "world", at: input.timestamp });
}
`;

export const classicJs = `// A classic-style Runlet function (the hosted-lambda convention): answer with callback(error, result).
/**
 * @param {{ timestamp: number, headers: { key: string, value: string }[], payload?: { name?: string } }} input
 * @param {(error: Error | null, result?: unknown) => void} callback
 */
function lambda(input, callback) {
  console.log("payload:", JSON.stringify(input.payload));
  callback(null, { hello: input.payload?.name ?? "world", at: input.timestamp });
}
`;
