import { useState } from "preact/hooks";
import { ApiError, type Client } from "../api.js";
import { ErrorBox, Section, useAction, useLoad, when } from "../ui.js";

interface Budget {
  amount: number;
  thresholds: number[];
  hardLimit: boolean;
  webhookUrl?: string;
  period: string;
  spent: number;
  percent: number;
  exceeded: boolean;
  updatedAt: string;
}

interface Alert {
  id: string;
  function?: string;
  period: string;
  threshold: number;
  amount: number;
  spent: number;
  createdAt: string;
  delivery?: { status: "delivered" | "failed"; at: string; error?: string };
}

/** The account's monthly budget (admin sets it, developers read it) and the alerts it fired. */
export function BudgetPanel({ api, admin }: { api: Client; admin: boolean }) {
  const budget = useLoad(async () => {
    try {
      return await api.get<Budget>("/budget");
    } catch (err) {
      if (err instanceof ApiError && err.code === "RUNLET_ERR_BUDGET_NOT_FOUND") return null;
      throw err;
    }
  }, []);
  const alerts = useLoad(() => api.get<{ alerts: Alert[] }>("/alerts?limit=50"), []);
  const [amount, setAmount] = useState("");
  const [thresholds, setThresholds] = useState("50, 80, 100");
  const [hardLimit, setHardLimit] = useState(false);
  const [webhookUrl, setWebhookUrl] = useState("");
  const action = useAction();
  const reload = () => {
    budget.reload();
    alerts.reload();
  };
  const set = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      const list = thresholds
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean)
        .map(Number);
      await api.put("/budget", {
        amount: Number(amount),
        thresholds: list,
        hardLimit,
        webhookUrl: webhookUrl.trim() === "" ? null : webhookUrl.trim(),
      });
      reload();
    });
  };
  const remove = () => {
    if (!confirm("Delete the account's budget? No more alerts or hard limit.")) return;
    void action.run(async () => {
      await api.del("/budget");
      reload();
    });
  };
  const b = budget.data;
  return (
    <Section
      title="Budget"
      actions={
        <button type="button" onClick={reload}>
          Refresh budget
        </button>
      }
    >
      <ErrorBox error={budget.error} />
      {b === null ? <p class="hint">No budget for this account.</p> : null}
      {b ? (
        <dl aria-label="Account budget">
          <dt>Amount per month</dt>
          <dd>{b.amount}</dd>
          <dt>Spent in {b.period}</dt>
          <dd>
            {b.spent} ({b.percent}%){b.exceeded ? " — exceeded" : ""}{" "}
            <progress aria-label="Budget spent" max={100} value={Math.min(b.percent, 100)} />
          </dd>
          <dt>Alert thresholds</dt>
          <dd>{b.thresholds.map((t) => `${t}%`).join(", ")}</dd>
          <dt>Hard limit</dt>
          <dd>{b.hardLimit ? "yes: invocations refused at 100%" : "no"}</dd>
          <dt>Webhook</dt>
          <dd>{b.webhookUrl ?? "none"}</dd>
          <dt>Updated</dt>
          <dd>{when(b.updatedAt)}</dd>
        </dl>
      ) : null}
      {admin ? (
        <form class="form inline-form" onSubmit={set} aria-label="Set the budget">
          <label>
            Budget amount
            <input
              type="number"
              step="any"
              required
              value={amount}
              onInput={(e) => setAmount(e.currentTarget.value)}
            />
          </label>
          <label>
            Thresholds (%)
            <input value={thresholds} onInput={(e) => setThresholds(e.currentTarget.value)} />
          </label>
          <label>
            <input
              type="checkbox"
              checked={hardLimit}
              onChange={(e) => setHardLimit(e.currentTarget.checked)}
            />
            Hard limit
          </label>
          <label>
            Budget webhook URL
            <input value={webhookUrl} onInput={(e) => setWebhookUrl(e.currentTarget.value)} />
          </label>
          <button type="submit" disabled={action.busy}>
            Set budget
          </button>
          {b ? (
            <button type="button" disabled={action.busy} onClick={remove}>
              Delete budget
            </button>
          ) : null}
        </form>
      ) : (
        <p class="hint">Only an admin key can set or delete the budget.</p>
      )}
      <ErrorBox error={action.error} />
      <h3>Budget alerts</h3>
      <ErrorBox error={alerts.error} />
      {alerts.data && alerts.data.alerts.length === 0 ? <p class="hint">No budget alerts.</p> : null}
      {alerts.data && alerts.data.alerts.length > 0 ? (
        <div class="scroll">
          <table aria-label="Budget alerts">
            <thead>
              <tr>
                <th>When</th>
                <th>Budget</th>
                <th>Threshold</th>
                <th>Spent</th>
                <th>Delivery</th>
              </tr>
            </thead>
            <tbody>
              {alerts.data.alerts.map((a) => (
                <tr key={a.id}>
                  <td>{when(a.createdAt)}</td>
                  <td>{a.function ?? "account"}</td>
                  <td class="num">{a.threshold}%</td>
                  <td class="num">
                    {a.spent} of {a.amount}
                  </td>
                  <td>
                    {a.delivery
                      ? `${a.delivery.status}${a.delivery.error ? `: ${a.delivery.error}` : ""}`
                      : "no webhook"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Section>
  );
}
