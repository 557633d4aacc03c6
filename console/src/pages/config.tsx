import { useState } from "preact/hooks";
import { fn, type Client, type FunctionDetail } from "../api.js";
import { ErrorBox, Section, useAction, when } from "../ui.js";

type Config = Record<string, unknown>;

const NUMBERS: [key: string, label: string][] = [
  ["timeoutMs", "Timeout (ms)"],
  ["memoryMb", "Memory (MB)"],
  ["concurrency", "Concurrency"],
  ["minInstances", "Min instances"],
  ["maxInstances", "Max instances"],
  ["idleTimeoutMs", "Idle timeout (ms)"],
];

interface Upcoming {
  cron: string;
  timezone: string;
  next: string[];
  lastFiredAt: string | null;
}

const envText = (env: unknown) =>
  Object.entries((env ?? {}) as Record<string, string>)
    .map(([k, v]) => `${k}=${v}`)
    .join("\n");
const eventsText = (events: unknown) =>
  ((events ?? []) as unknown[]).map((e) => (typeof e === "string" ? e : JSON.stringify(e))).join("\n");

/**
 * The latest version's config as a form. Saving makes a new version with the latest saved source and this
 * config (the server validates it and says what is wrong); deploy it from the Source panel or Versions.
 */
export function ConfigPanel(props: {
  api: Client;
  f: FunctionDetail & { schedules?: Upcoming[] };
  onSaved: () => void;
}) {
  const { api, f } = props;
  const action = useAction();
  const [form, setForm] = useState<Record<string, string> | null>(null);
  const [base, setBase] = useState<{ source: string; config: Config } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const open = () =>
    action.run(async () => {
      const v = await api.get<{ source?: string; config: Config }>(
        `${fn(f.name)}/versions/${f.latestVersion}`,
      );
      setBase({ source: v.source ?? "", config: v.config });
      const c = v.config;
      setForm({
        ...Object.fromEntries(
          NUMBERS.map(([k]) => [k, c[k] === undefined || c[k] === null ? "" : String(c[k])]),
        ),
        env: envText(c.env),
        events: eventsText(c.events),
        schedules: JSON.stringify(c.schedules ?? [], null, 2),
        retryAttempts: String((c.retry as { attempts?: number } | undefined)?.attempts ?? ""),
        public: c.public ? "true" : "",
      });
    });

  const save = (e: Event) => {
    e.preventDefault();
    if (!form || !base) return;
    void action.run(async () => {
      setNotice(null);
      const config: Config = { ...base.config };
      for (const [k] of NUMBERS) if (form[k] !== "") config[k] = Number(form[k]);
      config.env = Object.fromEntries(
        form
          .env!.split("\n")
          .map((l) => l.trim())
          .filter(Boolean)
          .map((l) => {
            const at = l.indexOf("=");
            if (at < 1) throw new Error(`env line "${l}" is not NAME=value`);
            return [l.slice(0, at), l.slice(at + 1)];
          }),
      );
      config.events = form
        .events!.split("\n")
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => (l.startsWith("{") ? JSON.parse(l) : l));
      try {
        config.schedules = JSON.parse(form.schedules || "[]");
      } catch {
        throw new Error('Schedules must be JSON, like [{"cron": "*/5 * * * *"}]');
      }
      if (form.retryAttempts !== "")
        config.retry = { ...(base.config.retry as object), attempts: Number(form.retryAttempts) };
      config.public = form.public === "true";
      for (const k of Object.keys(config))
        if (config[k] === null || config[k] === undefined) delete config[k];
      const saved = await api.put<{ version: number }>(fn(f.name), { ...config, source: base.source });
      setNotice(`Saved as v${saved.version} (deploy it to apply)`);
      setForm(null);
      props.onSaved();
    });
  };

  const set = (k: string) => (e: { currentTarget: { value: string } }) =>
    setForm((old) => ({ ...old!, [k]: e.currentTarget.value }));

  return (
    <Section
      title="Configuration"
      actions={
        form ? null : (
          <button type="button" onClick={open} disabled={action.busy}>
            Edit configuration
          </button>
        )
      }
    >
      {f.schedules && f.schedules.length > 0 ? (
        <ul aria-label="Schedules">
          {f.schedules.map((s) => (
            <li key={s.cron}>
              <code>{s.cron}</code> ({s.timezone}): next {s.next.map(when).join(", ") || "— (not deployed)"}
              {s.lastFiredAt ? `; last fired ${when(s.lastFiredAt)}` : ""}
            </li>
          ))}
        </ul>
      ) : null}
      {form ? (
        <form class="form" onSubmit={save} aria-label="Configuration">
          <div class="inline-form">
            {NUMBERS.map(([k, label]) => (
              <label key={k}>
                {label}
                <input type="number" value={form[k]} onInput={set(k)} />
              </label>
            ))}
            <label>
              Retry attempts (async)
              <input type="number" value={form.retryAttempts} onInput={set("retryAttempts")} />
            </label>
            <label class="inline">
              <input
                type="checkbox"
                checked={form.public === "true"}
                onChange={(e) => setForm({ ...form, public: e.currentTarget.checked ? "true" : "" })}
              />{" "}
              Public (web calls need no key)
            </label>
          </div>
          <label>
            Environment (NAME=value, one a line)
            <textarea rows={3} value={form.env} onInput={set("env")} />
          </label>
          <label>
            Events (one type a line)
            <textarea rows={2} value={form.events} onInput={set("events")} />
          </label>
          <label>
            Schedules (JSON)
            <textarea rows={3} value={form.schedules} onInput={set("schedules")} />
          </label>
          <p class="hint">Saving makes a new version with the latest saved source and this configuration.</p>
          <div class="buttons">
            <button type="submit" disabled={action.busy}>
              Save configuration
            </button>
            <button type="button" onClick={() => setForm(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
      {notice ? (
        <p class="ok" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorBox error={action.error} />
    </Section>
  );
}
