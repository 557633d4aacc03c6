import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import type { ApiError } from "./api.js";

/** Loads with `load` when `deps` change; `reload` loads again. Errors are kept, not thrown. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: ApiError | Error; loading: boolean }>({
    loading: true,
  });
  const reload = useCallback(() => {
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => setState({ data, loading: false }),
      // What was shown stays on screen beside the error (a server that went away, say).
      (error: Error) => setState((s) => ({ data: s.data, error, loading: false })),
    );
  }, deps);
  useEffect(reload, [reload]);
  return { ...state, reload };
}

/** An error as a person reads it: the server's message, and its code. Always text, never HTML. */
export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error as ApiError;
  return (
    <div class="error" role="alert">
      {e.message}
      {e.code ? <span class="code"> ({e.code})</span> : null}
    </div>
  );
}

export function Section(props: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section aria-label={props.title}>
      <header class="section-head">
        <h2>{props.title}</h2>
        {props.actions}
      </header>
      {props.children}
    </section>
  );
}

export const ms = (v: number | null | undefined) =>
  v === null || v === undefined ? "—" : v < 10 ? `${v.toFixed(1)} ms` : `${Math.round(v)} ms`;
export const when = (t: string | number | null | undefined) =>
  t === null || t === undefined ? "—" : new Date(t).toLocaleString();
export const pct = (v: number) => `${(v * 100).toFixed(v > 0 && v < 0.01 ? 2 : 0)}%`;

/** JSON as text for a <pre>; strings stay as they are. */
export function shown(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  return JSON.stringify(value, null, 2);
}

/** Runs an action, keeping its error and whether it is running, for buttons and forms. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, setError };
}
