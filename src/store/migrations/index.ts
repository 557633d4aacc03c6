import type { Migration } from "kysely";
import { initial } from "./001-initial.js";
import { queue } from "./002-queue.js";
import { activationLinks } from "./003-activation-links.js";
import { scheduleLocks } from "./004-schedule-locks.js";
import { secretsKv } from "./006-secrets-kv.js";
import { access } from "./005-access.js";
import { versionSourceMaps } from "./007-version-source-maps.js";
import { functionUuids } from "./008-function-uuids.js";
import { cluster } from "./009-cluster.js";
import { clusterNodesCounters } from "./010-cluster-nodes-counters.js";
import { versionAuthors } from "./011-version-authors.js";
import { canaryIdle } from "./012-canary-idle.js";
import { faultsRecordings } from "./013-faults-recordings.js";
import { budgets } from "./014-budgets.js";
import { activationTraces } from "./016-activation-traces.js";
import { activationTimeIndexes } from "./017-activation-time-indexes.js";

/**
 * Every migration, by name; names sort in the order they run. Listed here rather than read from a folder
 * so the store works when bundled into one file.
 */
export const migrations: Record<string, Migration> = {
  "001-initial": initial,
  "002-queue": queue,
  "003-activation-links": activationLinks,
  "004-schedule-locks": scheduleLocks,
  "006-secrets-kv": secretsKv,
  "005-access": access,
  "007-version-source-maps": versionSourceMaps,
  "008-function-uuids": functionUuids,
  "009-cluster": cluster,
  "010-cluster-nodes-counters": clusterNodesCounters,
  "011-version-authors": versionAuthors,
  "012-canary-idle": canaryIdle,
  "013-faults-recordings": faultsRecordings,
  "014-budgets": budgets,
  "016-activation-traces": activationTraces,
  "017-activation-time-indexes": activationTimeIndexes,
};
