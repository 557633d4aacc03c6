import type { FastifyInstance } from "fastify";
import { RunletError } from "../../errors.js";
import type { Budgets } from "../../metering/budgets.js";
import { periodOf } from "../../metering/quotas.js";
import type { Budget, BudgetAlert } from "../../model/budget.js";
import type { Store } from "../../store/store.js";
import { guard, type GuardDeps } from "../guard.js";
import { accountParams, errorResponses, functionParams } from "../schemas.js";

interface BudgetBody {
  amount: number;
  thresholds?: number[];
  hardLimit?: boolean;
  webhookUrl?: string | null;
}

type Deps = GuardDeps & { budgets: Budgets; store: Pick<Store, "functions" | "budgets"> };

const DEFAULT_THRESHOLDS = [50, 80, 100];
/** A month's budget in cost units: more than any account spends, small enough to stay exact in micros. */
const MAX_AMOUNT = 1_000_000_000;

const budgetBody = {
  type: "object",
  properties: {
    amount: { type: "number", description: "cost units (the usage API's) per calendar month, UTC" },
    thresholds: {
      type: "array",
      items: { type: "number" },
      description: "percentages of amount at which an alert fires (default [50, 80, 100])",
    },
    hardLimit: { type: "boolean", description: "at 100 % refuse invocations with 429 until the month ends" },
    webhookUrl: { type: ["string", "null"], description: "where alerts are POSTed, signed" },
  },
  required: ["amount"],
  additionalProperties: false,
} as const;

function invalid(message: string): RunletError {
  return new RunletError("RUNLET_ERR_INVALID_BUDGET", message);
}

/** Checks a PUT body; every refusal says what to send instead. */
function parse(body: BudgetBody, account: string, fn: string | undefined): Budget {
  const { amount, hardLimit = false, webhookUrl } = body;
  if (!Number.isFinite(amount) || amount <= 0 || amount > MAX_AMOUNT) {
    throw invalid(`amount must be above 0 and at most ${MAX_AMOUNT} cost units per month, got ${amount}`);
  }
  const amountMicros = Math.round(amount * 1_000_000);
  if (amountMicros < 1)
    throw invalid("amount must be at least 0.000001 cost units (the usage API's precision)");
  const thresholds = [...new Set(body.thresholds ?? DEFAULT_THRESHOLDS)].sort((a, b) => a - b);
  if (thresholds.length > 10 || thresholds.some((t) => !Number.isInteger(t) || t < 1 || t > 1000)) {
    throw invalid(
      `thresholds must be at most 10 whole percentages from 1 to 1000, like [50, 80, 100]; got ${JSON.stringify(body.thresholds)}`,
    );
  }
  if (typeof webhookUrl === "string") {
    let url: URL | undefined;
    try {
      url = new URL(webhookUrl);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || webhookUrl.length > 2048) {
      throw invalid(`webhookUrl must be an absolute http:// or https:// URL of at most 2048 characters`);
    }
  }
  return {
    account,
    ...(fn !== undefined ? { function: fn } : {}),
    amountMicros,
    thresholds,
    hardLimit,
    ...(typeof webhookUrl === "string" ? { webhookUrl } : {}),
    updatedAt: Date.now(),
  };
}

async function view(budgets: Budgets, budget: Budget) {
  const spent = await budgets.spent(budget);
  return {
    account: budget.account,
    ...(budget.function !== undefined ? { function: budget.function } : {}),
    amount: budget.amountMicros / 1_000_000,
    thresholds: budget.thresholds,
    hardLimit: budget.hardLimit,
    ...(budget.webhookUrl !== undefined
      ? { webhookUrl: budget.webhookUrl, webhookSecret: budgets.webhookSecret(budget.account) }
      : {}),
    period: periodOf(Date.now()),
    spent: spent / 1_000_000,
    percent: Math.floor((spent * 10_000) / budget.amountMicros) / 100,
    exceeded: spent >= budget.amountMicros,
    updatedAt: new Date(budget.updatedAt).toISOString(),
  };
}

function alertView(alert: BudgetAlert) {
  return {
    id: alert.id,
    ...(alert.function !== undefined ? { function: alert.function } : {}),
    period: alert.period,
    threshold: alert.threshold,
    amount: alert.amountMicros / 1_000_000,
    spent: alert.spentMicros / 1_000_000,
    createdAt: new Date(alert.createdAt).toISOString(),
    ...(alert.delivery
      ? { delivery: { ...alert.delivery, at: new Date(alert.delivery.at).toISOString() } }
      : {}),
  };
}

async function find(deps: Deps, account: string, fn: string | undefined): Promise<Budget> {
  const budget = (await deps.budgets.list(account)).find((b) => b.function === fn);
  if (budget) return budget;
  const whose = fn === undefined ? `account ${account}` : `function ${fn}`;
  throw new RunletError(
    "RUNLET_ERR_BUDGET_NOT_FOUND",
    `${whose} has no budget; set one with runlet budget set`,
  );
}

async function mustExist(deps: Deps, account: string, fn: string | undefined): Promise<void> {
  if (fn !== undefined && !(await deps.store.functions.get(account, fn)))
    throw new RunletError("RUNLET_ERR_FUNCTION_NOT_FOUND", `function ${fn} does not exist in this account`);
}

/** Monthly budgets of an account and of its functions, and the alerts they fired. */
export function budgetRoutes(app: FastifyInstance, deps: Deps): void {
  for (const scope of ["account", "function"] as const) {
    const route =
      scope === "account" ? "/v1/accounts/:acct/budget" : "/v1/accounts/:acct/functions/:name/budget";
    const params = scope === "account" ? accountParams : functionParams;
    type Params = { acct: string; name?: string };
    app.get<{ Params: Params }>(
      route,
      {
        preHandler: guard(deps, "developer"),
        schema: {
          summary: `The ${scope}'s monthly budget with this month's spend (cost units, as GET …/usage)`,
          params,
          response: errorResponses(),
        },
      },
      async (request) => {
        await deps.budgets.flush();
        return view(deps.budgets, await find(deps, request.params.acct, request.params.name));
      },
    );
    app.put<{ Params: Params; Body: BudgetBody }>(
      route,
      {
        preHandler: guard(deps, "admin"),
        schema: {
          summary: `Set the ${scope}'s monthly budget: alert thresholds, signed webhook, optional hard limit`,
          params,
          body: budgetBody,
          response: errorResponses(),
        },
      },
      async (request) => {
        const { acct, name } = request.params;
        const budget = parse(request.body, acct, name);
        await mustExist(deps, acct, name);
        await deps.budgets.set(budget);
        return view(deps.budgets, budget);
      },
    );
    app.delete<{ Params: Params }>(
      route,
      {
        preHandler: guard(deps, "admin"),
        schema: { summary: `Remove the ${scope}'s budget`, params, response: errorResponses() },
      },
      async (request, reply) => {
        const { acct, name } = request.params;
        if (!(await deps.budgets.delete(acct, name))) await find(deps, acct, name);
        return reply.code(204).send();
      },
    );
  }

  app.get<{ Params: { acct: string }; Querystring: { function?: string; limit?: number } }>(
    "/v1/accounts/:acct/alerts",
    {
      preHandler: guard(deps, "developer"),
      schema: {
        summary: "Budget alerts, newest first: each threshold a budget crossed, and how its webhook went",
        params: accountParams,
        querystring: {
          type: "object",
          properties: {
            function: { type: "string", maxLength: 63 },
            limit: { type: "integer", minimum: 1, maximum: 1000 },
          },
          additionalProperties: false,
        },
        response: errorResponses(),
      },
    },
    async (request) => {
      await deps.budgets.flush();
      const alerts = await deps.store.budgets.alerts({
        account: request.params.acct,
        ...(request.query.function !== undefined ? { function: request.query.function } : {}),
        limit: request.query.limit ?? 100,
      });
      return { alerts: alerts.map(alertView) };
    },
  );
}
