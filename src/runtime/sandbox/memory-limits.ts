// Memory outside the V8 heap counts against the function's memoryMb: WebAssembly memories and resizable
// ArrayBuffers / growable SharedArrayBuffers. V8 commits their pages itself, so neither the isolate's
// memory limit nor its heap statistics see them (DESIGN §3 "Wasm and other backing stores"). Every such
// store reserves its *maximum* here when it is made (wasm code grows a memory with `memory.grow` without
// asking JavaScript, so only its maximum bounds it), and the reservations of the live ones together stay
// within memoryMb; a collected store gives its reservation back. What would go past it is refused, and the
// host is told to end the instance as resource_exceeded. The host process caps every single memory too
// (--wasm-max-mem-pages, src/runtime/ivm.ts), which holds even if this file is ever subverted.
import { PAGE, rewriteMemories, WasmBinaryError, type DefinedMemories } from "./wasm-module.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- the WebAssembly API has no typings in ES2022 */
type Ctor = new (...args: any[]) => any;
interface WasmNamespace {
  Module: Ctor & Record<string, unknown>;
  Instance: Ctor;
  Memory: Ctor;
  CompileError: Ctor;
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(source: unknown, imports?: unknown): Promise<any>;
}

// Captured before any tenant code runs.
const apply = Reflect.apply;
const construct = Reflect.construct;
const defineProperty = Object.defineProperty;
const getOwnPropertyDescriptors = Object.getOwnPropertyDescriptors;
const isView = ArrayBuffer.isView;
const OriginalArrayBuffer = ArrayBuffer;
const OriginalUint8Array = Uint8Array;
const OriginalWeakMap = WeakMap;
const OriginalMap = Map;
const OriginalWeakRef = WeakRef;
const deref = WeakRef.prototype.deref;
const mapSet = Map.prototype.set;
const mapDelete = Map.prototype.delete;
const mapForEach = Map.prototype.forEach;
const OriginalRangeError = RangeError;
const OriginalTypeError = TypeError;
const OriginalPromise = Promise;
const resolved = Promise.resolve;
const rejected = Promise.reject;
const keys = Object.keys;
const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const weakGet = WeakMap.prototype.get;
const weakSet = WeakMap.prototype.set;
const OriginalFloat64Array = Float64Array;
const OriginalBigInt = BigInt;
const OriginalString = String;
const OriginalBoolean = Boolean;
const floor = Math.floor;
const min = Math.min;
const max = Math.max;
const round = Math.round;
const byteLengthOf = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength")!.get!;
const toNumber = Number;
const MiB = 1024 * 1024;

let budget = 0;
let reserved = 0;
let report: () => void = () => undefined;
/** V8's `gc`, captured and removed from the global object (the host sets --expose-gc: ivm.ts). */
let collect: (() => void) | undefined;

/**
 * One reservation: given back once no object that can keep its pages alive is left (the memory, its
 * buffers, an instance and its exports), as seen after a garbage collection. Made of own properties only
 * (object literals define, never set), held in a Map through captured methods: nothing a tenant patches
 * on a prototype is on this path.
 */
interface Share {
  bytes: number;
  refs: { ref: WeakRef<object>; next: unknown } | null;
}
const shares = new OriginalMap<Share, true>();
const registered = new OriginalWeakMap<object, Share>();

function hold(holder: object, share: Share): void {
  if (apply(weakGet, registered, [holder]) !== undefined) return;
  apply(weakSet, registered, [holder, share]);
  share.refs = { ref: new OriginalWeakRef(holder), next: share.refs };
  apply(mapSet, shares, [share, true]);
}

/** Gives back the reservations whose holders are all collected. */
function sweep(): void {
  apply(mapForEach, shares, [
    (_: true, share: Share) => {
      for (let node = share.refs; node; node = node.next as Share["refs"])
        if (apply(deref, node.ref, []) !== undefined) return;
      apply(mapDelete, shares, [share]);
      reserved -= share.bytes;
    },
  ]);
}

function mib(bytes: number): string {
  return `${round((bytes / MiB) * 10) / 10} MiB`;
}

/** Refuses `bytes` more: the host ends the instance; the code sees a RangeError until then. */
function refuse(what: string, bytes: number): never {
  report();
  throw new OriginalRangeError(
    `${what} needs ${mib(bytes)} but only ${mib(budget - reserved)} of the function's memoryMb ` +
      `(${mib(budget)}) is left for WebAssembly memory and resizable buffers; declare a smaller maximum ` +
      `or raise memoryMb`,
  );
}

/**
 * Makes room for `bytes`, collecting garbage first if that is what it takes. Collect, then look: a WeakRef
 * looked into keeps its target alive until the current job ends.
 */
function fits(bytes: number): boolean {
  if (bytes <= budget - reserved) return true;
  if (collect) collect();
  sweep();
  return bytes <= budget - reserved;
}

function take(what: string, bytes: number): void {
  if (!fits(bytes)) refuse(what, bytes);
  reserved += bytes;
}

function pagesLeft(): number {
  return floor((budget - reserved) / PAGE);
}

/** A non-negative whole number from a tenant value, coerced once, here (so no tenant code runs later). */
function index(value: unknown, what: string): number {
  const n = typeof value === "bigint" ? toNumber(value) : toNumber(value);
  if (!(n >= 0) || n !== floor(n) || n === Infinity)
    throw new OriginalTypeError(`${what} must be a whole number ≥ 0`);
  return n;
}

function bytesOf(source: unknown): Uint8Array {
  if (source instanceof OriginalArrayBuffer) return new OriginalUint8Array(source);
  if (isView(source)) {
    const view = source as ArrayBufferView;
    return new OriginalUint8Array(view.buffer, view.byteOffset, view.byteLength);
  }
  throw new OriginalTypeError(
    "WebAssembly: the first argument must be an ArrayBuffer or a typed array of the module's bytes",
  );
}

/** Replaces `original` on `holder` with `wrapper`, keeping prototype, statics and `constructor` pointing at it. */
function replaceClass(holder: Record<string, unknown>, name: string, original: Ctor, wrapper: Ctor): void {
  const statics = getOwnPropertyDescriptors(original) as Record<string, PropertyDescriptor>;
  for (const key of Reflect.ownKeys(statics)) {
    if (key === "length" || key === "name") continue;
    defineProperty(wrapper, key, statics[key as string]!);
  }
  defineProperty(original.prototype, "constructor", {
    value: wrapper,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  defineProperty(wrapper, "name", { value: name, configurable: true });
  defineProperty(holder, name, { value: wrapper, writable: true, configurable: true, enumerable: false });
}

function installWasm(wasm: WasmNamespace): void {
  const { Module, Instance, Memory, CompileError } = wasm;
  const grow = Memory.prototype.grow as (delta: number) => number;
  const bufferOf = getOwnPropertyDescriptor(Memory.prototype, "buffer")!.get!;
  const exportsOf = getOwnPropertyDescriptor(Instance.prototype, "exports")!.get!;
  /** Bytes an instance of each module reserves (the maxima of the memories it defines). */
  const moduleBytes = new OriginalWeakMap<object, number>();
  /** The maximum (pages) each memory was made with here, what its maker declared, and its reservation. */
  const memories = new OriginalWeakMap<
    object,
    { clamped: number; declared: number | undefined; share: Share }
  >();

  const rewrite = (source: unknown): { bytes: Uint8Array; reserve: number } => {
    let reserve = 0;
    try {
      const out = rewriteMemories(bytesOf(source), (defined: DefinedMemories) => {
        // Compiling allocates nothing: only a module whose memories cannot fit even alone is refused here;
        // each instance reserves the maxima when it is made.
        let initials = 0;
        let wanted = 0;
        for (let i = 0; i < defined.count; i++) {
          const declared = defined.maximum[i]!;
          initials += defined.initial[i]!;
          wanted += declared === declared ? declared : Infinity; // NaN: no maximum declared
        }
        if (initials * PAGE > budget) refuse("the module's memory", initials * PAGE);
        fits(min(wanted * PAGE, budget)); // makes room if garbage holds it
        let left = max(pagesLeft(), initials);
        let later = initials;
        const maxima = new OriginalFloat64Array(defined.count);
        for (let i = 0; i < defined.count; i++) {
          const declared = defined.maximum[i]!;
          later -= defined.initial[i]!;
          maxima[i] = min(declared === declared ? declared : Infinity, left - later);
          left -= maxima[i]!;
          reserve += maxima[i]! * PAGE;
        }
        return maxima;
      });
      return { bytes: out, reserve };
    } catch (err) {
      if (err instanceof WasmBinaryError) throw new CompileError(`WebAssembly.Module(): ${err.message}`);
      throw err;
    }
  };
  const compileSync = (source: unknown, target: Ctor | undefined): object => {
    const { bytes, reserve } = rewrite(source);
    const module = construct(
      Module,
      [bytes],
      target === undefined || (target as unknown) === WasmModule ? Module : target,
    );
    apply(weakSet, moduleBytes, [module, reserve]);
    return module;
  };
  /** Instantiates synchronously, so nothing the tenant can patch (promises, species) runs in between. */
  const instantiateSync = (module: unknown, imports: unknown, target: Ctor | undefined): object => {
    const bytes =
      typeof module === "object" && module !== null
        ? (apply(weakGet, moduleBytes, [module]) as number | undefined)
        : undefined;
    if (bytes === undefined)
      throw new OriginalTypeError("WebAssembly.Instance(): the first argument must be a WebAssembly.Module");
    take("the module's memory", bytes);
    let instance: object;
    try {
      instance = construct(
        Instance,
        [module, imports],
        target === undefined || (target as unknown) === WasmInstance ? Instance : target,
      );
    } catch (err) {
      reserved -= bytes;
      throw err;
    }
    const share: Share = { bytes, refs: null };
    hold(instance, share);
    const exports = apply(exportsOf, instance, []) as Record<string, unknown>;
    const names = keys(exports);
    for (let i = 0; i < names.length; i++) {
      const value = exports[names[i]!];
      if ((typeof value !== "object" && typeof value !== "function") || value === null) continue;
      // Exported functions, tables and memories keep the instance's memories alive without the instance.
      hold(value, share);
      if (value instanceof Memory && apply(weakGet, memories, [value]) === undefined)
        apply(weakSet, memories, [value, { clamped: Infinity, declared: undefined, share }]);
    }
    return instance;
  };

  function WasmModule(this: unknown, source: unknown): object {
    if (new.target === undefined)
      throw new OriginalTypeError("WebAssembly.Module must be invoked with 'new'");
    return compileSync(source, new.target as unknown as Ctor);
  }
  WasmModule.prototype = Module.prototype;

  function WasmInstance(this: unknown, module: unknown, imports?: unknown): object {
    if (new.target === undefined)
      throw new OriginalTypeError("WebAssembly.Instance must be invoked with 'new'");
    return instantiateSync(module, imports, new.target as unknown as Ctor);
  }
  WasmInstance.prototype = Instance.prototype;

  function WasmMemory(this: unknown, descriptor: unknown): object {
    if (new.target === undefined)
      throw new OriginalTypeError("WebAssembly.Memory must be invoked with 'new'");
    if (typeof descriptor !== "object" || descriptor === null)
      throw new OriginalTypeError("WebAssembly.Memory(): the argument must be an object");
    // Every field read once, here: only plain numbers and strings reach V8's constructor.
    const d = descriptor as Record<string, unknown>;
    const rawInitial = d.initial;
    const rawMaximum = d.maximum;
    const address = d.address === undefined ? d.index : d.address;
    const shared = OriginalBoolean(d.shared);
    const wide = address !== undefined && OriginalString(address) === "i64";
    const initial = index(rawInitial, "WebAssembly.Memory(): initial");
    const declared =
      rawMaximum === undefined ? undefined : index(rawMaximum, "WebAssembly.Memory(): maximum");
    if (declared !== undefined && declared < initial)
      throw new OriginalRangeError("WebAssembly.Memory(): the maximum is below the initial size");
    if (!fits(initial * PAGE)) refuse("WebAssembly.Memory", initial * PAGE);
    fits(min((declared ?? Infinity) * PAGE, budget)); // makes room if garbage holds it
    const left = pagesLeft();
    const clamped = min(declared ?? Infinity, left);
    const big = (n: number): unknown => (wide && typeof rawInitial === "bigint" ? OriginalBigInt(n) : n);
    const clean: Record<string, unknown> = { initial: big(initial), maximum: big(clamped), shared };
    if (address !== undefined) clean[d.address !== undefined ? "address" : "index"] = wide ? "i64" : "i32";
    take("WebAssembly.Memory", clamped * PAGE);
    let memory: object;
    try {
      memory = construct(Memory, [clean], new.target === WasmMemory ? Memory : new.target);
    } catch (err) {
      reserved -= clamped * PAGE;
      throw err;
    }
    const share: Share = { bytes: clamped * PAGE, refs: null };
    hold(memory, share);
    apply(weakSet, memories, [memory, { clamped, declared, share }]);
    return memory;
  }
  WasmMemory.prototype = Memory.prototype;

  const memoryMethods = {
    grow(this: object, delta: unknown): number {
      const limits = apply(weakGet, memories, [this]) as
        { clamped: number; declared: number | undefined } | undefined;
      const pages = index(delta, "WebAssembly.Memory.grow(): delta");
      if (limits) {
        const now = (apply(byteLengthOf, apply(bufferOf, this, []), []) as number) / PAGE;
        const wanted = now + pages;
        if (wanted > limits.clamped && (limits.declared === undefined || wanted <= limits.declared))
          refuse("WebAssembly.Memory.grow", (wanted - now) * PAGE);
      }
      return apply(grow, this, [pages]);
    },
    // A memory's buffer keeps its pages alive on its own: it holds the memory's reservation as well.
    get buffer(): ArrayBuffer {
      const buffer = apply(bufferOf, this, []) as ArrayBuffer;
      const limits = apply(weakGet, memories, [this]) as { share: Share } | undefined;
      if (limits) hold(buffer, limits.share);
      return buffer;
    },
  };
  const descriptors = getOwnPropertyDescriptors(memoryMethods);
  defineProperty(Memory.prototype, "grow", { ...descriptors.grow, enumerable: true });
  defineProperty(Memory.prototype, "buffer", { ...descriptors.buffer, enumerable: true });

  const wasmNs = wasm as unknown as Record<string, unknown>;
  replaceClass(wasmNs, "Module", Module, WasmModule as unknown as Ctor);
  replaceClass(wasmNs, "Instance", Instance, WasmInstance as unknown as Ctor);
  replaceClass(wasmNs, "Memory", Memory, WasmMemory as unknown as Ctor);

  const settle = (work: () => unknown): Promise<unknown> => {
    try {
      return apply(resolved, OriginalPromise, [work()]) as Promise<unknown>;
    } catch (err) {
      return apply(rejected, OriginalPromise, [err]) as Promise<unknown>;
    }
  };
  // Compiled and instantiated synchronously underneath: the answer is still a promise, as specified.
  const methods = {
    compile: (source: unknown): Promise<unknown> => settle(() => compileSync(source, undefined)),
    instantiate: (source: unknown, imports?: unknown): Promise<unknown> =>
      settle(() => {
        if (source instanceof Module) return instantiateSync(source, imports, undefined);
        const module = compileSync(source, undefined);
        return { module, instance: instantiateSync(module, imports, undefined) };
      }),
  };
  for (const name of ["compile", "instantiate"] as const)
    defineProperty(wasm, name, {
      value: methods[name],
      writable: true,
      configurable: true,
      enumerable: false,
    });
}

/** `new ArrayBuffer(n, { maxByteLength })` and its shared twin reserve their maximum; plain ones pass. */
function installResizable(g: Record<string, unknown>, name: "ArrayBuffer" | "SharedArrayBuffer"): void {
  const Original = g[name] as Ctor | undefined;
  if (!Original || !("maxByteLength" in Original.prototype)) return; // resizing off (Node 20: ivm.ts)
  const wrapper = function (this: unknown, length: unknown, options?: unknown): object {
    if (new.target === undefined) throw new OriginalTypeError(`Constructor ${name} requires 'new'`);
    const target = new.target === wrapper ? Original : new.target;
    const bytes = index(length === undefined ? 0 : length, `${name}(): length`);
    const max =
      typeof options === "object" && options !== null
        ? (options as Record<string, unknown>).maxByteLength
        : undefined;
    if (max === undefined) return construct(Original, [bytes], target);
    const maxBytes = index(max, `${name}(): maxByteLength`);
    take(`a resizable ${name}`, maxBytes);
    let buffer: object;
    try {
      buffer = construct(Original, [bytes, { maxByteLength: maxBytes }], target);
    } catch (err) {
      reserved -= maxBytes;
      throw err;
    }
    hold(buffer, { bytes: maxBytes, refs: null });
    return buffer;
  };
  wrapper.prototype = Original.prototype;
  replaceClass(g, name, Original, wrapper as unknown as Ctor);
  // A transferred resizable buffer moves its pages (not through the counted allocator) to the new buffer:
  // its reservation moves along.
  for (const key of ["transfer", "transferToFixedLength"]) {
    const original = Original.prototype[key] as ((this: object, length?: unknown) => object) | undefined;
    if (typeof original !== "function") continue;
    defineProperty(Original.prototype, key, {
      writable: true,
      configurable: true,
      enumerable: false,
      value: {
        [key](this: object, ...args: unknown[]): object {
          const out = apply(original, this, args);
          const share = apply(weakGet, registered, [this]) as Share | undefined;
          if (share) hold(out, share);
          return out;
        },
      }[key]!,
    });
  }
}

/** Installs the limits; `bytes` is the function's memoryMb, `exceeded` tells the host to end the instance. */
export function installMemoryLimits(bytes: number, exceeded: () => void): void {
  budget = bytes;
  report = exceeded;
  const g = globalThis as unknown as Record<string, unknown>;
  if (typeof g.gc === "function") collect = g.gc as () => void;
  g.gc = undefined; // V8 makes it non-configurable: overwritten, the original is unreachable
  const wasm = g.WebAssembly as WasmNamespace | undefined;
  if (wasm) installWasm(wasm);
  installResizable(g, "ArrayBuffer");
  installResizable(g, "SharedArrayBuffer");
}
