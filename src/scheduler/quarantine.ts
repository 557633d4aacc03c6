import { RunletError } from "../errors.js";

/** Fatal out-of-memory errors of one version within `windowMs` that quarantine it. */
export interface QuarantineSettings {
  fatalOoms: number;
  windowMs: number;
}

export const DEFAULT_QUARANTINE: QuarantineSettings = { fatalOoms: 3, windowMs: 15 * 60_000 };

/**
 * Versions that made V8 itself run out of memory too often. Such an isolate cannot be freed in-process: its
 * thread sleeps forever and its heap (80–245 MB each) stays until the server restarts (DESIGN §3, "Fatal
 * out-of-memory"), so a function that does it at will would grow the server's memory without bound. After
 * `fatalOoms` of them within `windowMs` the version takes no more invocations; a new version (a deploy)
 * starts clean, and so does a restart, which frees the memory too. Keyed by version id (VersionRecord.id),
 * which is never reused for other code (a re-created function's version 1 has a new one).
 */
export class Quarantine {
  #recent = new Map<string, number[]>();
  #quarantined = new Map<string, number>();

  constructor(private readonly settings: QuarantineSettings = DEFAULT_QUARANTINE) {}

  /** One fatal out-of-memory of an isolate of version `key`; true when it put the version in quarantine. */
  record(key: string, now = Date.now()): boolean {
    if (this.#quarantined.has(key)) return false;
    const recent = (this.#recent.get(key) ?? []).filter((at) => now - at < this.settings.windowMs);
    recent.push(now);
    if (recent.length < this.settings.fatalOoms) {
      this.#recent.set(key, recent);
      return false;
    }
    this.#recent.delete(key);
    this.#quarantined.set(key, recent.length);
    return true;
  }

  /** Throws RUNLET_ERR_QUARANTINED if version `key` is quarantined; `label` names it in the message. */
  check(key: string, label: string): void {
    if (!this.#quarantined.has(key)) return;
    const minutes = Math.round(this.settings.windowMs / 60_000);
    throw new RunletError(
      "RUNLET_ERR_QUARANTINED",
      `${label} is quarantined: it ran V8 itself out of memory ${this.settings.fatalOoms} times within ` +
        `${minutes} minutes, and each time the server keeps the lost isolate's memory until it restarts; ` +
        `find what grows without bound (the activations with RUNLET_ERR_MEMORY_LIMIT show it), allocate ` +
        `less or raise memoryMb, and deploy a new version`,
    );
  }

  /** The versions quarantined in this process. */
  get size(): number {
    return this.#quarantined.size;
  }

  /** Forgets a version that is gone (retired pools): its key is never used again. */
  forget(key: string): void {
    this.#recent.delete(key);
  }
}
