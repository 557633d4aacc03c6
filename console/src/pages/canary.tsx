import { useState } from "preact/hooks";
import { fn, type Client, type FunctionDetail } from "../api.js";
import { ErrorBox, Section, ms, useAction, when } from "../ui.js";

/**
 * Canary rollouts: deploy a version for a share of invocations (with an optional auto-rollback policy),
 * see the running canary and promote or end it, and the last hour's invocations per version.
 * Only rendered in the developer view (the routes need a developer key).
 */
export function CanaryPanel(props: { api: Client; f: FunctionDetail; onChanged: () => void }) {
  const { api, f } = props;
  const action = useAction();
  const canary = f.canary ?? null;

  const end = (how: "promote" | "rollback") => {
    if (!canary) return;
    const question =
      how === "promote"
        ? `Promote v${canary.version} of ${f.name}? It takes every invocation at once.`
        : `Roll back the canary v${canary.version} of ${f.name}? v${f.deployedVersion} takes every invocation again.`;
    if (!confirm(question)) return;
    void action.run(async () => {
      await api.post(`${fn(f.name)}/${how}`);
      props.onChanged();
    });
  };

  return (
    <Section title="Canary">
      <ErrorBox error={action.error} />
      {canary ? (
        <div role="status" aria-label="Running canary">
          <p>
            Canary v{canary.version} takes {canary.percent} % of invocations since {when(canary.since)}
            {f.deployedVersion !== null ? `, beside v${f.deployedVersion}` : ""}.
            {canary.autoRollback
              ? ` It rolls back by itself if its error rate passes the deployed version's by ${canary.autoRollback.maxErrorRate} over ${ms(canary.autoRollback.windowMs)} (at least ${canary.autoRollback.minInvocations} invocations).`
              : ""}
          </p>
          <div class="toolbar">
            <button type="button" disabled={action.busy} onClick={() => end("promote")}>
              Promote
            </button>
            <button type="button" disabled={action.busy} onClick={() => end("rollback")}>
              Roll back canary
            </button>
          </div>
        </div>
      ) : (
        <p class="hint">No canary runs: the deployed version takes every invocation.</p>
      )}
      <CanaryForm {...props} />
      <ByVersion f={f} />
    </Section>
  );
}

function CanaryForm(props: { api: Client; f: FunctionDetail; onChanged: () => void }) {
  const { api, f } = props;
  const action = useAction();
  const choices = f.versions.filter((v) => v.version !== f.deployedVersion);
  const [version, setVersion] = useState(choices[0]?.version ?? f.latestVersion);
  const [percent, setPercent] = useState("10");
  const [maxErrorRate, setMaxErrorRate] = useState("");
  const [minInvocations, setMinInvocations] = useState("");
  const [windowText, setWindowText] = useState("");
  if (choices.length === 0 || f.deployedVersion === null) return null;

  const submit = (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = { version, percent: Number(percent.trim() || "NaN") };
    if (maxErrorRate.trim() || minInvocations.trim() || windowText.trim()) {
      const policy: Record<string, unknown> = { maxErrorRate: Number(maxErrorRate.trim() || "NaN") };
      if (minInvocations.trim()) policy.minInvocations = Number(minInvocations);
      if (windowText.trim())
        policy.window = /^\d+$/.test(windowText.trim()) ? Number(windowText) : windowText.trim();
      body.autoRollback = policy;
    }
    void action.run(async () => {
      await api.post(`${fn(f.name)}/deploy`, body);
      props.onChanged();
    });
  };

  return (
    <form aria-label="Deploy as canary" noValidate onSubmit={submit}>
      <h3>Deploy as canary</h3>
      <ErrorBox error={action.error} />
      <div class="toolbar">
        <label>
          Canary version{" "}
          <select value={version} onChange={(e) => setVersion(Number(e.currentTarget.value))}>
            {choices.map((v) => (
              <option key={v.version} value={v.version}>
                v{v.version}
              </option>
            ))}
          </select>
        </label>
        <label>
          Percent{" "}
          <input
            type="number"
            min={0}
            max={100}
            step="any"
            value={percent}
            onInput={(e) => setPercent(e.currentTarget.value)}
          />
        </label>
      </div>
      <fieldset>
        <legend>Auto-rollback (optional)</legend>
        <label>
          Max error rate{" "}
          <input
            inputMode="decimal"
            placeholder="0.05"
            value={maxErrorRate}
            onInput={(e) => setMaxErrorRate(e.currentTarget.value)}
          />
        </label>{" "}
        <label>
          Min invocations{" "}
          <input
            inputMode="numeric"
            placeholder="20"
            value={minInvocations}
            onInput={(e) => setMinInvocations(e.currentTarget.value)}
          />
        </label>{" "}
        <label>
          Window{" "}
          <input placeholder="10m" value={windowText} onInput={(e) => setWindowText(e.currentTarget.value)} />
        </label>
      </fieldset>
      <button type="submit" disabled={action.busy}>
        Deploy as canary
      </button>
    </form>
  );
}

function ByVersion({ f }: { f: FunctionDetail }) {
  const rows = f.stats.lastHour.byVersion ?? [];
  if (rows.length === 0) return <p class="hint">No invocations in the last hour.</p>;
  return (
    <div class="scroll">
      <table aria-label="Last hour by version">
        <thead>
          <tr>
            <th>Version</th>
            <th>Invocations</th>
            <th>Succeeded</th>
            <th>Failed</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const ok = r.byStatus.succeeded ?? 0;
            return (
              <tr key={r.version}>
                <td>v{r.version}</td>
                <td class="num">{r.invocations}</td>
                <td class="num">{ok}</td>
                <td class="num">{r.invocations - ok}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
