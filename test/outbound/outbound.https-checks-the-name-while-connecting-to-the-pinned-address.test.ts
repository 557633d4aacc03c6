import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { FetchAnswer } from "../../src/security/outbound/fetch-op.js";
import { startPlatform, type TestPlatform } from "../helpers/platform.js";

/** A self-signed certificate for `name` (openssl, as on any machine that builds the native modules). */
function certificate(dir: string, name: string): { key: string; cert: string } {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.crt`);
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", `/CN=${name}`].concat([
      "-addext",
      `subjectAltName=DNS:${name}`,
      "-keyout",
      key,
      "-out",
      cert,
    ]),
    { stdio: "ignore" },
  );
  return { key: readFileSync(key, "utf8"), cert: readFileSync(cert, "utf8") };
}

describe("https through the pinned address: the certificate is checked against the URL's host name", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "runlet-tls-"));
  let server: Server;
  let t: TestPlatform;
  let port = 0;

  before(async () => {
    const tls = certificate(dir, "secure.test.example");
    server = createServer(tls, (req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          host: req.headers.host,
          servername: (req.socket as { servername?: string }).servername,
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
    t = await startPlatform({
      platform: {
        outbound: {
          allowPrivate: ["127.0.0.1"],
          // Both names lead to the same server, whose certificate names only secure.test.example.
          resolve: async () => ["127.0.0.1"],
          ca: tls.cert,
        },
      },
    });
    await t.call("PUT", "/v1/accounts/default/allowlist", { domains: ["*.test.example"] });
  });
  after(async () => {
    await t.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const fetchOp = (url: string) =>
    t.platform.ops.call(
      {
        account: "default",
        function: "f",
        version: 1,
        activationId: `tls-${url}`,
        deadline: Date.now() + 10_000,
        depth: 0,
        chain: "chain-test",
        log() {},
      },
      "fetch",
      { url, method: "GET", headers: [], body: null, redirect: "follow" },
    ) as Promise<FetchAnswer>;

  it("sends SNI and Host as the name, and accepts the certificate that matches it", async () => {
    const answer = await fetchOp(`https://secure.test.example:${port}/`);
    assert.equal(answer.status, 200);
    assert.deepEqual(JSON.parse(Buffer.from(answer.body).toString()), {
      host: `secure.test.example:${port}`,
      servername: "secure.test.example",
    });
  });

  it("refuses a certificate for another name, although the address is the same", async () => {
    await assert.rejects(
      fetchOp(`https://other.test.example:${port}/`),
      (err: { code?: string; message: string }) => {
        assert.equal(err.code, "RUNLET_ERR_FETCH_FAILED");
        assert.match(err.message, /other\.test\.example.*(altnames|ERR_TLS_CERT_ALTNAME_INVALID)/);
        return true;
      },
    );
  });
});
