import type { Activation, Client } from "../api.js";
import { ErrorBox, ms, useLoad } from "../ui.js";

/** How far up and down the tree is followed; the platform's invoke depth limit is lower than this. */
const MAX_DEPTH = 16;

/**
 * The chain of ctx.invoke calls around an activation: up its parents to the first one, then every call
 * made from there (`?parentId=`, one level per request), with the open one marked.
 */
export function InvocationTree(props: { api: Client; activation: Activation; onOpen: (id: string) => void }) {
  const { api, activation } = props;
  const root = useLoad(async () => {
    let a = activation;
    const seen = new Set([a.id]);
    for (let i = 0; i < MAX_DEPTH && a.parentId && !seen.has(a.parentId); i++) {
      seen.add(a.parentId);
      try {
        a = await api.get<Activation>(`/activations/${encodeURIComponent(a.parentId)}`);
      } catch {
        break; // the parent's record is gone (or not written yet): the tree starts here
      }
    }
    return a;
  }, [activation.id]);
  return (
    <section aria-label="Invocation tree">
      <h4>Invocation tree</h4>
      <ErrorBox error={root.error} />
      {root.data ? (
        <ul class="tree">
          <Node api={api} a={root.data} current={activation.id} onOpen={props.onOpen} depth={0} />
        </ul>
      ) : (
        <p>Loading…</p>
      )}
    </section>
  );
}

function Node(props: {
  api: Client;
  a: Activation;
  current: string;
  onOpen: (id: string) => void;
  depth: number;
}) {
  const { api, a, current, depth } = props;
  const children = useLoad(
    async () =>
      depth < MAX_DEPTH
        ? (
            await api.get<{ activations: Activation[] }>(
              `/activations?parentId=${encodeURIComponent(a.id)}&limit=100`,
            )
          ).activations
        : [],
    [a.id],
  );
  // Oldest first: the order the calls were made in.
  const calls = [...(children.data ?? [])].reverse();
  const lonely = depth === 0 && !a.parentId && children.data?.length === 0;
  return (
    <li class={a.status === "succeeded" ? "" : "failed"}>
      <button
        type="button"
        class="link"
        aria-current={a.id === current ? "true" : undefined}
        onClick={() => props.onOpen(a.id)}
      >
        {a.function} — {a.status}, {ms(a.durationMs)}
      </button>{" "}
      <span class="hint">{a.id}</span>
      <ErrorBox error={children.error} />
      {lonely ? <p class="hint">It invoked no other function, and no function invoked it.</p> : null}
      {calls.length > 0 ? (
        <ul>
          {calls.map((c) => (
            <Node key={c.id} api={api} a={c} current={current} onOpen={props.onOpen} depth={depth + 1} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
