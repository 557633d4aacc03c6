import type { Logger } from "pino";
import { errorOf, type InvokeResult, type Invoker } from "../model/invocation.js";
import { RunletError } from "../errors.js";
import type { VersionRecord } from "../model/function.js";
import type { Broker, BrokerMessage, BrokerSubscription } from "./broker.js";
import type { TriggerConsumer } from "./trigger-sync.js";

interface Target {
  account: string;
  function: string;
  subject: string;
  /** Invocations run at once for this subscription: the function's maxInstances × concurrency. */
  limit: number;
}

interface Subscribed extends Target {
  subscription: BrokerSubscription;
  active: number;
  /** Messages that arrived while `limit` were running, oldest first. */
  waiting: BrokerMessage[];
}

/**
 * Messages held per subscription beyond those running. Core NATS does not redeliver, so a burst waits
 * here for an instance instead of being refused; past this the newest are refused (a request gets
 * RUNLET_ERR_THROTTLED, a plain publish is dropped and logged).
 */
const MAX_WAITING = 10_000;

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
  const { outcome } = result;
  if (outcome.status !== "succeeded") return encoder.encode(JSON.stringify(errorOf(result)!.toBody()));
  const body = outcome.answer.body ?? "null";
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
    private readonly dispatcher: Invoker,
    private readonly log: Logger,
  ) {}

  async reconcile(deployed: VersionRecord[]): Promise<void> {
    const wanted = new Map<string, Target>();
    for (const version of deployed) {
      const { maxInstances, concurrency } = version.config;
      for (const { subject } of version.config.queues ?? []) {
        const target = {
          account: version.account,
          function: version.function,
          subject,
          limit: Math.max(1, maxInstances * concurrency),
        };
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
      const existing = this.#subscribed.get(id);
      if (existing) {
        existing.limit = target.limit;
        continue;
      }
      changed = true;
      const sub: Subscribed = { ...target, active: 0, waiting: [], subscription: { unsubscribe() {} } };
      sub.subscription = this.broker.subscribe(
        target.subject,
        `runlet.${target.account}.${target.function}`,
        (message) => this.#admit(sub, message),
      );
      this.#subscribed.set(id, sub);
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

  /** Runs the message now if the function has room, else holds it until a running one ends. */
  #admit(sub: Subscribed, message: BrokerMessage): void {
    if (sub.active < sub.limit) return this.#run(sub, message);
    if (sub.waiting.length < MAX_WAITING) {
      sub.waiting.push(message);
      return;
    }
    const error = new RunletError(
      "RUNLET_ERR_THROTTLED",
      `${MAX_WAITING} messages for ${sub.function} are already waiting; publish slower or raise maxInstances`,
    );
    if (message.reply) message.respond(encoder.encode(JSON.stringify(error.toBody())));
    else
      this.log.warn(
        { function: sub.function, subject: message.subject },
        "subject message dropped: too many waiting",
      );
  }

  #run(sub: Subscribed, message: BrokerMessage): void {
    sub.active++;
    void this.#handle(sub, message).finally(() => {
      sub.active--;
      const next = sub.waiting.shift();
      if (next) this.#run(sub, next);
    });
  }

  async #handle(target: Target, message: BrokerMessage): Promise<void> {
    let reply: Uint8Array;
    try {
      const result = await this.dispatcher.invoke({
        kind: "queue",
        account: target.account,
        function: target.function,
        payload: payloadOf(message.data),
        subject: message.subject,
        headers: message.headers,
      });
      const { outcome } = result;
      if (outcome.status !== "succeeded" && !message.reply) {
        this.log.warn(
          { function: target.function, subject: message.subject, code: outcome.code },
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
