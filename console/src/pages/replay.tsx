import { useState } from "preact/hooks";
import type { Client, VersionView } from "../api.js";
import { ErrorBox, shown, useAction } from "../ui.js";

/** What POST …/activations/{id}/replay answers (see README, Record and replay). */
interface ReplayReport {
  activationId: string;
  recordedVersion: number;
  version: number;
  verdict: "same" | "different_result" | "different_calls";
  diff: { path: string; recorded?: unknown; replayed?: unknown }[];
  calls: { what: string; problem: "not_recorded" | "not_made" }[];
}

const VERDICT: Record<ReplayReport["verdict"], string> = {
  same: "Same result",
  different_result: "Different result",
  different_calls: "Different calls",
};

/**
 * Replays a recorded activation on a kept version (its input and recorded answers; nothing real happens)
 * and shows the verdict; an activation that was not recorded gets the server's message.
 */
export function ReplayPanel(props: { api: Client; activationId: string; versions: VersionView[] }) {
  const { api, activationId, versions } = props;
  const action = useAction();
  const [version, setVersion] = useState(versions[0]?.version ?? 1);
  const [report, setReport] = useState<ReplayReport | null>(null);
  if (versions.length === 0) return null;

  const replay = () =>
    void action.run(async () => {
      setReport(null);
      setReport(
        await api.post<ReplayReport>(`/activations/${encodeURIComponent(activationId)}/replay`, { version }),
      );
    });

  return (
    <section aria-label="Replay">
      <h4>Replay</h4>
      <div class="toolbar">
        <label>
          Replay on version{" "}
          <select value={version} onChange={(e) => setVersion(Number(e.currentTarget.value))}>
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                v{v.version}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={action.busy} onClick={replay}>
          Replay on v{version}
        </button>
      </div>
      <ErrorBox error={action.error} />
      {report ? <Verdict r={report} /> : null}
    </section>
  );
}

function Verdict({ r }: { r: ReplayReport }) {
  return (
    <div role="status" aria-label="Replay verdict">
      <p>
        <strong>{VERDICT[r.verdict]}</strong> on v{r.version} (recorded on v{r.recordedVersion}).
      </p>
      {r.diff.length > 0 ? (
        <div class="scroll">
          <table aria-label="Result differences">
            <thead>
              <tr>
                <th>Path</th>
                <th>Recorded</th>
                <th>Replayed</th>
              </tr>
            </thead>
            <tbody>
              {r.diff.map((d, i) => (
                <tr key={i}>
                  <td>{d.path}</td>
                  <td>
                    <pre>{shown(d.recorded)}</pre>
                  </td>
                  <td>
                    <pre>{shown(d.replayed)}</pre>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {r.calls.length > 0 ? (
        <ul aria-label="Call differences">
          {r.calls.map((c, i) => (
            <li key={i}>
              {c.what}:{" "}
              {c.problem === "not_recorded"
                ? "made by the replay, not in the recording"
                : "recorded, not made"}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
