// `runlet dev --inspect`: the function's instances run in child processes whose isolates a debugger can
// attach to (runtime/inspector/), behind the DevTools endpoint of devtools-endpoint.ts.
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { RemoteInstance } from "../runtime/inspector/remote-instance.js";
import type { InstanceStarter } from "../scheduler/scheduler.js";
import { CliError } from "./cli-error.js";
import { startDevtoolsEndpoint, type DevtoolsEndpoint } from "./devtools-endpoint.js";

export interface InspectOptions {
  host?: string;
  /** Default 9229, as node --inspect; 0 picks a free port. */
  port?: number;
}

export interface DevInspector {
  /** Given to the platform: every instance of the function starts in a child process. */
  startInstance: InstanceStarter;
  listen(): Promise<DevtoolsEndpoint>;
  /** Once the platform is closed (its instances disposed): waits for every child process to end. */
  close(): Promise<void>;
}

/**
 * The version's source map with `sourceRoot` at the entry's folder: DevTools shows the author's files by
 * their paths, and VS Code binds breakpoints set in those files.
 */
function rooted(sourceMap: string | undefined, entry: string): string | undefined {
  if (sourceMap === undefined) return undefined;
  const map = JSON.parse(sourceMap) as Record<string, unknown>;
  return JSON.stringify({ ...map, sourceRoot: `${pathToFileURL(path.dirname(entry)).href}/` });
}

export async function devInspector(
  name: string,
  entry: string,
  options: InspectOptions,
): Promise<DevInspector> {
  const { RemoteInstance } = await import("../runtime/inspector/remote-instance.js");
  const started = new Set<RemoteInstance>();
  let latest: RemoteInstance | undefined;
  let endpoint: DevtoolsEndpoint | undefined;
  return {
    async startInstance(instanceOptions, version) {
      const remote = await RemoteInstance.start(instanceOptions, rooted(version.sourceMap, entry));
      started.add(remote);
      void remote.exited.then(() => started.delete(remote));
      latest = remote;
      return remote;
    },
    async listen() {
      const port = options.port ?? 9229;
      try {
        endpoint = await startDevtoolsEndpoint({
          host: options.host ?? "127.0.0.1",
          port,
          title: name,
          fileUrl: pathToFileURL(entry).href,
          target: () => (latest?.alive ? latest : undefined),
        });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
        throw new CliError("RUNLET_ERR_CONFLICT", `the inspector port ${port} is in use`, {
          hint: `stop the other debuggee or pick another port: runlet dev --inspect ${port + 1}`,
        });
      }
      return endpoint;
    },
    async close() {
      await endpoint?.close();
      for (const remote of started) remote.dispose();
      await Promise.all([...started].map((remote) => remote.exited));
    },
  };
}
