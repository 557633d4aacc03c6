// A web function's streamed response body on the host side. The sandbox sends the head
// ("response.start") and then each chunk ("response.write", answered once the client side has room:
// backpressure, so a fast producer never piles bytes up in the host). The gateway pipes `body` to the
// client; the instance ends it when the invocation succeeds, and destroys it (the client sees a cut
// response) when the invocation fails or runs past its deadline.
import { PassThrough } from "node:stream";
import type { Failed } from "../outcomes.js";
import { checkHead } from "./answer-check.js";
import { HostCallError } from "./host-ops.js";

/** A property of an untrusted copy from the isolate, or undefined when it is not an object. */
function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

export interface StreamHead {
  status: number;
  headers: [string, string][];
  body: PassThrough;
}

/** Answers the ops "response.start" and "response.write" of one invocation. */
export class ResponseStream {
  #body: PassThrough | undefined;

  /** Why the head was refused (answer-check.ts): the invocation's outcome, whatever it answers later. */
  refusal: Pick<Failed, "status" | "code" | "message"> | undefined;

  constructor(private readonly onStart: (head: StreamHead) => void) {}

  get started(): boolean {
    return this.#body !== undefined;
  }

  async call(op: string, args: unknown): Promise<unknown> {
    if (op === "response.start") {
      if (this.#body)
        throw new HostCallError("RUNLET_ERR_INVALID_RESULT", "the response has already started");
      const head = checkHead(field(args, "status"), field(args, "headers"));
      if ("code" in head) {
        // The whole invocation fails with this, whatever the function does after catching it.
        this.refusal = head;
        throw new HostCallError(head.code, head.message);
      }
      this.#body = new PassThrough({ highWaterMark: 64 * 1024 });
      this.onStart({ status: head.status, headers: head.headers, body: this.#body });
      return null;
    }
    const body = this.#body;
    if (!body) throw new HostCallError("RUNLET_ERR_INVALID_RESULT", "the response has not started");
    if (body.destroyed)
      throw new HostCallError("RUNLET_ERR_CLIENT_CLOSED", "the client closed the connection");
    const chunk = args instanceof ArrayBuffer ? Buffer.from(args) : undefined;
    if (!chunk) throw new HostCallError("RUNLET_ERR_INVALID_RESULT", "a response chunk must be bytes");
    if (body.write(chunk)) return null;
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        body.off("drain", done);
        body.off("close", done);
        if (body.destroyed)
          reject(new HostCallError("RUNLET_ERR_CLIENT_CLOSED", "the client closed the connection"));
        else resolve();
      };
      body.on("drain", done);
      body.on("close", done);
    });
    return null;
  }

  /** The invocation succeeded: the body is complete. */
  end(): void {
    if (this.#body && !this.#body.destroyed) this.#body.end();
  }

  /** The invocation failed or timed out: cut the response (the client sees it incomplete). */
  destroy(reason: string): void {
    if (this.#body && !this.#body.destroyed) this.#body.destroy(new Error(reason));
  }
}
