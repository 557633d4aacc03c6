import { useEffect, useRef, useState } from "preact/hooks";
import { can, client, fn, type Client, type FunctionDetail, type Session } from "../api.js";
import type { Editor, TypeProblem } from "../editor.js";
import { ErrorBox, Section, ms, pct, useAction, useLoad } from "../ui.js";
import { ActivationsPanel } from "./activations.js";
import { errorRate } from "./functions.js";
import { ConfigPanel } from "./config.js";
import { LogsPanel } from "./logs.js";
import { MetricsPanel } from "./metrics.js";
import { TestInvoke } from "./test-invoke.js";
import { VersionsPanel } from "./versions.js";
import { CanaryPanel } from "./canary.js";

/** The config fields PUT accepts; a save carries the latest version's config so it is kept. */
const CONFIG_KEYS = [
  "timeoutMs",
  "memoryMb",
  "concurrency",
  "minInstances",
  "maxInstances",
  "idleTimeoutMs",
  "env",
  "events",
  "sequence",
  "schedules",
  "queues",
  "public",
  "retry",
];

interface VersionSource {
  version: number;
  source?: string;
  config: Record<string, unknown>;
}

/** Server compile errors: `index.ts:3:14: message` lines, as 1-based line and column. */
export function compileErrors(message: string) {
  const found = [...message.matchAll(/^[^\s:]+:(\d+):(\d+): (.*)$/gm)].map((m) => ({
    line: Number(m[1]),
    column: Number(m[2]),
    message: m[3]!,
  }));
  return found;
}

export function FunctionPage({ session, name }: { session: Session; name: string }) {
  const [tick, setTick] = useState(0);
  const refresh = () => setTick((t) => t + 1);
  if (!can(session, "developer")) {
    return (
      <>
        <h1>{name}</h1>
        <TestInvoke session={session} name={name} onInvoked={refresh} />
      </>
    );
  }
  return <DeveloperView session={session} name={name} tick={tick} refresh={refresh} />;
}

function DeveloperView(props: { session: Session; name: string; tick: number; refresh: () => void }) {
  const { session, name, tick, refresh } = props;
  const api = client(session);
  const detail = useLoad(() => api.get<FunctionDetail>(fn(name)), [session.key, name, tick]);
  const f = detail.data;
  if (detail.error && !f) return <ErrorBox error={detail.error} />;
  if (!f) return <p>Loading…</p>;
  const h = f.stats.lastHour;
  return (
    <>
      <header class="fn-head">
        <h1>{f.name}</h1>
        <span class={`state state-${f.state}`}>{f.state}</span>
        <span>{f.style} style</span>
        <span>
          latest v{f.latestVersion}, deployed {f.deployedVersion === null ? "none" : `v${f.deployedVersion}`}
        </span>
        <span>
          last hour: {h.invocations} invocations, {pct(errorRate(h.byStatus, h.invocations))} errors, p50{" "}
          {ms(h.p50Ms)}, p99 {ms(h.p99Ms)}
        </span>
      </header>
      <div class="grid">
        <SourcePanel api={api} session={session} f={f} onSaved={refresh} />
        <TestInvoke session={session} name={name} style={f.style} onInvoked={refresh} />
      </div>
      <ConfigPanel api={api} f={f} onSaved={refresh} />
      <MetricsPanel api={api} name={name} tick={tick} />
      <ActivationsPanel api={api} name={name} versions={f.versions} tick={tick} />
      <LogsPanel session={session} name={name} />
      <VersionsPanel api={api} f={f} onChanged={refresh} />
      <CanaryPanel api={api} f={f} onChanged={refresh} />
    </>
  );
}

function SourcePanel(props: { api: Client; session: Session; f: FunctionDetail; onSaved: () => void }) {
  const { api, f } = props;
  const draftKey = `runlet.draft.${props.session.account}.${f.name}`;
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<Editor | null>(null);
  const [latest, setLatest] = useState<VersionSource | null>(null);
  const [dirty, setDirty] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [errors, setErrors] = useState<{ line: number; column: number; message: string }[]>([]);
  const [typeProblems, setTypeProblems] = useState<TypeProblem[]>([]);
  const action = useAction();

  // The latest version's source and config, once per version.
  useEffect(() => {
    let gone = false;
    void api
      .get<VersionSource>(`${fn(f.name)}/versions/${f.latestVersion}`)
      .then((v) => !gone && setLatest(v));
    return () => {
      gone = true;
    };
  }, [f.name, f.latestVersion]);

  // The editor, loaded lazily; text typed but not saved is kept in localStorage until a save succeeds.
  useEffect(() => {
    if (!latest || !host.current) return;
    let gone = false;
    const draft = localStorage.getItem(draftKey);
    const initial = draft ?? latest.source ?? "";
    setDirty(draft !== null && draft !== latest.source);
    void import("../editor.js").then(({ createEditor }) => {
      if (gone || !host.current) return;
      editor.current?.destroy();
      editor.current = createEditor(
        host.current,
        initial,
        (text) => {
          localStorage.setItem(draftKey, text);
          setDirty(text !== latest.source);
        },
        setTypeProblems,
      );
    });
    return () => {
      gone = true;
      editor.current?.destroy();
      editor.current = null;
    };
  }, [latest]);

  const save = (deploy: boolean) =>
    action.run(async () => {
      if (!editor.current || !latest) return;
      setNotice(null);
      setErrors([]);
      editor.current.mark([]);
      const config = Object.fromEntries(
        CONFIG_KEYS.filter((k) => latest.config[k] !== undefined && latest.config[k] !== null).map((k) => [
          k,
          latest.config[k],
        ]),
      );
      try {
        const saved = await api.put<{ version: number }>(`${fn(f.name)}${deploy ? "?deploy=true" : ""}`, {
          ...config,
          source: editor.current.value(),
        });
        localStorage.removeItem(draftKey);
        setDirty(false);
        setNotice(deploy ? `Saved and deployed v${saved.version}` : `Saved as v${saved.version}`);
        props.onSaved();
      } catch (err) {
        const found = compileErrors((err as Error).message);
        setErrors(found);
        editor.current.mark(found);
        throw err;
      }
    });

  const deploy = () =>
    action.run(async () => {
      await api.post(`${fn(f.name)}/deploy`, {});
      setNotice(`Deployed v${f.latestVersion}`);
      props.onSaved();
    });

  return (
    <Section
      title="Source"
      actions={
        <div class="buttons">
          <button type="button" disabled={action.busy} onClick={() => save(false)}>
            Save
          </button>
          <button type="button" disabled={action.busy} onClick={() => save(true)}>
            Save and deploy
          </button>
          <button
            type="button"
            disabled={action.busy || dirty || f.deployedVersion === f.latestVersion}
            onClick={deploy}
          >
            Deploy
          </button>
        </div>
      }
    >
      <div ref={host} class="editor">
        {latest ? null : <p>Loading source…</p>}
      </div>
      {dirty ? <p class="hint">Unsaved changes (kept in this browser until saved).</p> : null}
      {notice ? (
        <p class="ok" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorBox error={action.error} />
      {typeProblems.length > 0 ? (
        <ul class="compile-errors" aria-label="Type errors">
          {typeProblems.map((e, i) => (
            <li key={i}>
              Line {e.line}, column {e.column}: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      {errors.length > 0 ? (
        <ul class="compile-errors" aria-label="Compile errors">
          {errors.map((e) => (
            <li key={`${e.line}:${e.column}`}>
              Line {e.line}, column {e.column}: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </Section>
  );
}
