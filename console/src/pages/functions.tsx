import { useState } from "preact/hooks";
import { template } from "../../../src/cli/templates/index.js";
import { client, fn, type FunctionDetail, type FunctionSummary, type Session } from "../api.js";
import { ErrorBox, Section, ms, pct, useAction, useLoad } from "../ui.js";

const FAILED = ["function_error", "timeout", "resource_exceeded", "platform_error"];

/** Failed share of the last hour's finished invocations. */
export function errorRate(byStatus: Record<string, number>, invocations: number): number {
  if (invocations === 0) return 0;
  return FAILED.reduce((n, s) => n + (byStatus[s] ?? 0), 0) / invocations;
}

export function FunctionsPage({ session }: { session: Session }) {
  const api = client(session);
  const [filter, setFilter] = useState("");
  const list = useLoad(async () => {
    const { functions } = await api.get<{ functions: FunctionSummary[] }>("/functions");
    // The last hour's numbers are on each function's own answer; ask a few at a time.
    const details: FunctionDetail[] = [];
    for (let i = 0; i < functions.length; i += 8) {
      details.push(
        ...(await Promise.all(functions.slice(i, i + 8).map((f) => api.get<FunctionDetail>(fn(f.name))))),
      );
    }
    return details;
  }, [session.key]);

  const shown = (list.data ?? []).filter((f) => f.name.includes(filter.trim().toLowerCase()));
  return (
    <Section
      title="Functions"
      actions={
        <a class="button" href="#/new">
          New function
        </a>
      }
    >
      <div class="toolbar">
        <label>
          Filter by name{" "}
          <input type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        </label>
        <button type="button" onClick={list.reload}>
          Refresh
        </button>
      </div>
      <ErrorBox error={list.error} />
      {list.data && list.data.length === 0 ? (
        <p>
          No functions yet. <a href="#/new">Create one</a>.
        </p>
      ) : null}
      {shown.length > 0 ? (
        <div class="scroll">
          <table aria-label="Functions">
            <thead>
              <tr>
                <th>Name</th>
                <th>State</th>
                <th>Style</th>
                <th>Version</th>
                <th title="last hour">Invocations (1 h)</th>
                <th>Error rate</th>
                <th>p50</th>
                <th>p99</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((f) => {
                const h = f.stats.lastHour;
                return (
                  <tr key={f.name}>
                    <td>
                      <a href={`#/functions/${encodeURIComponent(f.name)}`}>{f.name}</a>
                    </td>
                    <td>
                      <span class={`state state-${f.state}`}>{f.state}</span>
                    </td>
                    <td>{f.style}</td>
                    <td>
                      v{f.latestVersion}
                      {f.deployedVersion !== null && f.deployedVersion !== f.latestVersion
                        ? ` (v${f.deployedVersion} deployed)`
                        : ""}
                    </td>
                    <td class="num">{h.invocations}</td>
                    <td class="num">{pct(errorRate(h.byStatus, h.invocations))}</td>
                    <td class="num">{ms(h.p50Ms)}</td>
                    <td class="num">{ms(h.p99Ms)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {list.loading && !list.data ? <p>Loading…</p> : null}
    </Section>
  );
}

const STYLES = ["event", "http", "classic"] as const;

export function NewFunctionPage({ session }: { session: Session }) {
  const api = client(session);
  const [name, setName] = useState("");
  const [style, setStyle] = useState<(typeof STYLES)[number]>("event");
  const [language, setLanguage] = useState<"ts" | "js">("ts");
  const action = useAction();

  const submit = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      await api.put(fn(name), { source: template(style, language, name) });
      location.hash = `#/functions/${encodeURIComponent(name)}`;
    });
  };
  return (
    <Section title="New function">
      <form class="card form" onSubmit={submit}>
        <label>
          Name
          <input
            value={name}
            required
            pattern="[a-z][a-z0-9\-]{0,62}"
            title="lower-case letters, digits and dashes, starting with a letter"
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        <label>
          Style
          <select value={style} onChange={(e) => setStyle(e.currentTarget.value as typeof style)}>
            {STYLES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Language
          <select value={language} onChange={(e) => setLanguage(e.currentTarget.value as "ts" | "js")}>
            <option value="ts">TypeScript</option>
            <option value="js">JavaScript</option>
          </select>
        </label>
        <ErrorBox error={action.error} />
        <button type="submit" disabled={action.busy}>
          Create function
        </button>
      </form>
    </Section>
  );
}
