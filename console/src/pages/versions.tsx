import { diffLines } from "diff";
import { useState } from "preact/hooks";
import { fn, type ActorView, type Client, type FunctionDetail } from "../api.js";
import { ErrorBox, Section, useAction, useLoad, when } from "../ui.js";

export function VersionsPanel(props: { api: Client; f: FunctionDetail; onChanged: () => void }) {
  const { api, f } = props;
  const action = useAction();
  const newest = f.versions[0]?.version ?? 1;
  const [from, setFrom] = useState(f.versions[1]?.version ?? newest);
  const [to, setTo] = useState(newest);

  const deploy = (version: number) => {
    const rollback = f.deployedVersion !== null && version < f.deployedVersion;
    const verb = rollback ? "Roll back" : "Deploy";
    if (!confirm(`${verb} ${f.name} to v${version}? It starts serving at once.`)) return;
    void action.run(async () => {
      await api.post(`${fn(f.name)}/deploy`, { version });
      props.onChanged();
    });
  };

  return (
    <Section title="Versions">
      <ErrorBox error={action.error} />
      <div class="scroll">
        <table aria-label="Versions">
          <thead>
            <tr>
              <th>Version</th>
              <th>Created</th>
              <th>Created by</th>
              <th>Last deployed</th>
              <th>Style</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {f.versions.map((v) => (
              <tr key={v.version}>
                <td>v{v.version}</td>
                <td>{when(v.createdAt)}</td>
                <td>{who(v.createdBy)}</td>
                <td>{v.deployedAt ? `${when(v.deployedAt)} by ${who(v.deployedBy)}` : "never"}</td>
                <td>{v.style}</td>
                <td>{v.deployed ? "deployed" : ""}</td>
                <td>
                  {v.deployed ? null : (
                    <button type="button" disabled={action.busy} onClick={() => deploy(v.version)}>
                      {f.deployedVersion !== null && v.version < f.deployedVersion
                        ? `Roll back to v${v.version}`
                        : `Deploy v${v.version}`}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {f.versions.length > 1 ? (
        <>
          <div class="toolbar">
            <label>
              Compare{" "}
              <select value={from} onChange={(e) => setFrom(Number(e.currentTarget.value))}>
                {f.versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    v{v.version}
                  </option>
                ))}
              </select>
            </label>
            <label>
              with{" "}
              <select value={to} onChange={(e) => setTo(Number(e.currentTarget.value))}>
                {f.versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    v{v.version}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <Diff api={api} name={f.name} from={from} to={to} />
        </>
      ) : null}
    </Section>
  );
}

/** A caller as a person reads it: the key's name and the actor (`key:…`, `token:…`), or who is unknown. */
function who(a: ActorView | null): string {
  if (!a) return "unknown (before this was recorded)";
  return a.keyName ? `${a.keyName} (${a.actor})` : a.actor;
}

interface Row {
  left: string | null;
  right: string | null;
  kind: "same" | "removed" | "added";
}

/** Side by side: removed lines on the left, added on the right, the rest on both. */
function Diff(props: { api: Client; name: string; from: number; to: number }) {
  const { api, name, from, to } = props;
  const sources = useLoad(async () => {
    const get = (v: number) => api.get<{ source?: string }>(`${fn(name)}/versions/${v}`);
    const [a, b] = await Promise.all([get(from), get(to)]);
    return [a.source ?? "", b.source ?? ""] as const;
  }, [name, from, to]);
  if (sources.error) return <ErrorBox error={sources.error} />;
  if (!sources.data) return <p>Loading diff…</p>;
  const rows: Row[] = [];
  for (const part of diffLines(sources.data[0], sources.data[1])) {
    const lines = part.value.replace(/\n$/, "").split("\n");
    for (const line of lines) {
      if (part.added) rows.push({ left: null, right: line, kind: "added" });
      else if (part.removed) rows.push({ left: line, right: null, kind: "removed" });
      else rows.push({ left: line, right: line, kind: "same" });
    }
  }
  return (
    <div class="scroll">
      <table class="diff" aria-label={`Diff of v${from} and v${to}`}>
        <thead>
          <tr>
            <th>v{from}</th>
            <th>v{to}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} class={r.kind}>
              <td>
                <pre>{r.left ?? ""}</pre>
              </td>
              <td>
                <pre>{r.right ?? ""}</pre>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
