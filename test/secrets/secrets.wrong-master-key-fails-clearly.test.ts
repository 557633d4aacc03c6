import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { ConfigError, loadConfig } from "../../src/config.js";
import { createPlatform } from "../../src/platform.js";
import { DecryptError, SecretBox } from "../../src/security/crypto.js";
import { loadMasterKey, parseMasterKey } from "../../src/security/master-key.js";

const dirs: string[] = [];
async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "runlet-master-"));
  dirs.push(dir);
  return dir;
}
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const config = (dir: string, masterKey?: string) =>
  loadConfig({}, { dataDir: dir, logLevel: "silent", example: false, ...(masterKey ? { masterKey } : {}) });

describe("master key: generated safely, and a wrong one fails clearly", () => {
  it("is generated into the data directory with mode 0600 on first start, then reused", async () => {
    const dir = await dataDir();
    const first = await loadMasterKey(config(dir));
    const file = path.join(dir, "master.key");
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.match(await readFile(file, "utf8"), /^[0-9a-f]{64}\n$/);
    assert.deepEqual(await loadMasterKey(config(dir)), first);
  });

  it("RUNLET_MASTER_KEY takes 64 hex digits or base64 of 32 bytes, and says how to make one otherwise", async () => {
    const key = randomBytes(32);
    assert.deepEqual(parseMasterKey(key.toString("hex"), "K"), key);
    assert.deepEqual(parseMasterKey(key.toString("base64"), "K"), key);
    assert.deepEqual(parseMasterKey(key.toString("base64url"), "K"), key);
    for (const bad of [
      "",
      "short",
      "z".repeat(64),
      randomBytes(16).toString("hex"),
      randomBytes(31).toString("base64"),
    ]) {
      assert.throws(
        () => parseMasterKey(bad, "RUNLET_MASTER_KEY"),
        (err: unknown) => err instanceof ConfigError && /openssl rand -hex 32/.test(err.message),
        bad,
      );
    }
  });

  it("a sealed value opens only with the same key and the same account and name", () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal("value", "acct\0NAME");
    assert.equal(box.open(sealed, "acct\0NAME"), "value");
    assert.notEqual(box.seal("value", "acct\0NAME"), sealed, "a fresh IV each time");
    assert.throws(() => box.open(sealed, "other\0NAME"), DecryptError);
    assert.throws(() => new SecretBox(randomBytes(32)).open(sealed, "acct\0NAME"), DecryptError);
    const tampered = Buffer.from(sealed, "base64");
    tampered[14]! ^= 1;
    assert.throws(() => box.open(tampered.toString("base64"), "acct\0NAME"), DecryptError);
  });

  it("a platform started with another master key than the secrets were written with refuses to start", async () => {
    const dir = await dataDir();
    const keyA = randomBytes(32).toString("hex");
    const first = await createPlatform(config(dir, keyA));
    await first.store.accounts.create({ name: "acme", createdAt: 1 });
    await first.secrets.set("acme", "TOKEN", "value-a");
    await first.close();

    await assert.rejects(createPlatform(config(dir, randomBytes(32).toString("hex"))), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /not the one the stored secrets were encrypted with/);
      assert.match(err.message, /RUNLET_MASTER_KEY/);
      return true;
    });

    const again = await createPlatform(config(dir, keyA));
    try {
      assert.equal(await again.secrets.get("acme", "TOKEN"), "value-a");
    } finally {
      await again.close();
    }
  });

  it("a secret sealed under another key (e.g. copied from another cluster) fails with RUNLET_ERR_MASTER_KEY", async () => {
    const dir = await dataDir();
    const platform = await createPlatform(config(dir, randomBytes(32).toString("hex")));
    try {
      await platform.store.accounts.create({ name: "acme", createdAt: 1 });
      await platform.secrets.set("acme", "MINE", "mine");
      const foreign = new SecretBox(randomBytes(32));
      await platform.store.secrets.put({
        account: "acme",
        name: "FOREIGN",
        sealed: foreign.seal("x", "y"),
        keyId: foreign.keyId,
        createdAt: 1,
        updatedAt: 1,
      });
      await assert.rejects(platform.secrets.get("acme", "FOREIGN"), { code: "RUNLET_ERR_MASTER_KEY" });
      // Same key id but moved to another name: the AAD no longer matches.
      const mine = (await platform.store.secrets.get("acme", "MINE"))!;
      await platform.store.secrets.put({ ...mine, name: "MOVED" });
      await assert.rejects(platform.secrets.get("acme", "MOVED"), { code: "RUNLET_ERR_MASTER_KEY" });
    } finally {
      await platform.close();
    }
  });
});
