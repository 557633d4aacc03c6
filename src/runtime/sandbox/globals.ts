// Installs the web-standard globals of DESIGN §2 on the isolate's global object (README lists them).
// Each is an accessor that loads its module on first use and then replaces itself with the plain value.
import { installSyncBridge } from "./bridge.js";
import { currentActivation } from "./console.js";
import { load } from "./lazy.js";
import { installLibLoader } from "./libs.js";

const timeOrigin = Date.now();

const GLOBALS: Record<string, () => unknown> = {
  fetch: () => load.fetch().fetchFor(currentActivation),
  Headers: () => load.web().Headers,
  Request: () => load.web().Request,
  Response: () => load.web().Response,
  FormData: () => load.blob().FormData,
  Blob: () => load.blob().Blob,
  File: () => load.blob().File,
  URL: () => load.url().urlClass(),
  URLSearchParams: () => load.url().searchParamsClass(),
  TextEncoder: () => load.encoding().TextEncoder,
  TextDecoder: () => load.encoding().TextDecoder,
  TextEncoderStream: () => load.textStreams().textStreams().TextEncoderStream,
  TextDecoderStream: () => load.textStreams().textStreams().TextDecoderStream,
  atob: () => load.encoding().atob,
  btoa: () => load.encoding().btoa,
  structuredClone: () => load.clone().structuredClone,
  AbortController: () => load.events().AbortController,
  AbortSignal: () => load.events().AbortSignal,
  DOMException: () => load.events().DOMException,
  Event: () => load.events().Event,
  EventTarget: () => load.events().EventTarget,
  crypto: () => load.crypto().crypto,
  CryptoKey: () => load.crypto().CryptoKey,
  __runlet_crypto: () => load.crypto().cryptoInternals,
  // Millisecond resolution on purpose (as in other isolate runtimes): no fine timer for side channels.
  performance: () => Object.freeze({ timeOrigin, now: () => Date.now() - timeOrigin }),
  navigator: () => Object.freeze({ userAgent: "Runlet" }),
};
// Listed here rather than read from streams.ts, so that module (and the polyfill) load only on first use.
const STREAM_GLOBALS = [
  "ReadableStream",
  "ReadableStreamDefaultReader",
  "ReadableStreamBYOBReader",
  "ReadableStreamDefaultController",
  "ReadableByteStreamController",
  "WritableStream",
  "WritableStreamDefaultWriter",
  "WritableStreamDefaultController",
  "TransformStream",
  "TransformStreamDefaultController",
  "ByteLengthQueuingStrategy",
  "CountQueuingStrategy",
] as const;
for (const name of STREAM_GLOBALS) GLOBALS[name] = () => load.streams().streams()[name];

export function installWebGlobals(host: RunletHostBindings): void {
  installSyncBridge(host);
  installLibLoader();
  const g = globalThis as unknown as Record<string, unknown>;
  const settle = (name: string, value: unknown) =>
    Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
  for (const [name, make] of Object.entries(GLOBALS)) {
    Object.defineProperty(g, name, {
      configurable: true,
      enumerable: false,
      get() {
        const value = make();
        settle(name, value);
        return value;
      },
      set(value: unknown) {
        settle(name, value);
      },
    });
  }
  settle("self", globalThis);
}
