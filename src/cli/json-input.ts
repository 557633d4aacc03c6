import { readFileSync } from "node:fs";
import path from "node:path";
import { usageError } from "./cli-error.js";

/**
 * JSON text from `--data` or `--data-file` ("{}" when neither is given), validated here so a typo fails
 * before any request. `example` is shown in the hint when the text is not JSON.
 */
export function readJsonInput(
  options: { data?: string; dataFile?: string },
  cwd: string,
  example: string,
): string {
  if (options.data !== undefined && options.dataFile !== undefined) {
    throw usageError("use either --data or --data-file, not both");
  }
  let text = options.data ?? "{}";
  let origin = "--data";
  if (options.dataFile !== undefined) {
    origin = options.dataFile;
    try {
      text = readFileSync(path.resolve(cwd, options.dataFile), "utf8");
    } catch (err) {
      throw usageError(`cannot read ${options.dataFile}: ${(err as Error).message}`);
    }
  }
  try {
    JSON.parse(text);
  } catch (err) {
    throw usageError(
      `${origin} is not valid JSON: ${(err as Error).message}`,
      `quote the data for your shell, e.g. --data '${example}'`,
      "RUNLET_ERR_INVALID_JSON",
    );
  }
  return text;
}
