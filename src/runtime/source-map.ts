// Stack frames in the author's files: `fn:default/hello@3.js:4088:13` in an error or a log line becomes
// `index.ts:6:11`, through the source map esbuild made when the version was compiled (kept with it).
// The text came out of an isolate and this runs on the main thread, so the work is bounded: only maps up
// to MAX_MAP_CHARS are parsed (once per version, cached), only the first MAX_SCAN characters of a text
// are looked at, and at most MAX_FRAMES frames are mapped per invocation.
import { TraceMap, originalPositionFor } from "@jridgewell/trace-mapping";
import type { LogLine } from "../model/activation.js";

/** What mapping needs of a version: its script's name in stack frames comes from these. */
export interface MappedVersion {
  account: string;
  function: string;
  version: number;
  /** Identifies the content: a function deleted and made again starts over at version 1. */
  digest: string;
  sourceMap?: string;
}

const MAX_MAP_CHARS = 4 * 1024 * 1024;
const MAX_SCAN = 16 * 1024;
const MAX_FRAMES = 64;
/** Parsed maps kept, counted by their text's length (a parsed map takes a few times that). */
const CACHE_CHARS = 16 * 1024 * 1024;

const cache = new Map<string, { map: TraceMap | null; size: number }>();
let cachedChars = 0;

/** The script name boot.ts gives a version, as it appears in stack frames. */
export function scriptName(v: Pick<MappedVersion, "account" | "function" | "version">): string {
  return `fn:${v.account}/${v.function}@${v.version}.js`;
}

function traceMap(v: MappedVersion): TraceMap | null {
  const key = `${scriptName(v)}#${v.digest}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key); // to the end: the cache is ordered least recently used first
    cache.set(key, hit);
    return hit.map;
  }
  const text = v.sourceMap ?? "";
  let map: TraceMap | null = null;
  if (text.length <= MAX_MAP_CHARS) {
    try {
      map = new TraceMap(text);
    } catch {
      map = null; // damaged: frames stay as they are
    }
  }
  const size = map ? text.length : 0;
  cache.set(key, { map, size });
  cachedChars += size;
  for (const [old, entry] of cache) {
    if (cachedChars <= CACHE_CHARS || old === key) break;
    cache.delete(old);
    cachedChars -= entry.size;
  }
  return map;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Maps the frames of one text; `budget.frames` counts down over every text of an invocation. */
function mapText(text: string, name: string, map: TraceMap, budget: { frames: number }): string {
  if (!text.includes(name)) return text;
  const head = text.slice(0, MAX_SCAN);
  const frame = new RegExp(`${escape(name)}:(\\d+):(\\d+)`, "g");
  const mapped = head.replace(frame, (whole, line: string, column: string) => {
    if (budget.frames <= 0) return whole;
    budget.frames -= 1;
    const original = originalPositionFor(map, { line: Number(line), column: Number(column) - 1 });
    if (original.source === null || original.line === null) return whole;
    return `${original.source}:${original.line}:${original.column + 1}`;
  });
  return mapped + text.slice(MAX_SCAN);
}

/**
 * The outcome with the stack frames of its error message and log lines mapped to the author's files.
 * Returns the outcome itself when nothing mentions the version's script (the common case, no work).
 */
export function mapFrames<T extends { message?: string; logs?: LogLine[] }>(
  version: MappedVersion,
  outcome: T,
): T {
  if (version.sourceMap === undefined) return outcome;
  const name = scriptName(version);
  const mentions =
    outcome.message?.includes(name) === true ||
    outcome.logs?.some((line) => line.msg.includes(name)) === true;
  if (!mentions) return outcome;
  const map = traceMap(version);
  if (!map) return outcome;
  const budget = { frames: MAX_FRAMES };
  return {
    ...outcome,
    ...(outcome.message !== undefined ? { message: mapText(outcome.message, name, map, budget) } : {}),
    ...(outcome.logs
      ? { logs: outcome.logs.map((line) => ({ ...line, msg: mapText(line.msg, name, map, budget) })) }
      : {}),
  };
}

/** One text (a load-time error) mapped the same way. */
export function mapMessage(version: MappedVersion, message: string): string {
  return mapFrames(version, { message }).message;
}

/**
 * Sources named as the author knows them (`index.ts`, `node_modules/x/y.js`, `runlet:node-shims/…`), and
 * the text kept only of the author's own files (what a debugger shows; a library's is on disk already).
 */
export function tidySourceMap(text: string): string {
  const map = JSON.parse(text) as { sources: string[]; sourcesContent?: (string | null)[] };
  map.sources = map.sources.map((source) => {
    const plain = source.replace(/^(\.\.\/)*(runlet\/)?/, "").replace(/^upload:/, "");
    const modules = plain.lastIndexOf("node_modules/");
    if (modules >= 0) return plain.slice(modules);
    const shim = plain.indexOf("src/runtime/node-shims/");
    return shim >= 0 ? `runlet:${plain.slice(shim + "src/runtime/".length)}` : plain;
  });
  if (map.sourcesContent) {
    map.sourcesContent = map.sourcesContent.map((content, i) =>
      /^(node_modules\/|runlet:)/.test(map.sources[i] ?? "") ? null : content,
    );
  }
  return JSON.stringify(map);
}
