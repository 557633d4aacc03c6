import { EventEmitter } from "node:events";
import { RunletError } from "../errors.js";
import type { Activation } from "../model/activation.js";
import type { ActivationFilter } from "../store/records.js";
import type { EncodedActivation, Store } from "../store/store.js";

export interface ActivationLogOptions {
  /** How long a record waits for others to share its write. */
  flushEveryMs?: number;
  /** Rows and bytes per write (one transaction). */
  maxBatch?: number;
  maxBatchBytes?: number;
  /** Unwritten records past which admission waits (room()), by count and by encoded size. */
  highWaterRecords?: number;
  highWaterBytes?: number;
  /** How long room() waits for the log to drain before refusing (503), so nothing is admitted unrecorded. */
  roomTimeoutMs?: number;
}

interface Entry {
  row: EncodedActivation;
  bytes: number;
  /** The first record() this entry stands for: a later record of the same id replaces it but keeps this. */
  seq: number;
}

const DEFAULTS: Required<ActivationLogOptions> = {
  flushEveryMs: 20,
  maxBatch: 1000,
  maxBatchBytes: 8 * 1024 * 1024,
  highWaterRecords: 20_000,
  highWaterBytes: 64 * 1024 * 1024,
  roomTimeoutMs: 10_000,
};
const MAX_RETRY_MS = 5000;
const CLOSE_WAIT_MS = 10_000;

/**
 * Writes activation records in batches, off the invocation's critical path (DESIGN §3 "the hot path"), each
 * exactly once: one write in flight at a time, records leave the pending set when a write takes them, and a
 * later record of the same id replaces an unwritten one. Reads see unwritten records too. Memory is bounded:
 * past a high-water mark `room()` makes admission wait until writes catch up. A batch the database refuses
 * while it answers is split until the record it cannot take is found; that one is stored reduced (no result
 * or logs, with the reason). A database that does not answer keeps everything pending, retried with backoff.
 * Emits "activation" for every record (live log streaming, quotas, metrics).
 */
export class ActivationLog extends EventEmitter<{ activation: [Activation] }> {
  readonly #opts: Required<ActivationLogOptions>;
  #pending = new Map<string, Entry>();
  readonly #inFlight = new Map<string, Entry>();
  #bytes = 0;
  #seq = 0;
  #writing = false;
  #timer: NodeJS.Timeout | undefined;
  #retryMs = 0;
  #flushWaiters: { seq: number; resolve: () => void }[] = [];
  #roomWaiters: { resolve: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(
    private readonly store: Store,
    private readonly onError: (err: unknown, detail?: string) => void,
    options: ActivationLogOptions = {},
  ) {
    super();
    this.#opts = { ...DEFAULTS, ...options };
  }

  /** Records not yet stored, and their encoded size. */
  get unwritten(): { records: number; bytes: number } {
    return { records: this.#pending.size + this.#inFlight.size, bytes: this.#bytes };
  }

  record(activation: Activation): void {
    let row: EncodedActivation;
    try {
      row = this.store.activations.encode(activation);
    } catch (err) {
      row = this.store.activations.encode(reduced(activation, err));
    }
    const bytes = sizeOf(row);
    const seq = ++this.#seq;
    const older = this.#pending.get(activation.id);
    if (older) this.#bytes -= older.bytes;
    this.#pending.set(activation.id, { row, bytes, seq: older?.seq ?? seq });
    this.#bytes += bytes;
    this.emit("activation", activation);
    this.#schedule(this.#pending.size >= this.#opts.maxBatch || this.#full());
  }

  /**
   * Resolves at once while the log has room; when it is full, once writes have caught up. Rejects with 503
   * RUNLET_ERR_UNAVAILABLE if they do not within `roomTimeoutMs` (the database is down or far too slow).
   */
  room(): Promise<void> {
    if (!this.#full()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve,
        timer: setTimeout(() => {
          this.#roomWaiters = this.#roomWaiters.filter((w) => w !== waiter);
          reject(
            new RunletError(
              "RUNLET_ERR_UNAVAILABLE",
              "activation records are not being stored fast enough (the database is slow or unreachable); retry shortly",
              { headers: { "retry-after": "1" } },
            ),
          );
        }, this.#opts.roomTimeoutMs),
      };
      this.#roomWaiters.push(waiter);
    });
  }

  /** Resolves once every record made before this call is stored (however long the database takes). */
  flush(): Promise<void> {
    if (this.#pending.size === 0 && this.#inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#flushWaiters.push({ seq: this.#seq, resolve });
      this.#schedule(true);
    });
  }

  /** Stores what it can within a few seconds; reports what could not be stored. */
  async close(waitMs = CLOSE_WAIT_MS): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise((r) => (timer = setTimeout(r, waitMs)))]);
    clearTimeout(timer);
    clearTimeout(this.#timer);
    const { records } = this.unwritten;
    if (records > 0) this.onError(new Error(`${records} activation records could not be stored before exit`));
  }

  async get(account: string, id: string): Promise<Activation | undefined> {
    const entry = this.#pending.get(id) ?? this.#inFlight.get(id);
    if (entry) return entry.row.account === account ? this.store.activations.decode(entry.row) : undefined;
    return this.store.activations.get(account, id);
  }

  /** Lists stored records, after giving the unwritten ones a few seconds to be stored. */
  async list(filter: ActivationFilter): Promise<Activation[]> {
    await this.#settled();
    return this.store.activations.list(filter);
  }

  /** One trace's stored records (oldest first), after giving the unwritten ones a few seconds too. */
  async trace(account: string, traceId: string, limit: number): Promise<Activation[]> {
    await this.#settled();
    return this.store.activations.trace(account, traceId, limit);
  }

  async #settled(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise((r) => (timer = setTimeout(r, 5000)))]);
    clearTimeout(timer);
  }

  #full(): boolean {
    return (
      this.#bytes >= this.#opts.highWaterBytes ||
      this.#pending.size + this.#inFlight.size >= this.#opts.highWaterRecords
    );
  }

  #schedule(now: boolean): void {
    if (this.#writing || this.#pending.size === 0) return;
    if (this.#retryMs > 0) now = false; // the database failed: wait out the backoff
    if (now) {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.#write(), 0);
    } else this.#timer ??= setTimeout(() => void this.#write(), this.#retryMs || this.#opts.flushEveryMs);
  }

  async #write(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#writing || this.#pending.size === 0) return;
    this.#writing = true;
    const batch: [string, Entry][] = [];
    let bytes = 0;
    for (const [id, entry] of this.#pending) {
      if (
        batch.length >= this.#opts.maxBatch ||
        (batch.length > 0 && bytes + entry.bytes > this.#opts.maxBatchBytes)
      )
        break;
      batch.push([id, entry]);
      bytes += entry.bytes;
    }
    for (const [id, entry] of batch) {
      this.#pending.delete(id);
      this.#inFlight.set(id, entry);
    }
    try {
      await this.#store(batch);
    } finally {
      this.#writing = false;
      this.#afterWrite();
    }
  }

  /**
   * Writes a batch; on failure finds out whether the database or a record is at fault. Answers false when
   * it is the database's (the batch is pending again), so a split batch stops trying its other half.
   */
  async #store(batch: [string, Entry][]): Promise<boolean> {
    try {
      await this.store.activations.insertEncoded(batch.map(([, e]) => e.row));
      this.#done(batch);
      this.#retryMs = 0;
      return true;
    } catch (err) {
      if (
        !(await this.store.ping().then(
          () => true,
          () => false,
        ))
      ) {
        this.#databaseFailed(batch, err, "the database does not answer; activation records wait");
        return false;
      }
      if (batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        if (await this.#store(batch.slice(0, half))) return this.#store(batch.slice(half));
        this.#requeue(batch.slice(half));
        return false;
      }
      const [id, entry] = batch[0]!;
      try {
        // Once more as it is first: the failure may have been the database's, and it may be back.
        await this.store.activations.insertEncoded([entry.row]);
        this.#done(batch);
        return true;
      } catch {
        // It is this record: store what can be stored of it (below).
      }
      try {
        const slim = reduced(this.store.activations.decode(entry.row), err);
        await this.store.activations.insertEncoded([this.store.activations.encode(slim)]);
        this.#done(batch);
        return true;
      } catch (again) {
        // Not even the reduced record goes in while the database answers (a missing table, say): the
        // fault is the database's after all, so keep the record and try again later.
        this.#databaseFailed(batch, again, `activation ${id} could not be stored, even reduced; will retry`);
        return false;
      }
    }
  }

  #databaseFailed(batch: [string, Entry][], err: unknown, detail: string): void {
    if (this.#retryMs === 0) this.onError(err, detail); // once per outage, not once per retry
    this.#retryMs = Math.min(MAX_RETRY_MS, Math.max(100, this.#retryMs * 2));
    this.#requeue(batch);
  }

  #done(batch: [string, Entry][]): void {
    for (const [id, entry] of batch) {
      this.#inFlight.delete(id);
      this.#bytes -= entry.bytes;
    }
  }

  /** Puts a batch back in front of the pending records; a newer record of the same id supersedes it. */
  #requeue(batch: [string, Entry][]): void {
    const back: [string, Entry][] = [];
    for (const [id, entry] of batch) {
      this.#inFlight.delete(id);
      const newer = this.#pending.get(id);
      if (newer) {
        newer.seq = Math.min(newer.seq, entry.seq);
        this.#bytes -= entry.bytes;
      } else back.push([id, entry]);
    }
    this.#pending = new Map([...back, ...this.#pending]);
  }

  #afterWrite(): void {
    if (this.#flushWaiters.length > 0) {
      let oldest = Infinity;
      for (const entry of this.#pending.values()) oldest = Math.min(oldest, entry.seq);
      for (const entry of this.#inFlight.values()) oldest = Math.min(oldest, entry.seq);
      const ready = this.#flushWaiters.filter((w) => w.seq < oldest);
      this.#flushWaiters = this.#flushWaiters.filter((w) => w.seq >= oldest);
      for (const w of ready) w.resolve();
    }
    if (!this.#full()) {
      for (const w of this.#roomWaiters.splice(0)) {
        clearTimeout(w.timer);
        w.resolve();
      }
    }
    this.#schedule(
      this.#flushWaiters.length > 0 || this.#full() || this.#pending.size >= this.#opts.maxBatch,
    );
  }
}

/** Roughly what an encoded row holds in memory. */
function sizeOf(row: EncodedActivation): number {
  let n = 256;
  for (const value of Object.values(row)) if (typeof value === "string") n += value.length;
  return n;
}

/** The record kept when the full one cannot be stored: what it ran and billed, and why the rest is gone. */
function reduced(a: Activation, err: unknown): Activation {
  const num = (n: unknown) => (typeof n === "number" && Number.isFinite(n) ? n : 0);
  // NUL is the one character PostgreSQL text cannot hold.
  const text = (s: unknown, max = 200) => String(s).replaceAll("\0", "").slice(0, max);
  const why = text(err instanceof Error ? err.message : err, 500);
  const original = a.error ? ` (its error was ${text(a.error.code, 64)}: ${text(a.error.message, 500)})` : "";
  return {
    id: text(a.id, 64),
    account: text(a.account),
    function: text(a.function),
    version: Math.trunc(num(a.version)),
    trigger: text(a.trigger, 32) as Activation["trigger"],
    status: text(a.status, 32) as Activation["status"],
    result: null,
    error: {
      code: "RUNLET_ERR_RECORD_REDUCED",
      message: `the record was stored without its result and logs, which could not be written: ${why}${original}`,
    },
    logs: [],
    logsTruncated: true,
    startedAt: Math.trunc(num(a.startedAt)),
    durationMs: num(a.durationMs),
    billedMs: Math.trunc(num(a.billedMs)),
    memoryMb: Math.trunc(num(a.memoryMb)),
    coldStart: a.coldStart === true,
    ...(a.attempts !== undefined ? { attempts: Math.trunc(num(a.attempts)) } : {}),
    ...(typeof a.parentId === "string" ? { parentId: text(a.parentId, 64) } : {}),
    ...(typeof a.traceparent === "string" ? { traceparent: text(a.traceparent, 64) } : {}),
    ...(typeof a.parentSpanId === "string" ? { parentSpanId: text(a.parentSpanId, 16) } : {}),
    ...(a.queuedMs !== undefined ? { queuedMs: Math.trunc(num(a.queuedMs)) } : {}),
  };
}
