// `runlet dev`: a local platform (the same gateway, dispatcher and isolate runtime as the server, on SQLite
// in a temporary folder) serving one function folder, redeployed on every file change.
import { watch, type FSWatcher } from "chokidar";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { bundleFunction } from "./bundle.js";
import { CliError } from "./cli-error.js";
import { readProject } from "./project.js";
import type { Activation } from "../model/activation.js";
import type { DevInspector, InspectOptions } from "./dev-inspect.js";

export interface DevEvent {
  kind: "deployed" | "failed";
  version?: number;
  /** Bundle + upload + deploy (a warm instance ready), in ms. */
  ms: number;
  message?: string;
}

export interface DevServer {
  url: string;
  name: string;
  account: string;
  key: string;
  /** The function's web URL (`/fn/<account>/<name>/`) and its JSON invoke URL. */
  webUrl: string;
  invokeUrl: string;
  /** With `inspect`: where a debugger attaches (DevTools protocol). */
  inspector?: { url: string; webSocketUrl: string; devtoolsUrl: string };
  /** Bundles and deploys the folder now (also what a file change does). */
  deploy(): Promise<DevEvent>;
  close(): Promise<void>;
}

/** Files whose changes do not change the function. */
const IGNORED = /(^|[/\\])(node_modules|\.git|\.runlet|dist)([/\\]|$)|~$|\.swp$/;

export async function startDevServer(opts: {
  dir: string;
  name?: string;
  host?: string;
  port?: number;
  /** Called after every (re)deploy. */
  onEvent?: (event: DevEvent) => void;
  /** Hosts the function may fetch (the dev account's allowlist; `*.example.com` for subdomains). */
  allow?: string[];
  /** Milliseconds to wait for a burst of file events to end before redeploying. */
  debounceMs?: number;
  /** Called with every activation of the function as it is recorded (its console output, its outcome). */
  onActivation?: (activation: Activation) => void;
  /**
   * Run the function in a child process whose isolate a debugger attaches to (Chrome DevTools, VS Code),
   * one instance at a time, with the version's source map.
   */
  inspect?: InspectOptions;
}): Promise<DevServer> {
  const project = readProject(opts.dir, opts.name);
  const inspector: DevInspector | undefined = opts.inspect
    ? await (await import("./dev-inspect.js")).devInspector(project.name, project.entry, opts.inspect)
    : undefined;
  // Loaded here: the platform pulls in isolated-vm and the database drivers, which only `dev` needs.
  const [{ loadConfig }, { createPlatform }, { buildServer }, { bootstrap, DEFAULT_ACCOUNT }] =
    await Promise.all([
      import("../config.js"),
      import("../platform.js"),
      import("../server/server.js"),
      import("../bootstrap.js"),
    ]);
  const dataDir = await mkdtemp(path.join(tmpdir(), "runlet-dev-"));
  const key = `dev-${randomBytes(16).toString("hex")}`;
  const config = loadConfig(
    {},
    {
      dataDir,
      host: opts.host ?? "127.0.0.1",
      port: opts.port ?? 0,
      logLevel: "silent",
      example: false,
      adminKey: key,
    },
  );
  const platform = await createPlatform(
    config,
    undefined,
    inspector ? { startInstance: inspector.startInstance } : {},
  );
  const app = await buildServer(platform);
  const shutdown = async () => {
    await app.close();
    await platform.close();
    await inspector?.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  let endpoint: Awaited<ReturnType<DevInspector["listen"]>> | undefined;
  try {
    await app.listen({ host: config.host, port: config.port });
    endpoint = await inspector?.listen();
  } catch (err) {
    await shutdown();
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new CliError("RUNLET_ERR_CONFLICT", `port ${config.port} is in use`, {
        hint: "stop the other server or pick another port with --port",
      });
    }
    throw err;
  }
  const address = app.server.address();
  const url = `http://${config.host}:${typeof address === "object" && address ? address.port : config.port}`;
  await bootstrap(platform, url);
  const account = DEFAULT_ACCOUNT;
  if (opts.allow?.length) {
    const res = await fetch(`${url}/v1/accounts/${account}/allowlist`, {
      method: "PUT",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ domains: opts.allow }),
    });
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
      await shutdown();
      throw new CliError(
        body.error?.code ?? "RUNLET_ERR_BAD_REQUEST",
        `--allow: ${body.error?.message ?? res.statusText}`,
      );
    }
  }
  const fnPath = `/v1/accounts/${account}/functions/${project.name}`;

  let deploying: Promise<DevEvent> | undefined;
  let again = false;
  const deployOnce = async (): Promise<DevEvent> => {
    const started = performance.now();
    try {
      const current = readProject(opts.dir, opts.name);
      const bundle = await bundleFunction(current.entry, opts.dir);
      const res = await fetch(`${url}${fnPath}?deploy=true`, {
        method: "PUT",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        // Public in dev: the web URL answers without a key, as a browser or curl would call it.
        body: JSON.stringify({
          ...current.config,
          // Inspected: the one instance a debugger attaches to, kept warm between invocations.
          ...(inspector ? { minInstances: 1, maxInstances: 1 } : {}),
          public: true,
          source: bundle.code,
        }),
      });
      const body = (await res.json()) as { version?: number; error?: { code: string; message: string } };
      if (!res.ok)
        throw new CliError(body.error?.code ?? "RUNLET_ERR_PLATFORM", body.error?.message ?? res.statusText);
      return { kind: "deployed", version: body.version, ms: performance.now() - started };
    } catch (err) {
      return {
        kind: "failed",
        ms: performance.now() - started,
        message: err instanceof Error ? err.message : String(err),
      };
    }
  };
  const deploy = (): Promise<DevEvent> => {
    if (deploying) {
      again = true;
      return deploying;
    }
    deploying = (async () => {
      let event: DevEvent;
      do {
        again = false;
        event = await deployOnce();
        opts.onEvent?.(event);
      } while (again);
      deploying = undefined;
      return event;
    })();
    return deploying;
  };

  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  const first = await deploy();
  if (first.kind === "failed") {
    await shutdown();
    throw new CliError("RUNLET_ERR_COMPILE", first.message ?? "the first deploy failed");
  }
  // chokidar, not fs.watch: an editor's atomic save (write a temporary file, rename it over the old one)
  // and `sed -i` replace the file, which ends an fs.watch on it; chokidar watches the folders and re-arms.
  watcher = watch(opts.dir, {
    ignoreInitial: true,
    ignored: (file) => IGNORED.test(path.relative(opts.dir, file)),
  });
  watcher.on("all", () => {
    clearTimeout(timer);
    timer = setTimeout(() => void deploy(), opts.debounceMs ?? 25);
  });
  await new Promise<void>((resolve) => watcher?.once("ready", resolve));
  const onActivation = opts.onActivation;
  const forward = (activation: Activation) => {
    if (activation.function === project.name) onActivation?.(activation);
  };
  if (onActivation) platform.activations.on("activation", forward);

  return {
    url,
    name: project.name,
    account,
    key,
    webUrl: `${url}/fn/${account}/${project.name}/`,
    invokeUrl: `${url}${fnPath}/invoke`,
    ...(endpoint
      ? {
          inspector: {
            url: endpoint.url,
            webSocketUrl: endpoint.webSocketUrl,
            devtoolsUrl: endpoint.devtoolsUrl,
          },
        }
      : {}),
    deploy,
    async close() {
      clearTimeout(timer);
      platform.activations.off("activation", forward);
      await watcher?.close();
      watcher = undefined;
      await deploying;
      await shutdown();
    },
  };
}
