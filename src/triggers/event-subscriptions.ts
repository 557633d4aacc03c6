import { RunletError } from "../errors.js";
import type { EventFilterValue, EventSubscription } from "../model/function.js";

/** What an event type may hold: safe in a URL path segment and a NATS subject, and CloudEvents-like. */
export const EVENT_TYPE_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$";
const EVENT_TYPE = new RegExp(EVENT_TYPE_PATTERN);
const FILTER_PATH = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+){0,9}$/;

export function assertEventType(type: string, where = "event type"): void {
  if (!EVENT_TYPE.test(type)) {
    throw new RunletError(
      "RUNLET_ERR_INVALID_EVENT_TYPE",
      `${where} "${type.slice(0, 80)}" is invalid: use 1-200 letters, digits, dots, dashes, underscores and colons, starting with a letter or digit (e.g. order.created)`,
    );
  }
}

function isPrimitive(value: unknown): boolean {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

/** Checks a function's `events` setting (the JSON schema has checked its shape). */
export function validateSubscriptions(events: EventSubscription[]): EventSubscription[] {
  for (const [i, sub] of events.entries()) {
    const type = typeof sub === "string" ? sub : sub.type;
    assertEventType(type, `events[${i}]`);
    if (typeof sub === "string" || sub.filter === undefined) continue;
    for (const [path, value] of Object.entries(sub.filter)) {
      if (!FILTER_PATH.test(path)) {
        throw new RunletError(
          "RUNLET_ERR_INVALID_CONFIG",
          `events[${i}].filter path "${path.slice(0, 80)}" is invalid: use dotted field names like customer.tier`,
        );
      }
      const ok = Array.isArray(value) ? value.length > 0 && value.every(isPrimitive) : isPrimitive(value);
      if (!ok) {
        throw new RunletError(
          "RUNLET_ERR_INVALID_CONFIG",
          `events[${i}].filter.${path} must be a string, number, boolean or null, or a non-empty array of them`,
        );
      }
    }
  }
  return events;
}

/** The filter a function applies to events of `type`, or undefined when it does not subscribe. */
export interface Subscription {
  function: string;
  filter?: Record<string, EventFilterValue>;
}

export function subscriptionsByType(
  fn: string,
  events: readonly EventSubscription[],
): [type: string, sub: Subscription][] {
  return events.map((e) =>
    typeof e === "string"
      ? [e, { function: fn }]
      : [e.type, { function: fn, ...(e.filter ? { filter: e.filter } : {}) }],
  );
}

function valueAt(payload: unknown, path: string): unknown {
  let value = payload;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** True when every path of the filter holds its value (or one of its values) in the payload. */
export function matchesFilter(filter: Subscription["filter"], payload: unknown): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([path, want]) => {
    const have = valueAt(payload, path);
    return Array.isArray(want) ? want.some((w) => w === have) : want === have;
  });
}
