import { RunletError } from "../errors.js";
import { timeOfId } from "../ids.js";
import type { Activation } from "../model/activation.js";
import type { ActivationRepository } from "../store/store.js";
import { parseTraceparent, rootTraceId } from "./traceparent.js";

/** One activation of a trace, with the ones it started under it. */
export interface TraceNode {
  activationId: string;
  function: string;
  version: number;
  trigger: Activation["trigger"];
  status: Activation["status"];
  /** When it was asked for: queued (async), or started (sync). */
  queuedAt: number;
  /** How long it waited in the queue before its (last) run started. */
  queuedMs: number;
  startedAt: number;
  durationMs: number;
  error: Activation["error"];
  /** An async activation's callback (X-Callback-Url): how its delivery went. */
  callback?: Activation["callback"];
  traceparent?: string;
  children: TraceNode[];
}

export interface Trace {
  traceId: string;
  /** The activations with no parent in the trace (a chain's first call; each subscriber of an event). */
  roots: TraceNode[];
  activations: number;
  /** True when the trace has more activations than were read. */
  truncated: boolean;
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const MAX = 1000;

/** The trace id an activation belongs to: its traceparent's, or the one its chain's root mints. */
export function traceIdOf(activation: Activation): string {
  return parseTraceparent(activation.traceparent)?.traceId ?? rootTraceId(activation.id);
}

/**
 * The tree of activations of one trace (DESIGN §6): sync and async ctx.invoke, sequence steps, event
 * subscribers, schedule firings, with their callbacks. Read from the records: those carrying the trace
 * id, the root they lead up to (a chain's first activation has no traceparent of its own; the trace id
 * is derived from its id), and any child a parentId links in.
 */
export async function loadTrace(
  repo: Pick<ActivationRepository, "get" | "inTrace" | "byIds" | "children">,
  account: string,
  idOrTrace: string,
): Promise<Trace> {
  let traceId: string;
  if (TRACE_ID.test(idOrTrace)) traceId = idOrTrace;
  else if (idOrTrace.startsWith("act_")) {
    const activation = await repo.get(account, idOrTrace);
    if (!activation) throw notFound(idOrTrace);
    traceId = traceIdOf(activation);
  } else {
    throw new RunletError(
      "RUNLET_ERR_BAD_REQUEST",
      `${JSON.stringify(idOrTrace.slice(0, 80))} is neither a trace id nor an activation id; send 32 hex digits or act_…`,
    );
  }
  const found = new Map<string, Activation>();
  for (const a of await repo.inTrace(account, traceId, MAX)) found.set(a.id, a);
  // Up to the roots (a chain's first activation carries no traceparent), then down to children.
  for (let round = 0; round < 10 && found.size < MAX; round++) {
    const missing = [...new Set([...found.values()].map((a) => a.parentId))].filter(
      (id): id is string => id !== undefined && !found.has(id),
    );
    if (missing.length === 0) break;
    for (const a of await repo.byIds(account, missing.slice(0, MAX - found.size))) found.set(a.id, a);
  }
  let frontier = [...found.keys()];
  for (let round = 0; round < 10 && frontier.length > 0 && found.size < MAX; round++) {
    const next: string[] = [];
    for (const a of await repo.children(account, frontier, MAX - found.size)) {
      if (!found.has(a.id)) {
        found.set(a.id, a);
        next.push(a.id);
      }
    }
    frontier = next;
  }
  if (found.size === 0) throw notFound(idOrTrace);
  const nodes = new Map<string, TraceNode>();
  for (const a of found.values()) nodes.set(a.id, nodeOf(a));
  const roots: TraceNode[] = [];
  for (const a of found.values()) {
    const parent = a.parentId === undefined ? undefined : nodes.get(a.parentId);
    (parent ? parent.children : roots).push(nodes.get(a.id)!);
  }
  const byStart = (x: TraceNode, y: TraceNode) => x.queuedAt - y.queuedAt || x.startedAt - y.startedAt;
  for (const node of nodes.values()) node.children.sort(byStart);
  return { traceId, roots: roots.sort(byStart), activations: found.size, truncated: found.size >= MAX };
}

function nodeOf(a: Activation): TraceNode {
  const queuedAt = timeOfId(a.id, "act_") ?? a.startedAt;
  return {
    activationId: a.id,
    function: a.function,
    version: a.version,
    trigger: a.trigger,
    status: a.status,
    queuedAt,
    queuedMs: Math.max(0, a.startedAt - queuedAt),
    startedAt: a.startedAt,
    durationMs: a.durationMs,
    error: a.error,
    ...(a.callback ? { callback: a.callback } : {}),
    ...(a.traceparent ? { traceparent: a.traceparent } : {}),
    children: [],
  };
}

function notFound(what: string): RunletError {
  return new RunletError(
    "RUNLET_ERR_TRACE_NOT_FOUND",
    `no activation of this account is in trace ${what}; find one with runlet activations`,
  );
}
