import type { Activation, Client, VersionView } from "../api.js";
import { ErrorBox, ms, shown, useLoad, when } from "../ui.js";
import { InvocationTree } from "./activation-tree.js";
import { Logs } from "./log-list.js";
import { ReplayPanel } from "./replay.js";
import { TraceView } from "./trace-view.js";

/** One activation: its outcome, logs, retries, callback, sequence steps, ctx.invoke tree, trace and replay. */
export function ActivationDetail(props: {
  api: Client;
  id: string;
  onOpen: (id: string) => void;
  /** The function's kept versions, to replay the activation on. */
  versions: VersionView[];
}) {
  const { api, id, onOpen } = props;
  const a = useLoad(() => api.get<Activation>(`/activations/${encodeURIComponent(id)}`), [id]);
  if (a.error) return <ErrorBox error={a.error} />;
  if (!a.data) return <p>Loading…</p>;
  const d = a.data;
  return (
    <div class="card" role="region" aria-label={`Activation ${d.id}`}>
      <h3>Activation {d.id}</h3>
      <dl>
        <dt>Function</dt>
        <dd>
          {d.function} v{d.version}
        </dd>
        <dt>Status</dt>
        <dd>{d.status}</dd>
        <dt>Trigger</dt>
        <dd>{d.trigger}</dd>
        <dt>Started</dt>
        <dd>{when(d.startedAt)}</dd>
        <dt>Duration</dt>
        <dd>{ms(d.durationMs)}</dd>
        <dt>Billed</dt>
        <dd>{ms(d.billedMs)}</dd>
        <dt>Cold start</dt>
        <dd>{d.coldStart ? "yes" : "no"}</dd>
        <dt>Attempts</dt>
        <dd>{d.attempts}</dd>
        {d.parentId ? (
          <>
            <dt>Invoked by</dt>
            <dd>
              <button type="button" class="link" onClick={() => onOpen(d.parentId!)}>
                {d.parentId}
              </button>
            </dd>
          </>
        ) : null}
      </dl>
      {d.error ? (
        <div class="error">
          <strong>{d.error.code}</strong>
          <pre>{d.error.message}</pre>
        </div>
      ) : null}
      {d.status === "succeeded" ? (
        <>
          <h4>Result</h4>
          <pre aria-label="Activation result">{shown(d.result)}</pre>
        </>
      ) : null}
      {d.callback ? <Callback c={d.callback} /> : null}
      {d.steps ? <Steps steps={d.steps} onOpen={onOpen} /> : null}
      <Logs logs={d.logs ?? []} />
      {d.logsTruncated ? (
        <p class="hint">Later log lines were cut: the record keeps the first ones.</p>
      ) : null}
      <InvocationTree api={api} activation={d} onOpen={onOpen} />
      <TraceView api={api} activationId={d.id} onOpen={onOpen} />
      <ReplayPanel api={api} activationId={d.id} versions={props.versions} />
    </div>
  );
}

function Callback({ c }: { c: NonNullable<Activation["callback"]> }) {
  return (
    <section aria-label="Callback">
      <h4>Callback</h4>
      <dl>
        <dt>URL</dt>
        <dd>{c.url}</dd>
        <dt>State</dt>
        <dd>{c.status}</dd>
        <dt>Delivery attempts</dt>
        <dd>{c.attempts}</dd>
        {c.lastError ? (
          <>
            <dt>Last error</dt>
            <dd>{c.lastError}</dd>
          </>
        ) : null}
        {c.deliveredAt ? (
          <>
            <dt>Delivered</dt>
            <dd>{when(c.deliveredAt)}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

function Steps(props: { steps: NonNullable<Activation["steps"]>; onOpen: (id: string) => void }) {
  return (
    <>
      <h4>Sequence steps</h4>
      <div class="scroll">
        <table aria-label="Sequence steps">
          <thead>
            <tr>
              <th>Step</th>
              <th>Function</th>
              <th>Status</th>
              <th>Duration</th>
              <th>Activation</th>
            </tr>
          </thead>
          <tbody>
            {props.steps.map((s, i) => (
              <tr key={s.activationId} class={s.status === "succeeded" ? "" : "failed"}>
                <td class="num">{i + 1}</td>
                <td>{s.function}</td>
                <td>{s.status}</td>
                <td class="num">{ms(s.durationMs)}</td>
                <td>
                  <button type="button" class="link" onClick={() => props.onOpen(s.activationId)}>
                    {s.activationId}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
