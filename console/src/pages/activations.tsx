import { useState } from "preact/hooks";
import type { Activation, Client, LogLine } from "../api.js";
import { ErrorBox, Section, ms, shown, useLoad, when } from "../ui.js";

const STATUSES = [
  "succeeded",
  "function_error",
  "timeout",
  "resource_exceeded",
  "rejected",
  "platform_error",
  "queued",
  "running",
];

export function Logs({ logs }: { logs: LogLine[] }) {
  return (
    <>
      <h3>Logs</h3>
      {logs.length === 0 ? (
        <p class="hint">No log lines.</p>
      ) : (
        <ol class="logs" aria-label="Logs">
          {logs.map((l, i) => (
            <li key={i} class={`log log-${l.level}`}>
              <span class="level">{l.level}</span> <span class="msg">{l.msg}</span>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

export function ActivationsPanel(props: { api: Client; name: string; tick: number }) {
  const { api, name } = props;
  const [status, setStatus] = useState("");
  const [open, setOpen] = useState<string | null>(null);
  const list = useLoad(
    () =>
      api.get<{ activations: Activation[] }>(
        `/activations?function=${encodeURIComponent(name)}&limit=20${status ? `&status=${status}` : ""}`,
      ),
    [name, status, props.tick],
  );
  return (
    <Section
      title="Activations"
      actions={
        <div class="buttons">
          <label>
            Status{" "}
            <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
              <option value="">any</option>
              {STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <button type="button" onClick={list.reload}>
            Refresh activations
          </button>
        </div>
      }
    >
      <ErrorBox error={list.error} />
      {list.data && list.data.activations.length === 0 ? <p class="hint">No activations yet.</p> : null}
      {list.data && list.data.activations.length > 0 ? (
        <div class="scroll">
          <table aria-label="Activations">
            <thead>
              <tr>
                <th>Started</th>
                <th>Status</th>
                <th>Version</th>
                <th>Trigger</th>
                <th>Duration</th>
                <th>Activation</th>
              </tr>
            </thead>
            <tbody>
              {list.data.activations.map((a) => (
                <tr key={a.id} class={a.status === "succeeded" ? "" : "failed"}>
                  <td>{when(a.startedAt)}</td>
                  <td>{a.status}</td>
                  <td>v{a.version}</td>
                  <td>{a.trigger}</td>
                  <td class="num">{ms(a.durationMs)}</td>
                  <td>
                    <button
                      type="button"
                      class="link"
                      aria-expanded={open === a.id}
                      onClick={() => setOpen(open === a.id ? null : a.id)}
                    >
                      {a.id}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {open ? <ActivationDetail api={api} id={open} /> : null}
    </Section>
  );
}

function ActivationDetail({ api, id }: { api: Client; id: string }) {
  const a = useLoad(() => api.get<Activation>(`/activations/${encodeURIComponent(id)}`), [id]);
  if (a.error) return <ErrorBox error={a.error} />;
  if (!a.data) return <p>Loading…</p>;
  const d = a.data;
  return (
    <div class="card" role="region" aria-label={`Activation ${d.id}`}>
      <h3>Activation {d.id}</h3>
      <dl>
        <dt>Status</dt>
        <dd>{d.status}</dd>
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
      </dl>
      {d.error ? (
        <div class="error">
          <strong>{d.error.code}</strong>
          <pre>{d.error.message}</pre>
        </div>
      ) : null}
      {d.status === "succeeded" ? <pre aria-label="Activation result">{shown(d.result)}</pre> : null}
      <Logs logs={d.logs ?? []} />
    </div>
  );
}
