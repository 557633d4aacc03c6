// Web streams (ReadableStream, WritableStream, TransformStream and friends) from web-streams-polyfill, the
// WHATWG reference implementation packaged as a ponyfill. Loaded on first use: the prelude stays small for
// the many functions that never touch a stream (esbuild wraps a `require`d module in a lazy initialiser).
import type * as Polyfill from "web-streams-polyfill";

declare const require: (id: "web-streams-polyfill") => typeof Polyfill;

export type Streams = typeof Polyfill;
let loaded: Streams | undefined;

export function streams(): Streams {
  loaded ??= require("web-streams-polyfill");
  return loaded;
}

/** Whether `value` is a ReadableStream, without loading the polyfill when no stream was ever made. */
export function isReadableStream(value: unknown): value is ReadableStreamLike {
  return loaded !== undefined && value instanceof loaded.ReadableStream;
}

export type ReadableStreamLike = InstanceType<Streams["ReadableStream"]>;

/** A ReadableStream of one chunk of bytes. */
export function streamOf(bytes: Uint8Array): ReadableStreamLike {
  return new (streams().ReadableStream)({
    start(controller) {
      if (bytes.byteLength > 0) controller.enqueue(bytes);
      controller.close();
    },
  });
}

/** Reads a stream of byte chunks (or strings) to its end. */
export async function readAll(
  stream: ReadableStreamLike,
  encode: (text: string) => Uint8Array,
): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const chunk = toChunk(value, encode);
    chunks.push(chunk);
    size += chunk.byteLength;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

export function toChunk(value: unknown, encode: (text: string) => Uint8Array): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === "string") return encode(value);
  throw new TypeError("a body stream chunk must be a Uint8Array (or other bytes)");
}
