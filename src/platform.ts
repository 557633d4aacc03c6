import { randomBytes } from "node:crypto";
import pino, { type Logger } from "pino";
import { ConfigError, type Config } from "./config.js";
import { parseDatabaseUrl } from "./store/open-store.js";
import { ActivationLog } from "./dispatcher/activation-log.js";
import { OtlpExport } from "./telemetry/otlp.js";
import { Dispatcher, resultOf } from "./dispatcher/dispatcher.js";
import { Catalog } from "./functions/catalog.js";
import { FunctionService } from "./functions/service.js";
import { AutoRollbackWatch } from "./functions/auto-rollback.js";
import { IdleFunctions } from "./functions/idle.js";
import { Rollouts } from "./functions/rollout.js";
import { CallbackSender } from "./queue/callbacks.js";
import { Compiler } from "./runtime/compiler.js";
import { HostOps } from "./runtime/host-ops.js";
import type { QuarantineSettings } from "./scheduler/quarantine.js";
import { Scheduler, type InstanceStarter } from "./scheduler/scheduler.js";
import { Authenticator } from "./security/authenticator.js";
import { SecretBox } from "./security/crypto.js";
import { Secrets } from "./security/secrets.js";
import { registerSecretOps } from "./security/secrets-ops.js";
import { KvStore } from "./kv/kv-store.js";
import { registerKvOps } from "./kv/kv-ops.js";
import { Allowlists } from "./security/outbound/allowlist.js";
import { FaultProfiles } from "./faults/fault-profiles.js";
import { Recordings } from "./replay/recordings.js";
import { Replays } from "./replay/replays.js";
import type { OutboundOptions } from "./security/outbound/address-guard.js";
import { OutboundFetch, registerFetchOp } from "./security/outbound/fetch-op.js";
import { AuditLog } from "./security/audit.js";
import { loadMasterKey } from "./security/master-key.js";
import { TokenIssuer } from "./security/tokens.js";
import { Quotas } from "./metering/quotas.js";
import { LocalCounters } from "./metering/local-counters.js";
import { SharedRateLimiter } from "./security/shared-rate-limit.js";
import { timeId } from "./ids.js";
import { Metrics } from "./telemetry/metrics.js";
import { Usage } from "./metering/usage.js";
import { ActivationStats } from "./telemetry/stats.js";
import { Budgets } from "./metering/budgets.js";
import { alertNotifier } from "./metering/budget-alerts.js";
import { accountWebhookKey } from "./security/webhook-key.js";
import { AsyncQueue } from "./queue/async-queue.js";
import { openJobQueue } from "./queue/open-queue.js";
import { registerInvokeOp } from "./dispatcher/invoke-op.js";
import { registerCompatOps } from "./compat/host-ops.js";
import { LambdaIds } from "./compat/lambda-ids.js";
import { EventBus } from "./triggers/events.js";
import { Triggers } from "./triggers/triggers.js";
import { openStore } from "./store/open-store.js";
import type { Store } from "./store/store.js";
import type { ChangeChannel } from "./cluster/changes.js";
import { connectCaches } from "./cluster/connect-caches.js";
import { openChangeChannel } from "./cluster/open-channel.js";

/** Everything one node runs, wired once; the gateway and triggers only talk to these. */
export interface Platform {
  readonly config: Config;
  readonly log: Logger;
  readonly store: Store;
  readonly catalog: Catalog;
  readonly scheduler: Scheduler;
  readonly activations: ActivationLog;
  readonly dispatcher: Dispatcher;
  readonly functions: FunctionService;
  /** Canaries beside the deployed version: start, promote, roll back (…/deploy {percent}). */
  readonly rollouts: Rollouts;
  /** Forgotten functions (…/functions?idleDays=N) and the per-account policy that undeploys them. */
  readonly idle: IdleFunctions;
  /** Compiles uploads in killable processes, within time, memory and per-account limits. */
  readonly compiler: Compiler;
  readonly auth: Authenticator;
  /** Who changed what, per account: API changes are recorded by the gateway; call record() for others. */
  readonly audit: AuditLog;
  /** Per-account quotas (functions, concurrency, monthly invocations and log bytes, payload size). */
  readonly quotas: Quotas;
  readonly metrics: Metrics;
  /** What accounts used and cost, from their activation records (…/usage). */
  readonly usage: Usage;
  /** Invocation stats per time bucket, from the activation records (…/stats). */
  readonly stats: ActivationStats;
  /** Monthly budgets of accounts and functions, their alerts and hard limits (…/budget, …/alerts). */
  readonly budgets: Budgets;
  /** Host operations functions reach through ctx (register new ones here when wiring a feature). */
  readonly ops: HostOps;
  /** Secrets, encrypted under the master key (…/secrets, ctx.secrets). */
  readonly secrets: Secrets;
  /** The context store (…/kv, ctx.kv). */
  readonly kv: KvStore;
  /** Recorded activations (a function's config `record`), kept in the store and pruned after record.days. */
  readonly recordings: Recordings;
  /** Runs kept versions on recorded activations (…/replay). */
  readonly replays: Replays;
  /** Each account's fault profiles (…/faults; X-Runlet-Faults on an invocation applies one). */
  readonly faults: FaultProfiles;
  /** Hosts each account's functions may fetch (…/allowlist; read by the fetch host op). */
  readonly allowlists: Allowlists;
  /** Durable async invocation: triggers submit here (src/queue); workers start with the platform. */
  readonly async: AsyncQueue;
  /** Event fan-out to subscribers (POST …/events/{type}). */
  readonly events: EventBus;
  /** Schedules and NATS subject triggers of this node (src/triggers). */
  readonly triggers: Triggers;
  /** How this node tells and hears of changes other nodes cache (src/cluster). */
  readonly changes: ChangeChannel;
  close(): Promise<void>;
}

/** Settings only code can pass (tests): never read from the environment, so never set by accident. */
export interface PlatformOptions {
  /** Test hooks for the outbound address guard (let a local test server through, fake DNS). */
  outbound?: OutboundOptions;
  /** When repeated fatal out-of-memory errors quarantine a version (default: 3 within 15 minutes). */
  quarantine?: QuarantineSettings;
  /** The clock idle functions are judged by (tests move it on instead of waiting days). */
  now?: () => number;
  /** How often the idle-function policies are applied (default: hourly). */
  idleSweepMs?: number;
  /** How instances start (`runlet dev --inspect`: in a child process open to a debugger). */
  startInstance?: InstanceStarter;
}

export async function createPlatform(
  config: Config,
  log?: Logger,
  options: PlatformOptions = {},
): Promise<Platform> {
  const logger = log ?? pino({ level: config.logLevel, base: undefined });
  // Before anything connects: a node without the cluster's key must not get as far as the database.
  const masterKey = await loadMasterKey(config);
  const store = await openStoreOrSay(config.databaseUrl);
  let changes: ChangeChannel;
  try {
    // The first node to start names the cluster; the channel's NATS subject carries the name.
    const clusterId = () => store.settings.claim("cluster_id", randomBytes(8).toString("hex"), Date.now());
    changes = await openChangeChannel(config, clusterId, logger);
  } catch (err) {
    await store.close();
    throw err;
  }
  // The async queue's home (RUNLET_QUEUE): a node that cannot reach it does not start.
  const jobs = await openJobQueue(config, store).catch(async (err: unknown) => {
    await changes.close();
    await store.close();
    throw err;
  });
  const catalog = new Catalog(store, config.cachePollMs);
  const ops = new HostOps();
  const audit = new AuditLog(store, logger);
  const secrets = new Secrets(store, new SecretBox(masterKey), config.limits.secretsMax);
  try {
    await secrets.checkMasterKey();
  } catch (err) {
    await jobs.close();
    await changes.close();
    await store.close();
    throw err;
  }
  // A function's own changes to secrets go to the audit log too (the gateway records the API's).
  registerSecretOps(ops, secrets, (change) => void audit.record(change));
  const kv = new KvStore(store, {
    maxKeys: config.limits.kvMaxKeys,
    onPurgeError: (err) => logger.error({ err }, "purging expired kv entries failed"),
  });
  kv.startPurging();
  registerKvOps(ops, kv);
  const allowlists = new Allowlists(store, config.cachePollMs);
  registerFetchOp(
    ops,
    new OutboundFetch(config.limits, allowlists, options.outbound),
    config.limits.fetchRequestBytes,
  );
  const scheduler = new Scheduler(config.limits, {
    onError: (err, key) => logger.error({ err, key }, "instance failed to start"),
    ...(options.quarantine ? { quarantine: options.quarantine } : {}),
    ...(options.startInstance ? { start: options.startInstance } : {}),
    onQuarantine: (key) =>
      logger.warn(
        { key },
        "version quarantined after repeated fatal out-of-memory errors; a new deploy lifts it",
      ),
    ops,
  });
  const activations = new ActivationLog(store, (err, detail) =>
    logger.error({ err }, detail ?? "writing activation records failed"),
  );
  const dispatcher = new Dispatcher(catalog, scheduler, activations, {
    maxInvokeDepth: config.limits.maxInvokeDepth,
  });
  const recordings = new Recordings(store, (err) => logger.error({ err }, "writing a recording failed"));
  recordings.startPruning();
  dispatcher.recordings = recordings;
  const replays = new Replays({
    recordings,
    dispatcher,
    catalog,
    activation: async (account, id) => {
      await activations.flush();
      return store.activations.get(account, id);
    },
    resultOf: (outcome) => resultOf(outcome.answer),
  });
  const { limits } = config;
  const compiler = new Compiler({
    timeoutMs: limits.compileTimeoutMs,
    memoryMb: limits.compileMemoryMb,
    perAccount: limits.compileConcurrency,
    processes: limits.compileProcesses,
  });
  const functions = new FunctionService(store, catalog, scheduler, config.limits, compiler);
  const { access } = config;
  const tokens = new TokenIssuer(store, masterKey, {
    ttlSeconds: access.tokenTtlSeconds,
    rotateAfterMs: access.tokenRotateHours * 3_600_000,
  });
  // Embedded mode counts quotas in process; nodes on one PostgreSQL share their counters there.
  const node = timeId("node_");
  const shared = store.dialect === "postgres";
  const counters = shared ? store.counters : new LocalCounters();
  const rateLimit = { perSecond: access.rateLimitPerSecond, burst: access.rateLimitBurst };
  const auth = new Authenticator(store, config.operatorKey, {
    ttlMs: config.cachePollMs,
    tokens,
    rateLimit,
    ...(shared ? { limiter: new SharedRateLimiter(store.counters, `${node}/rate`, rateLimit) } : {}),
  });
  const quotas = new Quotas(store, access.quotas, {
    flushMs: access.quotaFlushMs,
    overridesTtlMs: config.cachePollMs,
    counters,
    holder: node,
  });
  const budgets = new Budgets(store, {
    counters,
    holder: node,
    pricing: config.pricing,
    flushMs: access.quotaFlushMs,
    budgetsTtlMs: config.cachePollMs,
    flushRecords: () => activations.flush(),
    secretOf: (account) => accountWebhookKey(masterKey, account).toString("hex"),
    notify: alertNotifier(new CallbackSender(config.queue.callbackTimeoutMs, options.outbound), (account) =>
      accountWebhookKey(masterKey, account),
    ),
  });
  // A spent budget refuses before the quotas count the invocation.
  dispatcher.admission = async (account, id, fn, startedAt) =>
    (await budgets.admit(account, fn, startedAt)) ?? quotas.admit(account, id);
  activations.on("activation", (activation) => {
    quotas.finished(activation);
    budgets.finished(activation);
  });
  const metrics = new Metrics(scheduler, activations, { observe: config.metrics });
  const spans = config.otlpEndpoint ? new OtlpExport(activations, config.otlpEndpoint) : undefined;
  const rollouts = new Rollouts(store, catalog, scheduler, functions, audit);
  const autoRollback = new AutoRollbackWatch(activations, {
    catalog,
    stats: store.activations,
    rollouts,
    flush: () => activations.flush(),
    log: logger,
  });
  const idle = new IdleFunctions(
    {
      store,
      functions,
      audit,
      webhooks: new CallbackSender(config.queue.callbackTimeoutMs, options.outbound),
      pricing: config.pricing,
      masterKey,
      node,
      log: logger,
      flush: () => activations.flush(),
    },
    options.now,
  );
  idle.start(options.idleSweepMs ?? 3_600_000);
  const asyncQueue = new AsyncQueue({
    queue: jobs.queue,
    catalog,
    dispatcher,
    activations,
    limits: config.limits,
    settings: config.queue,
    log: logger,
    ...(options.outbound ? { outbound: options.outbound } : {}),
  });
  asyncQueue.start();
  const events = new EventBus(store, catalog, dispatcher, asyncQueue, config.cachePollMs);
  const triggers = new Triggers({ config, store, catalog, dispatcher, invoker: asyncQueue, log: logger });
  connectCaches(changes, {
    catalog,
    functions,
    auth,
    tokens,
    allowlists,
    quotas,
    events,
    triggers,
    log: logger,
  });
  registerInvokeOp(ops, { dispatcher, limits: config.limits, async: asyncQueue });
  registerCompatOps(ops, new LambdaIds(store, catalog));
  const platform: Platform = {
    config,
    log: logger,
    store,
    catalog,
    scheduler,
    activations,
    dispatcher,
    functions,
    rollouts,
    idle,
    compiler,
    auth,
    audit,
    quotas,
    metrics,
    usage: new Usage(store.activations, () => activations.flush(), config.pricing),
    stats: new ActivationStats(store.activations, () => activations.flush()),
    budgets,
    ops,
    secrets,
    kv,
    allowlists,
    faults: new FaultProfiles(store),
    recordings,
    replays,
    async: asyncQueue,
    events,
    triggers,
    changes,
    async close() {
      compiler.close();
      idle.close();
      await autoRollback.close();
      await asyncQueue.close();
      await jobs.close();
      await triggers.close();
      await scheduler.close();
      kv.close();
      auth.close();
      await activations.close();
      await recordings.close();
      await spans?.close().catch((err: unknown) => logger.warn({ err }, "exporting the last spans failed"));
      await auth.flushUsage().catch(() => {});
      await quotas.close().catch(() => {});
      await budgets.close().catch(() => {});
      await changes.close().catch(() => {});
      await store.close();
    },
  };
  try {
    await triggers.start();
  } catch (err) {
    await platform.close();
    throw err;
  }
  return platform;
}

/** Opens the store; a database that cannot be reached fails start saying which and how to fix it. */
async function openStoreOrSay(databaseUrl: string): Promise<Store> {
  try {
    return await openStore(databaseUrl);
  } catch (err) {
    const code = (err as { code?: string }).code ?? "";
    const target = parseDatabaseUrl(databaseUrl);
    // Network errors, and PostgreSQL's connection-time refusals (auth, unknown database, starting up).
    if (target.dialect === "postgres" && /^(E[A-Z]+|28\w{3}|3D000|57P0\d)$/.test(code)) {
      const url = new URL(target.url);
      throw new ConfigError(
        `cannot reach PostgreSQL at ${url.host}${url.pathname} (RUNLET_DATABASE_URL): ` +
          `${(err as Error).message || code}; start PostgreSQL or fix RUNLET_DATABASE_URL`,
      );
    }
    throw err;
  }
}
