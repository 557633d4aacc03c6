import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after } from "node:test";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { countersContract } from "./counters.contract.js";

const dir = mkdtempSync(path.join(tmpdir(), "runlet-counters-"));
after(() => rmSync(dir, { recursive: true, force: true }));

countersContract("sqlite", async () => {
  const store = await openSqliteStore(path.join(dir, "runlet.db"));
  return { counters: store.counters, close: () => store.close() };
});
