import { useState } from "preact/hooks";
import type { Client } from "../api.js";
import { ErrorBox, ms, useLoad } from "../ui.js";

/** One activation of a trace as GET …/traces/{id} answers it. */
interface TraceNode {
  id: string;
  function: string;
  version: number;
  status: string;
  queuedMs?: number;
  offsetMs?: number;
  durationMs?: number;
  children?: TraceNode[];
}
interface Trace {
  traceId: string;
  durationMs: number;
  count: number;
  truncated: boolean;
  roots: TraceNode[];
}

/**
 * The trace an activation is in (every activation of it: sync and async ctx.invoke, sequence steps, …),
 * loaded when asked for, with each one's queued time, start offset in the trace and duration.
 */
export function TraceView(props: { api: Client; activationId: string; onOpen: (id: string) => void }) {
  const [shown, setShown] = useState(false);
  return (
    <section aria-label="Trace">
      <h4>Trace</h4>
      {shown ? (
        <TraceTree {...props} />
      ) : (
        <button type="button" onClick={() => setShown(true)}>
          Show trace
        </button>
      )}
    </section>
  );
}

function TraceTree(props: { api: Client; activationId: string; onOpen: (id: string) => void }) {
  const { api, activationId } = props;
  const trace = useLoad(() => api.get<Trace>(`/traces/${encodeURIComponent(activationId)}`), [activationId]);
  if (trace.error) return <ErrorBox error={trace.error} />;
  if (!trace.data) return <p>Loading trace…</p>;
  const t = trace.data;
  return (
    <>
      <p class="hint">
        Trace {t.traceId}: {t.count} {t.count === 1 ? "activation" : "activations"} over {ms(t.durationMs)}
        {t.truncated ? " (only the first ones are shown)" : ""}.
      </p>
      <ul class="tree" aria-label="Trace tree">
        {t.roots.map((n) => (
          <Node key={n.id} n={n} current={activationId} onOpen={props.onOpen} />
        ))}
      </ul>
    </>
  );
}

function Node(props: { n: TraceNode; current: string; onOpen: (id: string) => void }) {
  const { n } = props;
  return (
    <li class={n.status === "succeeded" ? "" : "failed"}>
      <button
        type="button"
        class="link"
        aria-current={n.id === props.current ? "true" : undefined}
        onClick={() => props.onOpen(n.id)}
      >
        {n.function} v{n.version} — {n.status}, queued {ms(n.queuedMs ?? 0)}, starts at +{ms(n.offsetMs ?? 0)}
        , takes {ms(n.durationMs)}
      </button>{" "}
      <span class="hint">{n.id}</span>
      {n.children && n.children.length > 0 ? (
        <ul>
          {n.children.map((c) => (
            <Node key={c.id} n={c} current={props.current} onOpen={props.onOpen} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
