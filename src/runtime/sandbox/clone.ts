// structuredClone: the HTML structured-clone algorithm for the types functions pass around (primitives,
// plain objects, arrays, Date, RegExp, Map, Set, ArrayBuffer, typed arrays, DataView, Error, Blob),
// keeping shared and cyclic references; other objects become plain objects of their own enumerable
// properties. Functions and symbols throw a DataCloneError, as the spec says.
import { DOMException } from "./events.js";

const ERRORS: Record<string, ErrorConstructor> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
};

export function structuredClone<T>(value: T, _options?: unknown): T {
  const seen = new Map<object, unknown>();
  const fail = (what: string): never => {
    throw new DOMException(`${what} could not be cloned`, "DataCloneError");
  };
  const clone = (input: unknown): unknown => {
    if (typeof input === "symbol") return fail("a symbol");
    if (typeof input === "function") return fail(`function ${input.name || "(anonymous)"}`);
    if (typeof input !== "object" || input === null) return input;
    if (seen.has(input)) return seen.get(input);
    const remember = <V>(copy: V): V => {
      seen.set(input, copy);
      return copy;
    };
    if (input instanceof Date) return remember(new Date(input.getTime()));
    if (input instanceof RegExp) return remember(new RegExp(input.source, input.flags));
    if (input instanceof ArrayBuffer) return remember(input.slice(0));
    if (ArrayBuffer.isView(input)) {
      const buffer = clone(input.buffer) as ArrayBuffer;
      const View = input.constructor as new (b: ArrayBuffer, o: number, l: number) => ArrayBufferView;
      const length =
        input instanceof DataView ? input.byteLength : (input as unknown as { length: number }).length;
      return remember(new View(buffer, input.byteOffset, length));
    }
    if (input instanceof Map) {
      const copy = remember(new Map());
      for (const [k, v] of input) copy.set(clone(k), clone(v));
      return copy;
    }
    if (input instanceof Set) {
      const copy = remember(new Set());
      for (const v of input) copy.add(clone(v));
      return copy;
    }
    if (input instanceof Error) {
      const Ctor = ERRORS[input.name] ?? Error;
      const copy = remember(new Ctor(input.message));
      if (input.stack !== undefined) copy.stack = input.stack;
      if ("cause" in input) (copy as { cause?: unknown }).cause = clone(input.cause);
      return copy;
    }
    if (typeof (input as { _cloneForStructuredClone?: unknown })._cloneForStructuredClone === "function") {
      return remember((input as { _cloneForStructuredClone(): unknown })._cloneForStructuredClone());
    }
    if (input instanceof Boolean || input instanceof Number || input instanceof String) {
      return remember(Object(input.valueOf()));
    }
    if (Array.isArray(input)) {
      const copy = remember(new Array<unknown>(input.length));
      for (const key of Object.keys(input))
        (copy as unknown as Record<string, unknown>)[key] = clone(
          (input as unknown as Record<string, unknown>)[key],
        );
      return copy;
    }
    // Other objects (class instances included) clone as plain objects of their own enumerable properties.
    const copy = remember({} as Record<string, unknown>);
    for (const key of Object.keys(input)) copy[key] = clone((input as Record<string, unknown>)[key]);
    return copy;
  };
  if (arguments.length === 0) throw new TypeError("structuredClone: 1 argument required");
  return clone(value) as T;
}
