import type { IncomingHttpHeaders } from "node:http";
import { RunletError } from "../errors.js";
import { timeId } from "../ids.js";
import { forwardedHeaders } from "./forwarded-headers.js";
import type { InvocationInput } from "../runtime/instance.js";
import { parseTraceparent } from "../telemetry/traceparent.js";

/**
 * An event as Runlet hands it to subscribers: the handler's `event` (its headers are the request's, without
 * credentials; a CloudEvent's attributes appear as `ce-*` headers), plus the publisher's trace context.
 */
export interface RunletEvent extends Readonly<InvocationInput["event"]> {
  /** The publisher's W3C trace context (CloudEvents distributed-tracing extension, or the HTTP header). */
  traceparent?: string;
}

/** Content type of a CloudEvent in structured mode (CloudEvents HTTP binding §3.2). */
export const STRUCTURED = "application/cloudevents+json";

/** Attributes the CloudEvents 1.0 spec requires. */
const REQUIRED = ["specversion", "id", "source", "type"] as const;

/** Context attribute names: lower-case letters and digits (CloudEvents 1.0 §2.2). */
const ATTRIBUTE_NAME = /^[a-z0-9]{1,20}$/;

function invalid(message: string): RunletError {
  return new RunletError("RUNLET_ERR_INVALID_CLOUDEVENT", message);
}

function checkRequired(attributes: Record<string, unknown>, mode: string, prefix: string): void {
  const missing = REQUIRED.filter((a) => typeof attributes[a] !== "string" || attributes[a] === "");
  if (missing.length > 0) {
    throw invalid(
      `the ${mode}-mode CloudEvent lacks ${missing.map((a) => prefix + a).join(", ")}; a CloudEvent needs ${REQUIRED.map((a) => prefix + a).join(", ")}`,
    );
  }
  if (attributes.specversion !== "1.0") {
    throw invalid(
      `${prefix}specversion is ${String(attributes.specversion)}; only CloudEvents 1.0 is supported`,
    );
  }
  const time = attributes.time;
  if (time !== undefined && (typeof time !== "string" || Number.isNaN(Date.parse(time)))) {
    throw invalid(`${prefix}time "${String(time).slice(0, 40)}" is not an RFC 3339 timestamp`);
  }
}

function matchType(urlType: string, eventType: string): void {
  if (eventType !== urlType) {
    throw invalid(
      `the CloudEvent's type "${eventType.slice(0, 80)}" differs from the type in the URL (${urlType}); publish it to …/events/${eventType.slice(0, 80)}`,
    );
  }
}

/** True when the request carries a CloudEvent in binary mode (its attributes in `ce-*` headers). */
function isBinary(headers: IncomingHttpHeaders): boolean {
  return Object.keys(headers).some((h) => h.startsWith("ce-"));
}

function isStructured(headers: IncomingHttpHeaders): boolean {
  return (headers["content-type"] ?? "").toLowerCase().startsWith(STRUCTURED);
}

/**
 * Reads a published event: a CloudEvent 1.0 in structured mode (`application/cloudevents+json`) or
 * binary mode (`ce-*` headers, the body is the data), or a plain JSON body (Runlet makes up its id and
 * source). `body` is what the route parsed; `type` comes from the URL and must match the event's.
 */
export function readEvent(
  account: string,
  type: string,
  headers: IncomingHttpHeaders,
  body: unknown,
): RunletEvent {
  const event = readBody(account, type, headers, body);
  const traceparent = [event.headers.find(([name]) => name === "ce-traceparent")?.[1], headers.traceparent]
    .filter((value): value is string => typeof value === "string")
    .find((value) => parseTraceparent(value) !== undefined);
  return traceparent ? { ...event, traceparent } : event;
}

function readBody(account: string, type: string, headers: IncomingHttpHeaders, body: unknown): RunletEvent {
  const forwarded = forwardedHeaders(headers);
  if (isStructured(headers)) {
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      throw invalid(`a structured-mode CloudEvent (${STRUCTURED}) is a JSON object of attributes and data`);
    }
    const event = body as Record<string, unknown>;
    checkRequired(event, "structured", "");
    matchType(type, event.type as string);
    // Its attributes travel as ce-* headers too, so handlers see them the same way in either mode.
    const attributes: [string, string][] = [];
    for (const [name, value] of Object.entries(event)) {
      if (name === "data" || name === "data_base64" || !ATTRIBUTE_NAME.test(name)) continue;
      if (value !== null && typeof value !== "object") attributes.push([`ce-${name}`, String(value)]);
    }
    return {
      id: event.id as string,
      type,
      source: event.source as string,
      time: typeof event.time === "string" ? event.time : new Date().toISOString(),
      payload: dataOf(event),
      headers: [...forwarded, ...attributes],
    };
  }
  if (isBinary(headers)) {
    const attributes: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (!name.startsWith("ce-") || value === undefined) continue;
      attributes[name.slice(3)] = percentDecoded(Array.isArray(value) ? value.join(",") : value);
    }
    checkRequired(attributes, "binary", "ce-");
    matchType(type, attributes.type as string);
    return {
      id: attributes.id as string,
      type,
      source: attributes.source as string,
      time: typeof attributes.time === "string" ? attributes.time : new Date().toISOString(),
      payload: body ?? null,
      headers: forwarded,
    };
  }
  return {
    id: timeId("evt_"),
    type,
    source: `/accounts/${account}/events`,
    time: new Date().toISOString(),
    payload: body ?? null,
    headers: forwarded,
  };
}

/** Binary-mode attribute values are percent-encoded outside printable ASCII (CloudEvents HTTP binding §3.1.3.2). */
function percentDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw invalid(`the ce-* header value "${value.slice(0, 80)}" has a malformed percent-encoding`);
  }
}

/** A structured event's data: `data` as is, or `data_base64` decoded (parsed when it is JSON). */
function dataOf(event: Record<string, unknown>): unknown {
  if (event.data !== undefined) return event.data;
  if (typeof event.data_base64 !== "string") return null;
  const text = Buffer.from(event.data_base64, "base64").toString("utf8");
  const contentType = typeof event.datacontenttype === "string" ? event.datacontenttype : "";
  if (/json/i.test(contentType)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw invalid("data_base64 does not decode to the JSON its datacontenttype announces");
    }
  }
  return text;
}
