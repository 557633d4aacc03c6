import { createHash } from "node:crypto";
import {
  AckPolicy,
  DeliverPolicy,
  JSONCodec,
  RetentionPolicy,
  StorageType,
  headers as natsHeaders,
  nanos,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type KV,
  type NatsConnection,
} from "nats";
import type { Activation } from "../model/activation.js";
import { triggerOf } from "../model/invocation.js";
import type {
  ClaimedJob,
  DeadJob,
  Enqueue,
  EnqueueResult,
  JobPhase,
  JobQueue,
  JobSpec,
  Settlement,
} from "../model/job.js";

export interface JetStreamQueueOptions {
  /**
   * Names everything this queue makes: streams `<PREFIX>_JOBS` and `<PREFIX>_DLQ`, the durable consumer
   * `<PREFIX>_WORKERS`, the KV bucket `<PREFIX>_IDEMPOTENCY`, subjects `<prefix>.jobs` and
   * `<prefix>.dlq.<account>`. Letters, digits, `_` and `-`.
   */
  prefix: string;
  /**
   * The consumer's ack wait: how long a job a silent node holds waits before another node gets it. Live
   * nodes keep their jobs with `working()` every third of it, for as long as their lease lasts.
   */
  ackWaitMs: number;
  /** Deliveries before a job that never settles (it kills its node, say) goes to the dead letters. */
  maxDeliver: number;
  /** Stream replicas (1 on a single NATS server; 3 on a cluster). */
  replicas: number;
  /** Stores queued activation records before their jobs are published (the store's activations). */
  writeActivations(activations: Activation[]): Promise<void>;
}

/** What a job message carries: the job and its counters as of its last settlement. */
interface Envelope {
  job: JobSpec;
  phase: JobPhase;
  /** Runs before this message; each run delivery of it adds one (a crash re-delivery too). */
  attempts: number;
  callbackAttempts: number;
  deadLetter: boolean;
  error?: unknown;
  /** Not to run before (a retry published early, at close). */
  at?: number;
  /** Settlements so far: with the id, the message id JetStream de-duplicates publishes by. */
  rev: number;
}

interface DeadEnvelope {
  job: JobSpec;
  attempts: number;
  error: unknown;
  failedAt: number;
  rev: number;
}

interface Held {
  msg: JsMsg;
  env: Envelope;
  owner: string;
  /** Kept with working() until then; after that JetStream re-delivers it once the ack wait passes. */
  until: number;
  /** A settlement due later: published then (the message is kept until it is). */
  later?: { env: Envelope; timer: NodeJS.Timeout };
  attempts: number;
}

const codec = JSONCodec<unknown>();
const FETCH_EXPIRES_MS = 1000;
const PUBLISH_CHUNK = 256;

/** An account as one subject token (accounts are plain names; anything else is hex-encoded). */
function token(account: string): string {
  return /^[A-Za-z0-9_-]+$/.test(account) ? account : `~${Buffer.from(account).toString("hex")}`;
}

function idemKey(account: string, fn: string, key: string): string {
  return createHash("sha256").update(`${account}\0${fn}\0${key}`).digest("hex");
}

/**
 * The async queue on NATS JetStream (RUNLET_QUEUE=jetstream): a work-queue stream of job messages read by
 * one durable pull consumer all nodes share. A claim is a delivery: JetStream holds the job for its node
 * for the ack wait, which the node renews while the job runs (`working()`), so a dead node's jobs go to
 * another node one ack wait after it stops, without waiting for a lease. A settlement publishes the job's
 * next state as a new message (de-duplicated by job id and revision) and then acks the old one; a retry
 * due later is held until it is due. Dead jobs go to the DLQ stream (`<prefix>.dlq.<account>`), where an
 * operator can read them with any NATS client; Idempotency-Keys live in a KV bucket.
 *
 * Durability is the server's: a publish is acknowledged once the stream has it, which is on disk only if
 * the server syncs before acknowledging (`jetstream { sync_interval: always }`, NATS ≥ 2.10; see
 * README "Picking a queue").
 */
export class JetStreamQueue implements JobQueue {
  readonly #held = new Map<string, Held>();
  #keepAlive: NodeJS.Timeout | undefined;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly kv: KV,
    private readonly options: JetStreamQueueOptions,
    private readonly names: { jobs: string; dlq: string; consumer: string; subject: string },
  ) {
    this.#keepAlive = setInterval(() => this.#renew(), Math.max(20, Math.floor(options.ackWaitMs / 3)));
    this.#keepAlive.unref();
  }

  /** Makes (or updates) the streams, consumer and bucket, then returns the queue. */
  static async open(nc: NatsConnection, options: JetStreamQueueOptions): Promise<JetStreamQueue> {
    if (!/^[A-Za-z0-9_-]+$/.test(options.prefix)) {
      throw new Error(`JetStream prefix ${JSON.stringify(options.prefix)}: use letters, digits, _ and -`);
    }
    const upper = options.prefix.toUpperCase();
    const subject = options.prefix.toLowerCase();
    const names = {
      jobs: `${upper}_JOBS`,
      dlq: `${upper}_DLQ`,
      consumer: `${upper}_WORKERS`,
      subject,
    };
    const jsm = await nc.jetstreamManager();
    const common = { storage: StorageType.File, num_replicas: options.replicas };
    await ensureStream(jsm, {
      ...common,
      name: names.jobs,
      subjects: [`${subject}.jobs`],
      retention: RetentionPolicy.Workqueue,
      duplicate_window: nanos(120_000),
    });
    await ensureStream(jsm, {
      ...common,
      name: names.dlq,
      subjects: [`${subject}.dlq.>`],
      retention: RetentionPolicy.Limits,
      duplicate_window: nanos(120_000),
    });
    const consumer = {
      durable_name: names.consumer,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(options.ackWaitMs),
      max_deliver: options.maxDeliver,
      max_ack_pending: 100_000,
      deliver_policy: DeliverPolicy.All,
      filter_subject: `${subject}.jobs`,
    };
    try {
      await jsm.consumers.info(names.jobs, names.consumer);
      await jsm.consumers.update(names.jobs, names.consumer, consumer);
    } catch {
      await jsm.consumers.add(names.jobs, consumer);
    }
    const js = nc.jetstream();
    const kv = await js.views.kv(`${upper}_IDEMPOTENCY`, { history: 1, replicas: options.replicas });
    return new JetStreamQueue(nc, js, jsm, kv, options, names);
  }

  async enqueue(entries: Enqueue[]): Promise<EnqueueResult[]> {
    const results: EnqueueResult[] = [];
    const fresh: Enqueue[] = [];
    for (const entry of entries) {
      const { job, idempotencyKey, bodyDigest } = entry;
      if (idempotencyKey !== undefined) {
        const { account, function: fn } = job.invocation;
        const key = idemKey(account, fn, idempotencyKey);
        const value = { id: job.id, bodyDigest: bodyDigest ?? null, createdAt: job.createdAt };
        try {
          await this.kv.create(key, codec.encode(value));
        } catch {
          const first = await this.#idem(key);
          if (first) {
            const same = first.bodyDigest === (bodyDigest ?? null);
            results.push({ kind: same ? "duplicate" : "conflict", id: first.id });
            continue;
          }
          throw new Error(`storing Idempotency-Key ${idempotencyKey} failed`);
        }
      }
      fresh.push(entry);
      results.push({ kind: "queued", id: job.id });
    }
    const activations = fresh.flatMap((e) => (e.activation ? [e.activation] : []));
    if (activations.length > 0) await this.options.writeActivations(activations);
    await this.#publishAll(
      fresh.map(({ job }) => ({
        job,
        phase: "run",
        attempts: 0,
        callbackAttempts: 0,
        deadLetter: false,
        rev: 0,
      })),
    );
    return results;
  }

  async claim(owner: string, max: number, leaseMs: number, now: number): Promise<ClaimedJob[]> {
    if (max <= 0) return [];
    const claimed: ClaimedJob[] = [];
    const iter = this.js.fetch(this.names.jobs, this.names.consumer, {
      batch: max,
      // What is there now, at once: the worker polls, and a claim must not stall its loop.
      no_wait: true,
    });
    for await (const msg of iter) {
      let env: Envelope;
      try {
        env = codec.decode(msg.data) as Envelope;
      } catch {
        msg.term(); // not a job: nothing can run it
        continue;
      }
      const clock = Math.max(now, Date.now());
      if (env.at !== undefined && env.at > clock) {
        msg.nak(env.at - clock);
        continue;
      }
      // Every delivery of a run message is a run (a re-delivery means the run before it never settled).
      const deliveries = msg.info.deliveryCount;
      const attempts = env.phase === "run" ? env.attempts + deliveries : env.attempts;
      if (deliveries >= this.options.maxDeliver && deliveries > 1) {
        // The last delivery JetStream will make: its runs never settled, so it goes to the dead letters.
        await this.#deadLetter(env, attempts, Date.now(), {
          code: "RUNLET_ERR_PLATFORM",
          message: `delivered ${deliveries} times without finishing (its node stopped each time)`,
        });
        await msg.ackAck();
        continue;
      }
      const previous = this.#held.get(env.job.id);
      if (previous?.later) clearTimeout(previous.later.timer);
      this.#held.set(env.job.id, { msg, env, owner, until: now + leaseMs, attempts });
      claimed.push({
        ...env.job,
        phase: env.phase,
        attempts,
        callbackAttempts: env.callbackAttempts,
        deadLetter: env.deadLetter,
      });
    }
    return claimed.sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  /**
   * JetStream watches for silence itself: a node that stops renewing loses its jobs one ack wait later.
   * An owner that says it stopped stops renewing here, so its jobs go the same way.
   */
  async heartbeat(owner: string, now: number, until: number): Promise<void> {
    if (until > now) return;
    for (const held of this.#held.values()) if (held.owner === owner && !held.later) held.until = 0;
  }

  async extend(owner: string, ids: string[], until: number): Promise<void> {
    for (const id of ids) {
      const held = this.#held.get(id);
      if (held && held.owner === owner && !held.later) held.until = until;
    }
  }

  async settle(settlements: Settlement[]): Promise<void> {
    await Promise.all(settlements.map((s) => this.#settleOne(s)));
  }

  async listDead(account: string, limit: number, before?: string): Promise<DeadJob[]> {
    const dead = (await this.#dead(account)).map((d) => d.dead);
    return dead
      .filter((d) => before === undefined || d.job.id < before)
      .sort((a, b) => (a.job.id < b.job.id ? 1 : -1))
      .slice(0, limit)
      .map((d) => ({
        id: d.job.id,
        account: d.job.invocation.account,
        function: d.job.invocation.function,
        trigger: triggerOf(d.job.invocation),
        attempts: d.attempts,
        error: d.error ?? null,
        createdAt: d.job.createdAt,
        failedAt: d.failedAt,
      }));
  }

  async lookup(account: string, fn: string, key: string) {
    const first = await this.#idem(idemKey(account, fn, key));
    return first && { id: first.id, bodyDigest: first.bodyDigest };
  }

  async redrive(account: string, id: string, _now: number): Promise<boolean> {
    const found = (await this.#dead(account)).find((d) => d.dead.job.id === id);
    if (!found) return false;
    // Deleting is the claim on the dead job: of two redrives, one deletes it and the other finds none.
    const deleted = await this.jsm.streams.deleteMessage(this.names.dlq, found.seq, false).catch(() => false);
    if (!deleted) return false;
    await this.#publishAll([
      {
        job: found.dead.job,
        phase: "run",
        attempts: 0,
        callbackAttempts: 0,
        deadLetter: false,
        rev: found.dead.rev + 1,
      },
    ]);
    return true;
  }

  async pruneKeys(before: number): Promise<number> {
    let pruned = 0;
    const keys: string[] = [];
    for await (const key of await this.kv.keys()) keys.push(key);
    for (const key of keys) {
      const value = await this.#idem(key);
      if (value && value.createdAt < before) {
        await this.kv.purge(key);
        pruned++;
      }
    }
    return pruned;
  }

  async pending(): Promise<number> {
    const info = await this.jsm.streams.info(this.names.jobs);
    return info.state.messages;
  }

  /** Publishes settlements still waiting for their time (they run no sooner: `at` goes with them). */
  async close(): Promise<void> {
    clearInterval(this.#keepAlive);
    const later = [...this.#held.values()].filter((h) => h.later);
    for (const held of later) clearTimeout(held.later!.timer);
    await Promise.allSettled(later.map((held) => this.#publishThenAck(held, held.later!.env)));
    this.#held.clear();
  }

  #renew(): void {
    // A renewal holds the job one ack wait from now: renew while that stays within the lease, so a lost
    // lease is re-delivered close to its end (up to a third of the ack wait early), never long after.
    const horizon = Date.now() + this.options.ackWaitMs;
    for (const held of this.#held.values()) {
      if (held.later || held.until >= horizon) held.msg.working();
    }
  }

  async #settleOne(s: Settlement): Promise<void> {
    const held = this.#held.get(s.id);
    if (!held) return; // not claimed here (or already settled): its own holder settles it
    const { env } = held;
    const next = (patch: Partial<Envelope>): Envelope => {
      const { at: _at, ...rest } = env;
      return { ...rest, attempts: held.attempts, rev: env.rev + 1, ...patch };
    };
    switch (s.kind) {
      case "done":
        this.#held.delete(s.id);
        await held.msg.ackAck();
        return;
      case "retry":
        return this.#publishAt(
          held,
          next({
            phase: "run",
            ...(s.attempts !== undefined ? { attempts: s.attempts } : {}),
            ...(s.error !== undefined ? { error: s.error } : {}),
          }),
          s.at,
        );
      case "callback":
        return this.#publishAt(
          held,
          next({
            phase: "callback",
            callbackAttempts: s.callbackAttempts,
            deadLetter: s.deadLetter ?? env.deadLetter,
          }),
          s.at,
        );
      case "dead":
        this.#held.delete(s.id);
        await this.#deadLetter(env, held.attempts, s.at, s.error !== undefined ? s.error : env.error);
        await held.msg.ackAck();
        return;
    }
  }

  /** Publishes the job's next state when it is due (now, or from a timer while the old one is kept). */
  async #publishAt(held: Held, env: Envelope, at: number): Promise<void> {
    const wait = at - Date.now();
    if (wait <= 0) return this.#publishThenAck(held, env);
    const timer = setTimeout(() => {
      void this.#publishThenAck(held, env).catch(() => {
        // Not published: the old message is not acked either, so JetStream delivers it again.
        held.later = undefined;
        held.until = 0;
      });
    }, wait);
    timer.unref();
    held.later = { env: { ...env, at }, timer };
  }

  async #publishThenAck(held: Held, env: Envelope): Promise<void> {
    await this.#publishAll([env]);
    if (this.#held.get(env.job.id) === held) this.#held.delete(env.job.id);
    await held.msg.ackAck();
  }

  async #publishAll(envelopes: Envelope[]): Promise<void> {
    for (let i = 0; i < envelopes.length; i += PUBLISH_CHUNK) {
      await Promise.all(
        envelopes.slice(i, i + PUBLISH_CHUNK).map((env) => {
          const h = natsHeaders();
          h.set("Runlet-Account", env.job.invocation.account);
          return this.js.publish(`${this.names.subject}.jobs`, codec.encode(env), {
            msgID: `${env.job.id}.${env.rev}`,
            headers: h,
          });
        }),
      );
    }
  }

  async #deadLetter(env: Envelope, attempts: number, at: number, error: unknown): Promise<void> {
    const dead: DeadEnvelope = {
      job: env.job,
      attempts,
      error: error ?? null,
      failedAt: at,
      rev: env.rev + 1,
    };
    await this.js.publish(
      `${this.names.subject}.dlq.${token(env.job.invocation.account)}`,
      codec.encode(dead),
      {
        msgID: `${env.job.id}.${env.rev + 1}.dead`,
      },
    );
  }

  /** Every dead job of an account, with its stream sequence (read with a short-lived ordered consumer). */
  async #dead(account: string): Promise<{ seq: number; dead: DeadEnvelope }[]> {
    const subject = `${this.names.subject}.dlq.${token(account)}`;
    const info = await this.jsm.streams.info(this.names.dlq, { subjects_filter: subject });
    const total = info.state.subjects?.[subject] ?? 0;
    if (total === 0) return [];
    const consumer = await this.js.consumers.get(this.names.dlq, { filterSubjects: subject });
    const out: { seq: number; dead: DeadEnvelope }[] = [];
    try {
      const iter = await consumer.fetch({ max_messages: total, expires: FETCH_EXPIRES_MS * 2 });
      for await (const msg of iter) {
        out.push({ seq: msg.seq, dead: codec.decode(msg.data) as DeadEnvelope });
        if (msg.info.pending === 0) break;
      }
    } finally {
      await consumer.delete().catch(() => false);
    }
    return out;
  }

  async #idem(
    key: string,
  ): Promise<{ id: string; bodyDigest: string | null; createdAt: number } | undefined> {
    const entry = await this.kv.get(key);
    if (!entry || entry.operation !== "PUT") return undefined;
    return codec.decode(entry.value) as { id: string; bodyDigest: string | null; createdAt: number };
  }

  /** For tests: the connection is the caller's; it is not closed here. */
  get connection(): NatsConnection {
    return this.nc;
  }
}

async function ensureStream(
  jsm: JetStreamManager,
  config: Parameters<JetStreamManager["streams"]["add"]>[0] & { name: string },
): Promise<void> {
  try {
    await jsm.streams.info(config.name);
    await jsm.streams.update(config.name, config);
  } catch {
    await jsm.streams.add(config);
  }
}
