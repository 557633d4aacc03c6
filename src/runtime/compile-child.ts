// A compile process (see compiler.ts): runs esbuild for the server, one upload at a time, so that a
// compile that takes too long or too much memory can be killed alone, esbuild's own process with it.
import { RunletError, type ErrorCode } from "../errors.js";
import { compileModule, type SourceInput } from "./compile.js";

export interface CompileRequest {
  id: number;
  input: SourceInput;
}

export type CompileReply =
  | { id: number; ok: true; code: string; sourceMap?: string }
  | { id: number; ok: false; code: ErrorCode; message: string };

// The server went away (even by SIGKILL): end this process group, esbuild's process included.
process.on("disconnect", () => {
  try {
    process.kill(-process.pid, "SIGKILL");
  } finally {
    process.exit(1);
  }
});

process.on("message", (request: CompileRequest) => {
  compileModule(request.input, { sourceMap: true }).then(
    (compiled) => process.send?.({ id: request.id, ok: true, ...compiled } satisfies CompileReply),
    (err: unknown) =>
      process.send?.({
        id: request.id,
        ok: false,
        code: err instanceof RunletError ? err.code : "RUNLET_ERR_PLATFORM",
        message: err instanceof Error ? err.message : String(err),
      } satisfies CompileReply),
  );
});
// Start esbuild's service now, so the first upload does not wait for it.
void compileModule({ source: "export default 0" }).finally(() => process.send?.({ ready: true }));
