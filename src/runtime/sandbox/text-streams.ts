// TextEncoderStream and TextDecoderStream (Encoding Standard §7): TransformStreams over TextEncoder and a
// streaming TextDecoder. Built on first use, once the streams polyfill is loaded.
import { TextDecoder, utf8Encode } from "./encoding.js";
import { streams } from "./streams.js";

let made: { TextEncoderStream: unknown; TextDecoderStream: unknown } | undefined;

export function textStreams(): { TextEncoderStream: unknown; TextDecoderStream: unknown } {
  if (made) return made;
  const { TransformStream } = streams();

  class TextEncoderStream extends TransformStream<unknown, Uint8Array> {
    constructor() {
      // A lead surrogate at the end of a chunk waits for the next chunk's trail surrogate.
      let pending = "";
      super({
        transform(chunk, controller) {
          let text = pending + String(chunk);
          pending = "";
          const last = text.charCodeAt(text.length - 1);
          if (last >= 0xd800 && last <= 0xdbff) {
            pending = text.slice(-1);
            text = text.slice(0, -1);
          }
          if (text) controller.enqueue(utf8Encode(text));
        },
        flush(controller) {
          if (pending) controller.enqueue(utf8Encode(pending));
        },
      });
    }
    get encoding(): string {
      return "utf-8";
    }
  }

  class TextDecoderStream extends TransformStream<unknown, string> {
    readonly #decoder: TextDecoder;
    constructor(label: string = "utf-8", options: { fatal?: boolean; ignoreBOM?: boolean } = {}) {
      const decoder = new TextDecoder(label, options);
      super({
        transform(chunk, controller) {
          const text = decoder.decode(chunk as Uint8Array, { stream: true });
          if (text) controller.enqueue(text);
        },
        flush(controller) {
          const text = decoder.decode();
          if (text) controller.enqueue(text);
        },
      });
      this.#decoder = decoder;
    }
    get encoding(): string {
      return this.#decoder.encoding;
    }
    get fatal(): boolean {
      return this.#decoder.fatal;
    }
    get ignoreBOM(): boolean {
      return this.#decoder.ignoreBOM;
    }
  }

  made = { TextEncoderStream, TextDecoderStream };
  return made;
}
