import { useState } from "preact/hooks";
import { ApiError, type Client } from "../api.js";
import { ErrorBox, Section, useAction, useLoad, when } from "../ui.js";
import type { IdleFunction } from "../../../src/model/idle.js";

interface IdlePolicy {
  undeployAfterDays: number;
  webhookUrl: string | null;
  updatedAt: string;
}

function holds(f: IdleFunction): string {
  const h = f.holds;
  const parts = [
    `${h.minInstances} warm × ${h.memoryMb} MB`,
    `${h.schedules} schedules`,
    `${h.subscriptions} subscriptions`,
    `${h.storage.versions} versions (${h.storage.bytes} bytes)`,
  ];
  return parts.join(", ");
}

/** Forgotten functions: those not invoked in N days, what they hold and cost; the admin's undeploy policy. */
export function IdlePanel({ api, admin }: { api: Client; admin: boolean }) {
  const [days, setDays] = useState("30");
  const [asked, setAsked] = useState("30");
  const list = useLoad(
    () =>
      api.get<{ idleDays: number; functions: IdleFunction[] }>(
        `/functions?idleDays=${encodeURIComponent(asked)}`,
      ),
    [asked],
  );
  const show = (e: Event) => {
    e.preventDefault();
    // Sent as typed: the server refuses what is not a whole number of days from 0 to 3650, with its message.
    setAsked(days.trim());
  };
  return (
    <Section title="Forgotten functions">
      <form class="form inline-form" onSubmit={show} aria-label="Find idle functions">
        <label>
          Not invoked for (days)
          <input type="number" value={days} onInput={(e) => setDays(e.currentTarget.value)} />
        </label>
        <button type="submit">Show idle functions</button>
      </form>
      <ErrorBox error={list.error} />
      {list.data && list.data.functions.length === 0 ? (
        <p class="hint">No function idle for {list.data.idleDays} days.</p>
      ) : null}
      {list.data && list.data.functions.length > 0 ? (
        <div class="scroll">
          <table aria-label="Idle functions">
            <thead>
              <tr>
                <th>Function</th>
                <th>State</th>
                <th>Last invoked</th>
                <th>Idle days</th>
                <th>Holds</th>
                <th>Cost per month</th>
              </tr>
            </thead>
            <tbody>
              {list.data.functions.map((f) => (
                <tr key={f.name}>
                  <td>{f.name}</td>
                  <td>{f.state}</td>
                  <td>{f.lastInvokedAt ? when(f.lastInvokedAt) : "never"}</td>
                  <td class="num">{f.idleDays}</td>
                  <td>{holds(f)}</td>
                  <td class="num">{f.cost.perMonth}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {admin ? <IdlePolicyForm api={api} /> : <p class="hint">Only an admin key can set the idle policy.</p>}
    </Section>
  );
}

function IdlePolicyForm({ api }: { api: Client }) {
  const policy = useLoad(async () => {
    try {
      return await api.get<IdlePolicy>("/idle-policy");
    } catch (err) {
      if (err instanceof ApiError && err.code === "RUNLET_ERR_IDLE_POLICY_NOT_FOUND") return null;
      throw err;
    }
  }, []);
  const [after, setAfter] = useState("30");
  const [webhookUrl, setWebhookUrl] = useState("");
  const action = useAction();
  const set = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      await api.put("/idle-policy", {
        undeployAfterDays: Number(after),
        webhookUrl: webhookUrl.trim() === "" ? null : webhookUrl.trim(),
      });
      policy.reload();
    });
  };
  const remove = () => {
    if (!confirm("Delete the idle policy? Idle functions stay deployed.")) return;
    void action.run(async () => {
      await api.del("/idle-policy");
      policy.reload();
    });
  };
  const p = policy.data;
  return (
    <>
      <h3>Idle policy</h3>
      <ErrorBox error={policy.error} />
      {p === null ? <p class="hint">No idle policy: idle functions stay deployed.</p> : null}
      {p ? (
        <p aria-label="Idle policy" role="status">
          Undeploy after {p.undeployAfterDays} days idle; webhook {p.webhookUrl ?? "none"} (set{" "}
          {when(p.updatedAt)})
        </p>
      ) : null}
      <form class="form inline-form" onSubmit={set} aria-label="Set the idle policy">
        <label>
          Undeploy after (days)
          <input type="number" required value={after} onInput={(e) => setAfter(e.currentTarget.value)} />
        </label>
        <label>
          Idle webhook URL
          <input value={webhookUrl} onInput={(e) => setWebhookUrl(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={action.busy}>
          Set idle policy
        </button>
        {p ? (
          <button type="button" disabled={action.busy} onClick={remove}>
            Delete idle policy
          </button>
        ) : null}
      </form>
      <ErrorBox error={action.error} />
    </>
  );
}
