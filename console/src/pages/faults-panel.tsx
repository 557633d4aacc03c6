import { useState } from "preact/hooks";
import type { Client } from "../api.js";
import { ErrorBox, Section, useAction, useLoad, when } from "../ui.js";

interface FaultRule {
  target: string;
  kind: string;
  status?: number;
  delayMs?: number;
  rate?: number;
}

interface FaultProfile {
  name: string;
  rules: FaultRule[];
  updatedAt: string;
}

const EXAMPLE = `[
  { "target": "fetch:api.example.com", "kind": "status", "status": 503, "rate": 0.5 }
]`;

/** Fault profiles (developers and admins): named rules applied to invocations sent with X-Runlet-Faults. */
export function FaultsPanel({ api }: { api: Client }) {
  const list = useLoad(() => api.get<{ profiles: FaultProfile[] }>("/faults"), []);
  const [name, setName] = useState("");
  const [rules, setRules] = useState(EXAMPLE);
  const action = useAction();
  const save = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(rules);
      } catch (err) {
        throw new Error(`The rules are not JSON (${(err as Error).message}): send an array of rules`);
      }
      await api.put(`/faults/${encodeURIComponent(name)}`, { rules: parsed });
      list.reload();
    });
  };
  const edit = (p: FaultProfile) => {
    setName(p.name);
    setRules(JSON.stringify(p.rules, null, 2));
  };
  const remove = (profile: string) => {
    if (!confirm(`Delete the fault profile ${profile}? Invocations naming it run without faults.`)) return;
    void action.run(async () => {
      await api.del(`/faults/${encodeURIComponent(profile)}`);
      list.reload();
    });
  };
  return (
    <Section title="Fault profiles">
      <ErrorBox error={list.error} />
      {list.data && list.data.profiles.length === 0 ? <p class="hint">No fault profiles.</p> : null}
      {list.data && list.data.profiles.length > 0 ? (
        <div class="scroll">
          <table aria-label="Fault profiles">
            <thead>
              <tr>
                <th>Profile</th>
                <th>Rules</th>
                <th>Updated</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.profiles.map((p) => (
                <tr key={p.name}>
                  <td>{p.name}</td>
                  <td>
                    <code>{JSON.stringify(p.rules)}</code>
                  </td>
                  <td>{when(p.updatedAt)}</td>
                  <td>
                    <button type="button" aria-label={`Edit fault profile ${p.name}`} onClick={() => edit(p)}>
                      Edit
                    </button>
                    <button
                      type="button"
                      aria-label={`Delete fault profile ${p.name}`}
                      onClick={() => remove(p.name)}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <form class="form" onSubmit={save} aria-label="Save a fault profile">
        <label>
          Profile name
          <input value={name} required onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Rules (JSON array of {"{target, kind, status?, delayMs?, rate?}"})
          <textarea
            rows={6}
            spellcheck={false}
            value={rules}
            onInput={(e) => setRules(e.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={action.busy}>
          Save fault profile
        </button>
      </form>
      <p class="hint">
        Invocations sent with the header X-Runlet-Faults: &lt;profile&gt; get these faults; others do not.
      </p>
      <ErrorBox error={action.error} />
    </Section>
  );
}
