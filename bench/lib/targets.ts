// The non-Runlet targets of the throughput benchmark: a bare node:http server and a Cloudflare workerd worker,
// each serving the same trivial function, each in its own process on 127.0.0.1.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cleanEnv, makeTempDir, removeTempDir, startChild, tsxArgs, type Child } from "./children.js";
import { HOST, freePort, waitFor200 } from "./http.js";

export interface Target {
  readonly url: string;
  readonly child: Child;
  stop(): Promise<void>;
}

const NODE_HTTP_SCRIPT = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "targets",
  "node-http.ts",
);

/** `delayMs`: the function awaits a timer this long before answering (the burst benchmark's 10 ms). */
export async function startNodeHttp(delayMs = 0): Promise<Target> {
  const port = await freePort();
  const url = `http://${HOST}:${port}/`;
  const child = startChild(
    "node:http baseline",
    process.execPath,
    tsxArgs(NODE_HTTP_SCRIPT, String(port), String(delayMs)),
  );
  try {
    await waitFor200(url, { child, timeoutMs: 15_000 });
  } catch (err) {
    await child.stop();
    throw err;
  }
  return { url, child, stop: () => child.stop() };
}

/** The workerd binary shipped by the `workerd` npm package (its main export is the binary's path). */
export function workerdBinary(): string {
  const require = createRequire(import.meta.url);
  const exported = require("workerd") as { default?: unknown };
  if (typeof exported.default === "string") return exported.default;
  return path.join(path.dirname(require.resolve("workerd/package.json")), "bin", "workerd");
}

/** A compatibility date every workerd release of the last year accepts. */
export const WORKERD_COMPATIBILITY_DATE = "2024-09-01";

const WORKER_SOURCE = `export default {
  async fetch() {
    return Response.json({ hello: "world" });
  },
};
`;

function capnpConfig(port: number): string {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .helloWorker)],
  sockets = [(name = "http", address = "${HOST}:${port}", http = (), service = "main")],
);

const helloWorker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${WORKERD_COMPATIBILITY_DATE}",
);
`;
}

export async function startWorkerd(): Promise<Target> {
  const port = await freePort();
  const dir = makeTempDir("workerd");
  writeFileSync(path.join(dir, "worker.js"), WORKER_SOURCE);
  writeFileSync(path.join(dir, "config.capnp"), capnpConfig(port));
  const url = `http://${HOST}:${port}/`;
  const child = startChild("workerd", workerdBinary(), ["serve", path.join(dir, "config.capnp")], {
    cwd: dir,
    env: cleanEnv(),
  });
  const stop = async (): Promise<void> => {
    await child.stop();
    removeTempDir(dir);
  };
  try {
    await waitFor200(url, { child, timeoutMs: 15_000 });
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, child, stop };
}
