// The host's half of bounding host-call arguments (the isolate's half is sandbox/gate.ts, which measures
// them before the copy): what arrives is untrusted, so its types and sizes are checked again here, after
// the copy and before use, and the JSON text is parsed here, never trusted as an object.
import { HostCallError, type BlobArgument } from "./host-ops.js";

/** Longest JSON text of an operation's arguments besides its blob (a URL and headers, a key, options). */
export const ARGS_CHARS = 256 * 1024;

/** What the gate passed on: `json` is null when it refused the call for its size. */
export interface RawArguments {
  json: unknown;
  blob: unknown;
  jsonSize: unknown;
  blobSize: unknown;
}

const copiedNothing = "nothing was copied out of the function";

function sizeOf(blob: unknown): number {
  if (blob === null) return 0;
  if (typeof blob === "string") return blob.length;
  return blob instanceof ArrayBuffer ? blob.byteLength : -1;
}

function tooLarge(op: string, spec: BlobArgument | undefined, size: number): HostCallError {
  const max = spec?.max ?? 0;
  const what = spec ? spec.what : `${op}: an argument`;
  return new HostCallError(
    "RUNLET_ERR_PAYLOAD_TOO_LARGE",
    `${what} is ${size} ${spec?.unit ?? "characters"}, over the limit of ${max}; ${copiedNothing}; send less`,
    spec?.errorName ?? "RangeError",
  );
}

/** The arguments an operation gets, or a HostCallError the function's call rejects with. */
export function hostArguments(op: string, raw: RawArguments, spec: BlobArgument | undefined): unknown {
  const { json, blob } = raw;
  const jsonSize = typeof json === "string" ? json.length : Number(raw.jsonSize);
  if (typeof json !== "string" || jsonSize > ARGS_CHARS) {
    if (jsonSize > ARGS_CHARS) {
      throw new HostCallError(
        "RUNLET_ERR_PAYLOAD_TOO_LARGE",
        `${op}: its arguments are ${jsonSize} characters as JSON, over the limit of ${ARGS_CHARS}; ${copiedNothing}`,
        spec?.errorName ?? "RangeError",
      );
    }
    const blobSize = Number(raw.blobSize);
    if (json === null && Number.isFinite(blobSize) && blobSize > (spec?.max ?? 0)) {
      throw tooLarge(op, spec, blobSize);
    }
    throw bad(op, "its arguments are not JSON text");
  }
  const blobSize = sizeOf(blob);
  if (blobSize < 0) throw bad(op, "its large argument must be a string or an ArrayBuffer");
  if (blobSize > (spec?.max ?? 0)) throw tooLarge(op, spec, blobSize);
  let args: unknown;
  try {
    args = JSON.parse(json);
  } catch {
    throw bad(op, "its arguments are not valid JSON");
  }
  if (!spec) return args;
  if (spec.field === "") return blob;
  const fields = typeof args === "object" && args !== null && !Array.isArray(args) ? args : {};
  return { ...fields, [spec.field]: blob };
}

function bad(op: string, why: string): HostCallError {
  return new HostCallError("RUNLET_ERR_BAD_REQUEST", `${op}: ${why}`, "TypeError");
}
