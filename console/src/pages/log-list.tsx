import type { LogLine } from "../api.js";

/** An activation's log lines, as text. */
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
