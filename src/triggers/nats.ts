import type { Logger } from "pino";
import type { Dispatcher, InvokeResult } from "../dispatcher/dispatcher.js";
import { RunletError } from "../errors.js";
import type { VersionRecord } from "../store/records.js";
import type { Broker, BrokerMessage, BrokerSubscription } from "./broker.js";
import type { TriggerConsumer } from "./trigger-sync.js";

interface Subscribed {
  account: string;
  function: string;
  subject: string;
  subscription: BrokerSubscription;
}

const decoder = new TextDecoder("utf-8", { fatal: false });
const encoder = new TextEncoder();

/** Message data as the payload: its JSON value when it is JSON, else the text (empty: null). */
export function payloadOf(data: Uint8Array): unknown {
  const text = decoder.decode(data);
  if (text === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The bytes a request's reply carries: the function's answer, or `{"error": {code, message, activationId}}`. */
export function replyOf(result: InvokeResult): Uint8Array {
  if (result.error) return encoder.encode(JSON.stringify(result.error.toBody()));
  const body = result.answer?.body ?? "null";
  return typeof body === "string" ? encoder.encode(body) : new Uint8Array(body);
}

/**
 * Subject triggers: each deployed function with `queues: [{subject}]` is subscribed in the queue group
 * `runlet.<account>.<function>`, so with several nodes each message runs once. Each message invokes the
 * function (trigger `queue`); a request (reply subject set) gets the answer back.
 */
export class NatsTriggers implements TriggerConsumer {
  #subscribed = new Map<string, Subscribed>();

  constructor(
    private readonly broker: Broker,
    private readonly dispatcher: Dispatcher,
    private readonly log: Logger,
  ) {}

  async reconcile(deployed: VersionRecord[]): Promise<void> {
    const wanted = new Map<string, { account: string; function: string; subject: string }>();
    for (const version of deployed) {
      for (const { subject } of version.config.queues ?? []) {
        const target = { account: version.account, function: version.function, subject };
        wanted.set(`${target.account}/${target.function}/${subject}`, target);
      }
    }
    let changed = false;
    for (const [id, sub] of this.#subscribed) {
      if (!wanted.has(id)) {
        changed = true;
        sub.subscription.unsubscribe();
        this.#subscribed.delete(id);
      }
    }
    for (const [id, target] of wanted) {
      if (this.#subscribed.has(id)) continue;
      changed = true;
      const subscription = this.broker.subscribe(
        target.subject,
        `runlet.${target.account}.${target.function}`,
        (message) => void this.#handle(target, message),
      );
      this.#subscribed.set(id, { ...target, subscription });
    }
    // Settled means the server has the new interest: a message published right after reaches it.
    if (changed) await this.broker.flush();
  }

  /** The subjects this node listens on, per function (for tests and diagnostics). */
  subscriptions(): { account: string; function: string; subject: string }[] {
    return [...this.#subscribed.values()].map(({ account, function: fn, subject }) => ({
      account,
      function: fn,
      subject,
    }));
  }

  async close(): Promise<void> {
    this.#subscribed.clear();
    await this.broker.close();
  }

  async #handle(target: { account: string; function: string }, message: BrokerMessage): Promise<void> {
    let reply: Uint8Array;
    try {
      const result = await this.dispatcher.invoke({
        account: target.account,
        function: target.function,
        trigger: "queue",
        payload: payloadOf(message.data),
        eventType: `nats.${message.subject}`,
        headers: [...message.headers, ["x-runlet-subject", message.subject]],
      });
      if (result.error && !message.reply) {
        this.log.warn(
          { function: target.function, subject: message.subject, code: result.error.code },
          "subject-triggered invocation failed",
        );
      }
      reply = replyOf(result);
    } catch (err) {
      const error =
        err instanceof RunletError
          ? err
          : new RunletError("RUNLET_ERR_PLATFORM", `the invocation could not run: ${String(err)}`);
      if (!(err instanceof RunletError))
        this.log.error({ err, function: target.function }, "subject trigger failed");
      reply = encoder.encode(JSON.stringify(error.toBody()));
    }
    if (message.reply) message.respond(reply);
  }
}
