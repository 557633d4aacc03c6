import { RunletError } from "../errors.js";
import type { Catalog } from "../functions/catalog.js";
import type { Activation } from "../model/activation.js";
import type { RecordedInput, RecordedOutcome, Recording, ReplayReport } from "../model/recording.js";
import type { CallHook } from "../runtime/host-ops.js";
import type { Outcome } from "../outcomes.js";
import { jsonDiff } from "./json-diff.js";
import { Replayer } from "./replayer.js";
import type { Recordings } from "./recordings.js";

/** The most recorded activations one request replays. */
export const MAX_REPLAYS = 100;

export interface ReplayDeps {
  recordings: Pick<Recordings, "get" | "latest">;
  /** The dispatcher's replay (the shape of its ReplayRun, so replay/ does not import dispatcher/). */
  dispatcher: {
    replay(run: {
      account: string;
      function: string;
      version: number;
      input: RecordedInput;
      hook: CallHook;
    }): Promise<Outcome>;
  };
  catalog: Pick<Catalog, "function" | "version">;
  /** The activation's record, to say why one has no recording. */
  activation(account: string, id: string): Promise<Activation | undefined>;
  /** What an activation record keeps of a successful answer (the dispatcher's resultOf). */
  resultOf(outcome: Extract<Outcome, { status: "succeeded" }>): unknown;
}

/**
 * Replays recorded activations against a kept version: the recorded input, the recorded answers played
 * back (src/replay/replayer.ts), nothing real performed; then compares how it ended with how the recorded
 * activation ended. Replays leave no activation record and are not metered.
 */
export class Replays {
  constructor(private readonly deps: ReplayDeps) {}

  /** `POST …/activations/{id}/replay`: 404 when the activation was not recorded. */
  async one(account: string, id: string, version: number): Promise<ReplayReport> {
    const recording = await this.deps.recordings.get(account, id);
    if (!recording) throw await this.#notRecorded(account, id);
    await this.#assertVersion(account, recording.function, version);
    return this.#replay(recording, version);
  }

  /** `POST …/functions/{name}/replay`: the function's newest `last` recordings, newest first. */
  async latest(account: string, fn: string, last: number, version: number): Promise<ReplayReport[]> {
    await this.#assertVersion(account, fn, version);
    const recordings = await this.deps.recordings.latest(account, fn, Math.min(last, MAX_REPLAYS));
    const reports: ReplayReport[] = [];
    // One at a time: a replay takes an instance of the version like an invocation, and must not crowd them out.
    for (const recording of recordings) reports.push(await this.#replay(recording, version));
    return reports;
  }

  async #replay(recording: Recording, version: number): Promise<ReplayReport> {
    const replayer = new Replayer(recording.calls);
    const outcome = await this.deps.dispatcher.replay({
      account: recording.account,
      function: recording.function,
      version,
      input: recording.input,
      hook: replayer,
    });
    const replayed: RecordedOutcome =
      outcome.status === "succeeded"
        ? { status: outcome.status, result: this.deps.resultOf(outcome), error: null }
        : { status: outcome.status, result: null, error: { code: outcome.code, message: outcome.message } };
    // Error messages may name activation ids: the code is what is compared.
    const compared = (o: RecordedOutcome) => ({
      status: o.status,
      result: o.result,
      error: o.error?.code ?? null,
    });
    const diff = jsonDiff(compared(recording.outcome), compared(replayed));
    const calls = replayer.problems();
    return {
      activationId: recording.id,
      recordedVersion: recording.version,
      version,
      verdict: calls.length > 0 ? "different_calls" : diff.length > 0 ? "different_result" : "same",
      recorded: recording.outcome,
      replayed,
      diff,
      calls,
    };
  }

  async #assertVersion(account: string, fn: string, version: number): Promise<void> {
    if (!(await this.deps.catalog.function(account, fn))) {
      throw new RunletError(
        "RUNLET_ERR_FUNCTION_NOT_FOUND",
        `there is no function ${fn}; list the account's with runlet list`,
      );
    }
    if (!(await this.deps.catalog.version(account, fn, version))) {
      throw new RunletError(
        "RUNLET_ERR_VERSION_NOT_FOUND",
        `${fn} has no version ${version}; list the kept versions with runlet versions ${fn}`,
      );
    }
  }

  async #notRecorded(account: string, id: string): Promise<RunletError> {
    const activation = await this.deps.activation(account, id);
    if (!activation) {
      return new RunletError(
        "RUNLET_ERR_ACTIVATION_NOT_FOUND",
        `there is no activation ${id.slice(0, 80)}; list recent ones with runlet activations`,
      );
    }
    const fn = activation.function;
    return new RunletError(
      "RUNLET_ERR_NOT_RECORDED",
      `activation ${activation.id} of ${fn} was not recorded, so it cannot be replayed: enable record in ${fn}'s config ` +
        `(e.g. "record": {"sample": 1, "days": 7} in runlet.json, then runlet deploy ${fn}) and replay activations made after that; ` +
        "with a sample under 1 only that share is kept, and recordings are pruned after record.days",
    );
  }
}
