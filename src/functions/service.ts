import { createHash, randomUUID } from "node:crypto";
import { assertListenerLimits } from "../compat/events/listeners.js";
import type { Limits } from "../config.js";
import { RunletError } from "../errors.js";
import type { Compiled, SourceInput } from "../runtime/compile.js";
import type { Compiler } from "../runtime/compiler.js";
import { ModuleLoadError } from "../runtime/instance.js";
import type { InstanceHandle } from "../runtime/instance-handle.js";
import { mapMessage } from "../runtime/source-map.js";
import type { Scheduler } from "../scheduler/scheduler.js";
import type { FunctionRecord, FunctionState, VersionRecord, VersionStyle } from "../model/function.js";
import { StoreConflictError, type Store } from "../store/store.js";
import type { Catalog } from "./catalog.js";
import { resolveConfig, type FunctionConfigInput } from "./function-config.js";
import { assertName } from "./names.js";
import { assertSequenceSteps } from "./sequence.js";
import { stateOf } from "./state.js";

export type PutBody = SourceInput & FunctionConfigInput;

export interface PutResult {
  name: string;
  version: number;
  state: FunctionState;
  style: VersionStyle;
  /** False when the upload was identical to the latest version (nothing new stored). */
  created: boolean;
}

/** Function lifecycle (DESIGN §4): upload → immutable version → deploy / rollback / undeploy → delete. */
export class FunctionService {
  /** Functions whose new version is being started after another node's deploy. */
  #warming = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly catalog: Catalog,
    private readonly scheduler: Scheduler,
    private readonly limits: Limits,
    private readonly compiler: Compiler,
  ) {}

  /** `by` names the caller as the audit log does (actorOf); it is kept with the version and deployment. */
  async put(account: string, name: string, body: PutBody, deploy: boolean, by?: string): Promise<PutResult> {
    assertName("function", name);
    const { source, files, entry, ...configInput } = body;
    if (configInput.sequence !== undefined) {
      if (source !== undefined || files !== undefined) {
        throw new RunletError(
          "RUNLET_ERR_BAD_REQUEST",
          "a sequence has no code of its own: send {sequence: [...]} without source or files",
        );
      }
    } else if (source === undefined && files === undefined) {
      throw new RunletError(
        "RUNLET_ERR_BAD_REQUEST",
        "send the code as {source} or as {files, entry}, or a sequence as {sequence: [...]}",
      );
    }
    const size =
      source !== undefined ? source.length : Object.values(files ?? {}).reduce((n, f) => n + f.length, 0);
    if (size > this.limits.codeBytes) {
      throw new RunletError(
        "RUNLET_ERR_PAYLOAD_TOO_LARGE",
        `the code is ${size} bytes, over the ${this.limits.codeBytes}-byte limit; bundle fewer dependencies`,
      );
    }
    const config = resolveConfig(configInput, this.limits);
    if (config.sequence) await assertSequenceSteps(this.store, account, name, config.sequence);
    const uploaded =
      source ??
      (config.sequence ? JSON.stringify({ sequence: config.sequence }) : JSON.stringify({ files, entry }));
    const digest = createHash("sha256")
      .update(uploaded)
      .update("\0")
      .update(JSON.stringify(config))
      .digest("hex");

    const existing = await this.store.functions.get(account, name);
    if (existing) {
      const latest = await this.store.versions.get(account, name, existing.latestVersion);
      if (latest?.digest === digest) {
        const fn =
          deploy && existing.deployedVersion !== latest.version
            ? await this.deploy(account, name, undefined, by)
            : existing;
        return { name, version: latest.version, state: stateOf(fn), style: latest.style, created: false };
      }
    }

    const compiled: Compiled = config.sequence
      ? { code: "" }
      : await this.compiler.compile(account, { source, files, entry });
    const version: VersionRecord = {
      id: randomUUID(),
      account,
      function: name,
      version: (existing?.latestVersion ?? 0) + 1,
      source: uploaded,
      code: compiled.code,
      ...(compiled.sourceMap !== undefined ? { sourceMap: compiled.sourceMap } : {}),
      style: "event",
      config,
      digest,
      createdAt: Date.now(),
      ...(by ? { createdBy: by } : {}),
    };
    // A sequence has no module to load: it is checked by assertSequenceSteps instead.
    const instance = config.sequence ? undefined : await this.validate(version);
    version.style = instance?.style ?? "sequence";
    let fn: FunctionRecord;
    try {
      fn = await this.store.functions.addVersion(version, this.limits.versionsKept);
    } catch (err) {
      instance?.dispose();
      if (err instanceof StoreConflictError) {
        throw new RunletError("RUNLET_ERR_CONFLICT", `${name} was updated concurrently; retry the upload`);
      }
      throw err;
    }
    this.catalog.invalidate(account, name);
    if (deploy) fn = await this.activate(version, instance, by);
    else instance?.dispose();
    return { name, version: version.version, state: stateOf(fn), style: version.style, created: true };
  }

  /** Deploys `version` (latest by default; an older one is a rollback) and prewarms it. */
  async deploy(account: string, name: string, version?: number, by?: string): Promise<FunctionRecord> {
    const fn = await this.require(account, name);
    const target = version ?? fn.latestVersion;
    const record = await this.store.versions.get(account, name, target);
    if (!record) {
      throw new RunletError(
        "RUNLET_ERR_VERSION_NOT_FOUND",
        `${name} has no version ${target} (the newest ${this.limits.versionsKept} are kept)`,
      );
    }
    if (record.config.sequence) {
      await assertSequenceSteps(this.store, account, name, record.config.sequence);
      return this.activate(record, undefined, by);
    }
    return this.activate(record, await this.scheduler.startInstance(record), by);
  }

  async undeploy(account: string, name: string, by?: string): Promise<FunctionRecord> {
    await this.require(account, name);
    const fn = await this.store.functions.setDeployed(account, name, null, Date.now(), by);
    this.catalog.invalidate(account, name);
    this.scheduler.retire(account, name);
    return fn;
  }

  async delete(account: string, name: string): Promise<void> {
    if (!(await this.store.functions.delete(account, name))) throw notFound(name);
    this.catalog.invalidate(account, name);
    this.catalog.forgetVersions(account, name);
    this.scheduler.retire(account, name);
  }

  /**
   * Another node changed the function (the catalog has dropped it already): drains this node's pools of
   * every version but the one deployed now, so instances of replaced or deleted code go at once. When this
   * node had the function warm, the new version is started here too, as the deploying node does, so the
   * next request here is not a cold start.
   */
  async changedElsewhere(account: string, name: string): Promise<void> {
    const fn = await this.catalog.function(account, name);
    const deployed =
      fn?.deployedVersion != null ? await this.catalog.version(account, name, fn.deployedVersion) : undefined;
    const canary = fn?.canary ? await this.catalog.version(account, name, fn.canary.version) : undefined;
    if (!fn) this.catalog.forgetVersions(account, name);
    const key = `${account}/${name}`;
    if (
      !deployed ||
      deployed.config.sequence ||
      this.#warming.has(key) ||
      this.scheduler.hasPool(deployed.id) ||
      !this.scheduler.isWarm(account, name)
    ) {
      this.scheduler.retire(account, name, deployed?.id, canary?.id);
      return;
    }
    this.#warming.add(key);
    try {
      await this.scheduler.activate(deployed, await this.scheduler.startInstance(deployed));
    } catch {
      // Out of memory budget, say: the next request starts one, as for any cold function.
      this.scheduler.retire(account, name, deployed.id);
    } finally {
      this.#warming.delete(key);
    }
  }

  async require(account: string, name: string): Promise<FunctionRecord> {
    const fn = await this.store.functions.get(account, name);
    if (!fn) throw notFound(name);
    return fn;
  }

  private async activate(
    version: VersionRecord,
    instance: InstanceHandle | undefined,
    by: string | undefined,
  ): Promise<FunctionRecord> {
    try {
      await assertListenerLimits(this.store, this.catalog, version);
    } catch (err) {
      instance?.dispose();
      throw err;
    }
    const fn = await this.store.functions.setDeployed(
      version.account,
      version.function,
      version.version,
      Date.now(),
      by,
    );
    this.catalog.invalidate(version.account, version.function);
    // A sequence runs no instances of its own; only older code versions' pools are drained.
    if (instance) await this.scheduler.activate(version, instance);
    else this.scheduler.retire(version.account, version.function);
    return fn;
  }

  /** Loads the module once in a fresh isolate: a top-level throw or no known handler fails the upload. */
  private async validate(version: VersionRecord): Promise<InstanceHandle> {
    try {
      return await this.scheduler.startInstance(version);
    } catch (err) {
      if (err instanceof ModuleLoadError) throw new RunletError(err.code, mapMessage(version, err.message));
      throw err;
    }
  }
}

export function notFound(name: string): RunletError {
  return new RunletError("RUNLET_ERR_FUNCTION_NOT_FOUND", `function ${name} does not exist in this account`);
}
