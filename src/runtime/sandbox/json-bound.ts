// JSON.stringify with a budget. A value whose subtrees are shared expands exponentially when serialised (40
// levels of {a: node, b: node} is 2^40 leaves), and on V8 12.4+ (Node 22/24) the isolate's memory limit no
// longer stops the serialiser: it runs to the timeout while the host process grows by half a gigabyte.
// So every stringify here counts, through a replacer that V8 calls for each value it writes (after toJSON,
// so nothing of the tenant's runs twice), a lower bound of the text it is producing, and stops as soon as
// that passes the budget: the function's memoryMb for the global JSON.stringify (a longer text cannot fit
// in the isolate anyway), the response limit for the prelude's own result envelope. The host still checks
// the size of what it receives (src/runtime/answer-check.ts).
import { ArrayIsArray, JSONStringify, ObjectDefineProperty } from "./primordials.js";

const apply = Reflect.apply;
const OriginalRangeError = RangeError;
const OriginalString = String;
const OriginalNumber = Number;
const setAdd = Set.prototype.add;
const setHas = Set.prototype.has;
const OriginalSet = Set;

/** Thrown when the text would pass the budget; the partial text is never built. */
export class JsonBudgetExceeded extends OriginalRangeError {
  constructor(readonly budget: number) {
    super(`JSON text over ${budget} characters`);
  }
}

type Replacer = ((this: unknown, key: string, value: unknown) => unknown) | readonly unknown[] | null;

/** An array replacer as the spec reads it: the distinct property names it lists, in order. */
function propertyList(list: readonly unknown[]): string[] {
  const names: string[] = [];
  const seen = new OriginalSet<string>();
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    let name: string | undefined;
    if (typeof item === "string") name = item;
    else if (typeof item === "number") name = OriginalString(item);
    else if (item instanceof OriginalString || item instanceof OriginalNumber) name = OriginalString(item);
    if (name !== undefined && !apply(setHas, seen, [name])) {
      apply(setAdd, seen, [name]);
      names[names.length] = name;
    }
  }
  return names;
}

/**
 * JSON.stringify(value, replacer, space) that throws JsonBudgetExceeded once the text would be longer
 * than `budget` characters. The same text as the built-in otherwise.
 */
export function boundedStringify(
  value: unknown,
  budget: number,
  replacer?: Replacer,
  space?: unknown,
): string {
  const fn = typeof replacer === "function" ? replacer : undefined;
  const list = !fn && ArrayIsArray(replacer) ? propertyList(replacer) : undefined;
  // The root comes in a holder {"": value} whose key is never written: start below zero by what it adds.
  let used = -4;
  function count(this: unknown, key: string, v: unknown): unknown {
    if (fn) v = apply(fn, this, [key, v]);
    const type = typeof v;
    if (type === "undefined" || type === "function" || type === "symbol") return v; // written as nothing
    // What this value adds at least: a comma, and in an object its quoted key and the colon.
    used += ArrayIsArray(this) ? 1 : key.length + 4;
    if (type === "string") used += (v as string).length;
    else if (type === "object" && v !== null && list && !ArrayIsArray(v)) {
      // The spec's property list: only these names, in this order (a copy, so V8 walks just them).
      const picked: Record<string, unknown> = {};
      for (let i = 0; i < list.length; i++) {
        const name = list[i]!;
        ObjectDefineProperty(picked, name, {
          value: (v as Record<string, unknown>)[name],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      v = picked;
    }
    if (used > budget) throw new JsonBudgetExceeded(budget);
    return v;
  }
  return JSONStringify(value, count, space as string | number | undefined);
}

/**
 * Replaces the global JSON.stringify with the bounded one (budget: the function's memory). Past it, the
 * host is told (the instance ends as resource_exceeded) and the call throws a RangeError.
 */
export function installJsonBound(memoryBytes: number, exceeded: () => void): void {
  const stringify = {
    stringify(value: unknown, replacer?: Replacer, space?: unknown): string {
      try {
        return boundedStringify(value, memoryBytes, replacer, space);
      } catch (err) {
        if (!(err instanceof JsonBudgetExceeded)) throw err;
        exceeded();
        throw new OriginalRangeError(
          `JSON.stringify: the text would not fit in the function's memory (${memoryBytes / 1048576} MB)`,
        );
      }
    },
  }.stringify;
  ObjectDefineProperty(JSON, "stringify", { value: stringify, writable: true, configurable: true });
}
