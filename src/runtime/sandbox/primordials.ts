// The built-ins the prelude's answer path uses, captured when the prelude runs: before any tenant code,
// so a tenant that patches JSON, Array.prototype, Promise.prototype or Object.prototype later changes
// nothing of what the prelude sends the host (the "primordials" of Node's own internals). The host checks
// every answer anyway (src/runtime/answer-check.ts); this keeps an honest answer honest.

const bind = Function.prototype.bind;
const call = Function.prototype.call;
/** `method.call(self, ...args)` that no later patch of Function.prototype.call can reach. */
function uncurryThis<A extends unknown[], R>(method: (...args: A) => R): (self: unknown, ...args: A) => R {
  return bind.call(call, method) as (self: unknown, ...args: A) => R;
}

export const JSONParse = JSON.parse;
export const JSONStringify = JSON.stringify;
export const ArrayIsArray = Array.isArray;
export const ObjectFreeze = Object.freeze;
export const ObjectFromEntries = Object.fromEntries;
export const ObjectDefineProperty = Object.defineProperty;
export const ObjectSetPrototypeOf = Object.setPrototypeOf;
export const SafePromise = Promise;
export const SafeError = Error;
export const SafeTypeError = TypeError;
export const ArrayPrototypePush = uncurryThis(Array.prototype.push) as (
  self: unknown[],
  item: unknown,
) => number;
export const PromisePrototypeThen = uncurryThis(Promise.prototype.then) as <T>(
  self: Promise<T>,
  onFulfilled: (value: T) => void,
  onRejected: (reason: unknown) => void,
) => Promise<void>;

/**
 * The object (an envelope, a list) without a prototype: resolving a promise with it, or reading a key it
 * lacks, finds nothing a tenant put on Object.prototype or Array.prototype (a `then` there would
 * otherwise be called with the promise's resolve functions, and could answer instead of the prelude).
 */
export function bare<T extends object>(value: T): T {
  return ObjectSetPrototypeOf(value, null) as T;
}
