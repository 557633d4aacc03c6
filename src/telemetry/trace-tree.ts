import type {
  Activation,
  ActivationError,
  ActivationStatus,
  CallbackRecord,
  Trigger,
} from "../model/activation.js";
import { spanIdsOf } from "./traceparent.js";

/** One activation of a trace, with the activations it led to. */
export interface TraceNode {
  id: string;
  function: string;
  version: number;
  trigger: Trigger;
  status: ActivationStatus;
  spanId: string;
  parentSpanId?: string;
  parentId?: string;
  /** ms it waited in the queue before its (last) run; 0 for one that ran at once. */
  queuedMs: number;
  startedAt: string;
  /** ms from the trace's first start to this one's. */
  offsetMs: number;
  durationMs: number;
  billedMs: number;
  coldStart: boolean;
  attempts: number;
  error?: ActivationError;
  callback?: CallbackRecord;
  children: TraceNode[];
}

export interface TraceTree {
  traceId: string;
  /** When the first activation of the trace started (its queued time included). */
  startedAt: string;
  /** From the first start to the last end, ms. */
  durationMs: number;
  count: number;
  /** True when the trace had more activations than were read (the tree lacks the newest). */
  truncated: boolean;
  roots: TraceNode[];
}

/**
 * The tree of a trace's activations: each under the activation whose span it descends from (or, for
 * records without a parent span, whose id is its parentId); those whose parent is not in the trace (the
 * first one, or those joined from an outside caller's trace) are roots. Children in the order they started.
 */
export function traceTree(traceId: string, activations: Activation[], truncated: boolean): TraceTree {
  const first = Math.min(...activations.map((a) => a.startedAt - (a.queuedMs ?? 0)));
  const last = Math.max(...activations.map((a) => a.startedAt + a.durationMs));
  const nodes = activations.map((a) => nodeOf(a, first));
  const bySpan = new Map(nodes.map((n) => [n.spanId, n]));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const roots: TraceNode[] = [];
  for (const node of nodes) {
    const parent =
      (node.parentSpanId !== undefined ? bySpan.get(node.parentSpanId) : undefined) ??
      (node.parentId !== undefined ? byId.get(node.parentId) : undefined);
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  // Links that loop (only a broken record could make one) would hide their nodes: those become roots.
  const reached = new Set<TraceNode>();
  const walk = (from: TraceNode[]) => {
    const stack = [...from];
    for (let n = stack.pop(); n; n = stack.pop()) {
      if (reached.has(n)) continue;
      reached.add(n);
      stack.push(...n.children);
    }
  };
  walk(roots);
  for (const node of nodes) {
    if (reached.has(node)) continue;
    for (const other of nodes) other.children = other.children.filter((c) => c !== node);
    roots.push(node);
    walk([node]);
  }
  const byStart = (a: TraceNode, b: TraceNode) => a.offsetMs - b.offsetMs || a.id.localeCompare(b.id);
  for (const node of nodes) node.children.sort(byStart);
  roots.sort(byStart);
  return {
    traceId,
    startedAt: new Date(first).toISOString(),
    durationMs: Math.max(0, Math.round((last - first) * 1000) / 1000),
    count: activations.length,
    truncated,
    roots,
  };
}

function nodeOf(a: Activation, first: number): TraceNode {
  const ids = spanIdsOf(a);
  const queuedMs = a.queuedMs ?? 0;
  return {
    id: a.id,
    function: a.function,
    version: a.version,
    trigger: a.trigger,
    status: a.status,
    spanId: ids.spanId,
    ...(ids.parentSpanId !== undefined ? { parentSpanId: ids.parentSpanId } : {}),
    ...(a.parentId !== undefined ? { parentId: a.parentId } : {}),
    queuedMs,
    startedAt: new Date(a.startedAt).toISOString(),
    offsetMs: a.startedAt - first,
    durationMs: a.durationMs,
    billedMs: a.billedMs,
    coldStart: a.coldStart,
    attempts: a.attempts ?? 1,
    ...(a.error ? { error: a.error } : {}),
    ...(a.callback ? { callback: a.callback } : {}),
    children: [],
  };
}
