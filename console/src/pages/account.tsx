import { useState } from "preact/hooks";
import { can, client, type Client, type Role, type Session } from "../api.js";
import { ErrorBox, Section, useAction, useLoad, when } from "../ui.js";
import { BudgetPanel } from "./budget-panel.js";
import { FaultsPanel } from "./faults-panel.js";
import { IdlePanel } from "./idle-panel.js";
import { UsagePanel } from "./usage.js";

export function AccountPage({ session }: { session: Session }) {
  const api = client(session);
  const admin = can(session, "admin");
  return (
    <>
      <h1>Account {session.account}</h1>
      <Secrets api={api} admin={admin} />
      {admin ? <Keys api={api} /> : null}
      <Allowlist api={api} admin={admin} />
      <UsagePanel api={api} />
      <BudgetPanel api={api} admin={admin} />
      <IdlePanel api={api} admin={admin} />
      <FaultsPanel api={api} />
      <DeadLetters api={api} />
      {admin ? <Audit api={api} /> : null}
    </>
  );
}

interface Secret {
  name: string;
  createdAt: string;
  updatedAt: string;
}

function Secrets({ api, admin }: { api: Client; admin: boolean }) {
  const list = useLoad(() => api.get<{ secrets: Secret[] }>("/secrets"), []);
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  const action = useAction();
  const set = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      await api.put(`/secrets/${encodeURIComponent(name)}`, { value });
      setName("");
      setValue("");
      list.reload();
    });
  };
  const remove = (secret: string) => {
    if (!confirm(`Delete the secret ${secret}? Functions that read it get undefined.`)) return;
    void action.run(async () => {
      await api.del(`/secrets/${encodeURIComponent(secret)}`);
      list.reload();
    });
  };
  return (
    <Section title="Secrets">
      <ErrorBox error={list.error} />
      {list.data && list.data.secrets.length === 0 ? <p class="hint">No secrets.</p> : null}
      {list.data && list.data.secrets.length > 0 ? (
        <table aria-label="Secrets">
          <thead>
            <tr>
              <th>Name</th>
              <th>Created</th>
              <th>Updated</th>
              {admin ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {list.data.secrets.map((s) => (
              <tr key={s.name}>
                <td>{s.name}</td>
                <td>{when(s.createdAt)}</td>
                <td>{when(s.updatedAt)}</td>
                {admin ? (
                  <td>
                    <button
                      type="button"
                      aria-label={`Delete secret ${s.name}`}
                      onClick={() => remove(s.name)}
                    >
                      Delete
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {admin ? (
        <form class="form inline-form" onSubmit={set} aria-label="Set a secret">
          <label>
            Secret name
            <input value={name} required onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <label>
            Secret value
            <input
              type="password"
              autoComplete="off"
              value={value}
              required
              onInput={(e) => setValue(e.currentTarget.value)}
            />
          </label>
          <button type="submit" disabled={action.busy}>
            Set secret
          </button>
        </form>
      ) : (
        <p class="hint">Only an admin key can set or delete secrets.</p>
      )}
      <ErrorBox error={action.error} />
    </Section>
  );
}

interface Key {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function Keys({ api }: { api: Client }) {
  const list = useLoad(() => api.get<{ keys: Key[] }>("/keys"), []);
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("invoker");
  const [created, setCreated] = useState<{ id: string; key: string } | null>(null);
  const action = useAction();
  const create = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      const k = await api.post<Key & { key: string }>("/keys", { name, role });
      setCreated({ id: k.id, key: k.key });
      setName("");
      list.reload();
    });
  };
  const revoke = (k: Key) => {
    if (!confirm(`Revoke the key ${k.name} (${k.id})? Whatever uses it stops working.`)) return;
    void action.run(async () => {
      await api.del(`/keys/${encodeURIComponent(k.id)}`);
      list.reload();
    });
  };
  return (
    <Section title="API keys">
      <ErrorBox error={list.error} />
      {list.data ? (
        <div class="scroll">
          <table aria-label="API keys">
            <thead>
              <tr>
                <th>Name</th>
                <th>Id</th>
                <th>Role</th>
                <th>Created</th>
                <th>Last used</th>
                <th>State</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.keys.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td>{k.id}</td>
                  <td>{k.role}</td>
                  <td>{when(k.createdAt)}</td>
                  <td>{when(k.lastUsedAt)}</td>
                  <td>{k.revokedAt ? `revoked ${when(k.revokedAt)}` : "active"}</td>
                  <td>
                    {k.revokedAt ? null : (
                      <button type="button" aria-label={`Revoke key ${k.name}`} onClick={() => revoke(k)}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <form class="form inline-form" onSubmit={create} aria-label="Create a key">
        <label>
          Key name
          <input value={name} required onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            <option value="invoker">invoker</option>
            <option value="developer">developer</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <button type="submit" disabled={action.busy}>
          Create key
        </button>
      </form>
      {created ? (
        <div class="card ok" role="status">
          <p>New key {created.id}, shown only this once: copy it now.</p>
          <code aria-label="New API key">{created.key}</code>
          <button type="button" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      ) : null}
      <ErrorBox error={action.error} />
    </Section>
  );
}

function Allowlist({ api, admin }: { api: Client; admin: boolean }) {
  const [text, setText] = useState<string | null>(null);
  const list = useLoad(async () => {
    const a = await api.get<{ domains: string[]; updatedAt: string | null }>("/allowlist");
    setText(a.domains.join("\n"));
    return a;
  }, []);
  const action = useAction();
  const [saved, setSaved] = useState(false);
  const save = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      setSaved(false);
      const domains = (text ?? "")
        .split("\n")
        .map((d) => d.trim())
        .filter(Boolean);
      await api.put("/allowlist", { domains });
      setSaved(true);
      list.reload();
    });
  };
  return (
    <Section title="Outbound allowlist">
      <ErrorBox error={list.error} />
      <form class="form" onSubmit={save}>
        <label>
          Hosts functions may fetch (one per line; *.example.com for subdomains)
          <textarea
            rows={4}
            readOnly={!admin}
            value={text ?? ""}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </label>
        {admin ? (
          <button type="submit" disabled={action.busy || text === null}>
            Save allowlist
          </button>
        ) : null}
      </form>
      {saved ? (
        <p class="ok" role="status">
          Allowlist saved.
        </p>
      ) : null}
      <ErrorBox error={action.error} />
    </Section>
  );
}

interface Dead {
  id: string;
  function: string;
  trigger: string;
  attempts: number;
  error: { code: string; message: string } | null;
  failedAt: string;
}

/** Async invocations that used up their retries; redrive queues one again under its id. */
function DeadLetters({ api }: { api: Client }) {
  const list = useLoad(() => api.get<{ dlq: Dead[] }>("/dlq?limit=50"), []);
  const action = useAction();
  const [queued, setQueued] = useState<string | null>(null);
  const redrive = (d: Dead) =>
    action.run(async () => {
      await api.post(`/dlq/${encodeURIComponent(d.id)}/redrive`, {});
      setQueued(d.id);
      list.reload();
    });
  return (
    <Section title="Dead letters">
      <ErrorBox error={list.error} />
      {list.data && list.data.dlq.length === 0 ? <p class="hint">No dead-lettered invocations.</p> : null}
      {list.data && list.data.dlq.length > 0 ? (
        <div class="scroll">
          <table aria-label="Dead letters">
            <thead>
              <tr>
                <th>Failed</th>
                <th>Function</th>
                <th>Attempts</th>
                <th>Error</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.dlq.map((d) => (
                <tr key={d.id}>
                  <td>{when(d.failedAt)}</td>
                  <td>{d.function}</td>
                  <td class="num">{d.attempts}</td>
                  <td>{d.error ? `${d.error.code}: ${d.error.message}` : ""}</td>
                  <td>
                    <button type="button" aria-label={`Redrive ${d.id}`} onClick={() => redrive(d)}>
                      Redrive
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {queued ? (
        <p class="ok" role="status">
          Queued {queued} again.
        </p>
      ) : null}
      <ErrorBox error={action.error} />
    </Section>
  );
}

interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string | null;
}

function Audit({ api }: { api: Client }) {
  const list = useLoad(() => api.get<{ entries: AuditEntry[] }>("/audit?limit=50"), []);
  return (
    <Section
      title="Audit log"
      actions={
        <button type="button" onClick={list.reload}>
          Refresh audit log
        </button>
      }
    >
      <ErrorBox error={list.error} />
      {list.data ? (
        <div class="scroll">
          <table aria-label="Audit log">
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>Action</th>
                <th>Target</th>
              </tr>
            </thead>
            <tbody>
              {list.data.entries.map((e) => (
                <tr key={e.id}>
                  <td>{when(e.at)}</td>
                  <td>{e.actor}</td>
                  <td>{e.action}</td>
                  <td>{e.target ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Section>
  );
}
