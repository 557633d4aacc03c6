import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after } from "node:test";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { queueContract } from "./queue.contract.js";

const dir = mkdtempSync(path.join(tmpdir(), "runlet-queue-"));
after(() => rmSync(dir, { recursive: true, force: true }));

queueContract("sqlite", async () => {
  const store = await openSqliteStore(path.join(dir, "runlet.db"));
  return { queue: store.queue, close: () => store.close() };
});
