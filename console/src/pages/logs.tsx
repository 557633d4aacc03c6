import { useEffect, useMemo, useState } from "preact/hooks";
import { fn, type Session } from "../api.js";
import { ErrorBox, Section, when } from "../ui.js";

interface Line {
  activationId: string;
  t: string;
  level: string;
  msg: string;
}

const KEEP = 2000;
const LEVELS = ["debug", "log", "info", "warn", "error"];

/**
 * The function's log lines, live: GET …/logs?follow=true read as server-sent events through fetch (an
 * EventSource cannot send the key as a header, and the key never goes in a URL).
 */
export function LogsPanel({ session, name }: { session: Session; name: string }) {
  const [lines, setLines] = useState<Line[]>([]);
  const [live, setLive] = useState(true);
  const [level, setLevel] = useState("");
  const [search, setSearch] = useState("");
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!live) return;
    const abort = new AbortController();
    setError(null);
    setLines([]);
    const path = `/v1/accounts/${encodeURIComponent(session.account)}${fn(name)}/logs?follow=true&limit=200`;
    (async () => {
      const res = await fetch(path, {
        headers: { authorization: `Bearer ${session.key}`, accept: "text/event-stream" },
        signal: abort.signal,
        cache: "no-store",
      });
      if (!res.ok || !res.body) throw new Error(`the log stream answered ${res.status}`);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        const events = buffer.split("\n\n");
        buffer = events.pop() ?? "";
        const fresh: Line[] = [];
        for (const event of events) {
          const data = event
            .split("\n")
            .filter((l) => l.startsWith("data: "))
            .map((l) => l.slice(6))
            .join("\n");
          if (data) fresh.push(JSON.parse(data) as Line);
        }
        if (fresh.length > 0) setLines((old) => [...old, ...fresh].slice(-KEEP));
      }
    })().catch((err: Error) => {
      if (!abort.signal.aborted) setError(err);
    });
    return () => abort.abort();
  }, [session.key, name, live]);

  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return lines.filter(
      (l) => (level === "" || l.level === level) && (needle === "" || l.msg.toLowerCase().includes(needle)),
    );
  }, [lines, level, search]);

  const download = (kind: "csv" | "json") => {
    const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;
    const text =
      kind === "json"
        ? JSON.stringify(shown, null, 2)
        : [
            "time,level,activation,message",
            ...shown.map((l) => [l.t, l.level, l.activationId, l.msg].map(quote).join(",")),
          ].join("\n");
    const url = URL.createObjectURL(
      new Blob([text], { type: kind === "json" ? "application/json" : "text/csv" }),
    );
    const a = document.createElement("a");
    a.href = url;
    a.download = `${name}-logs.${kind}`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <Section
      title="Logs"
      actions={
        <div class="buttons">
          <button type="button" aria-pressed={live} onClick={() => setLive(!live)}>
            {live ? "Live" : "Paused"}
          </button>
          <label>
            Level{" "}
            <select value={level} onChange={(e) => setLevel(e.currentTarget.value)}>
              <option value="">all</option>
              {LEVELS.map((l) => (
                <option key={l}>{l}</option>
              ))}
            </select>
          </label>
          <label>
            Search logs{" "}
            <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
          </label>
          <button type="button" onClick={() => download("csv")}>
            Export CSV
          </button>
          <button type="button" onClick={() => download("json")}>
            Export JSON
          </button>
        </div>
      }
    >
      <ErrorBox error={error} />
      {shown.length === 0 ? (
        <p class="hint">{lines.length === 0 ? "No log lines yet." : "No line matches."}</p>
      ) : (
        <ol class="logs" aria-label="Function logs">
          {shown.map((l, i) => (
            <li key={i} class={`log log-${l.level}`}>
              <span class="time">{when(l.t)}</span> <span class="level">{l.level}</span>{" "}
              <span class="msg">{l.msg}</span>
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}
