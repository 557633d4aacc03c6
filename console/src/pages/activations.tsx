import { useState } from "preact/hooks";
import type { Activation, Client, VersionView } from "../api.js";
import { ErrorBox, Section, ms, useLoad, when } from "../ui.js";
import { ActivationDetail } from "./activation-detail.js";

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
const PAGE = 20;
const TRIGGERS = ["http", "web", "event", "schedule", "queue", "function"];
/** The time ranges offered, as how far back they reach (ms); "custom" shows From and To. */
const RANGES: Record<string, number | null> = {
  "any time": null,
  "last 15 minutes": 15 * 60_000,
  "last hour": 3_600_000,
  "last 24 hours": 86_400_000,
  "last 7 days": 7 * 86_400_000,
  custom: null,
};

interface Filters {
  status: string;
  trigger: string;
  version: string;
  range: string;
  /** datetime-local values, for the custom range */
  from: string;
  to: string;
}

/** The list's query string: `since`/`until` from the range, as ISO times. */
function query(name: string, f: Filters, before: string | undefined): string {
  const q = new URLSearchParams({ function: name, limit: String(PAGE) });
  if (before) q.set("before", before);
  if (f.status) q.set("status", f.status);
  if (f.trigger) q.set("trigger", f.trigger);
  if (f.version) q.set("version", f.version);
  const back = RANGES[f.range];
  if (back) q.set("since", new Date(Date.now() - back).toISOString());
  if (f.range === "custom") {
    if (f.from) q.set("since", new Date(f.from).toISOString());
    if (f.to) q.set("until", new Date(f.to).toISOString());
  }
  return q.toString();
}

export function ActivationsPanel(props: {
  api: Client;
  name: string;
  versions: VersionView[];
  tick: number;
}) {
  const { api, name } = props;
  const [f, setF] = useState<Filters>({
    status: "",
    trigger: "",
    version: "",
    range: "any time",
    from: "",
    to: "",
  });
  /** Cursors of the pages shown before this one: empty on the newest page. */
  const [cursors, setCursors] = useState<string[]>([]);
  const set = (k: keyof Filters) => (e: Event) => {
    setCursors([]);
    setF({ ...f, [k]: (e.currentTarget as HTMLInputElement | HTMLSelectElement).value });
  };
  const [open, setOpen] = useState<string | null>(null);
  const list = useLoad(
    () =>
      api.get<{ activations: Activation[]; next?: string }>(`/activations?${query(name, f, cursors.at(-1))}`),
    [name, f, cursors, props.tick],
  );
  const next = list.data?.next;
  const filtered = f.status || f.trigger || f.version || f.range !== "any time";
  return (
    <Section
      title="Activations"
      actions={
        <button type="button" onClick={list.reload}>
          Refresh activations
        </button>
      }
    >
      <form class="toolbar filters" aria-label="Activation filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status{" "}
          <select value={f.status} onChange={set("status")}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Trigger{" "}
          <select value={f.trigger} onChange={set("trigger")}>
            <option value="">any</option>
            {TRIGGERS.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Version{" "}
          <select value={f.version} onChange={set("version")}>
            <option value="">any</option>
            {props.versions.map((v) => (
              <option key={v.version} value={String(v.version)}>
                v{v.version}
              </option>
            ))}
          </select>
        </label>
        <label>
          Time range{" "}
          <select value={f.range} onChange={set("range")}>
            {Object.keys(RANGES).map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        {f.range === "custom" ? (
          <>
            <label>
              From <input type="datetime-local" value={f.from} onChange={set("from")} />
            </label>
            <label>
              To <input type="datetime-local" value={f.to} onChange={set("to")} />
            </label>
          </>
        ) : null}
      </form>
      <ErrorBox error={list.error} />
      {list.data && list.data.activations.length === 0 ? (
        <p class="hint">
          {cursors.length > 0
            ? "No older activations."
            : filtered
              ? "No activations match these filters."
              : "No activations yet."}
        </p>
      ) : null}
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
      {cursors.length > 0 || next ? (
        <div class="buttons">
          <button type="button" disabled={cursors.length === 0} onClick={() => setCursors([])}>
            Newest activations
          </button>
          <button type="button" disabled={!next} onClick={() => next && setCursors([...cursors, next])}>
            Older activations
          </button>
        </div>
      ) : null}
      {open ? <ActivationDetail api={api} id={open} onOpen={setOpen} versions={props.versions} /> : null}
    </Section>
  );
}
