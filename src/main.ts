import { bootstrap } from "./bootstrap.js";
import { ConfigError, loadConfig } from "./config.js";
import { createPlatform } from "./platform.js";
import { buildServer } from "./server/server.js";

/** `npm start`: the platform on the embedded default (SQLite under ./.runlet), ready in well under 2 s. */
async function main(): Promise<void> {
  const started = performance.now();
  const config = loadConfig();
  const platform = await createPlatform(config);
  const app = await buildServer(platform);
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  const { created } = await bootstrap(platform, url);

  const lines = [`runlet: listening on ${url} (data in ${config.dataDir}, ${platform.store.dialect})`];
  if (created) {
    lines.push(
      `runlet: created account "${created.account}" with admin key ${created.key}`,
      `runlet: saved to ${created.credentialsFile} (the CLI reads it)`,
    );
    if (config.example)
      lines.push(`runlet: deployed "example": npx runlet invoke example --data '{"name":"Ada"}'`);
  }
  lines.push(`runlet: ready in ${Math.round(performance.now() - started)} ms`);
  process.stdout.write(lines.join("\n") + "\n");

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    process.stdout.write(`runlet: ${signal}, shutting down\n`);
    await app.close();
    await platform.close();
    const lost = platform.scheduler.lostIsolates;
    if (lost > 0) {
      // Their threads never end and would keep a normal exit waiting forever (see runtime/instance.ts).
      process.stdout.write(
        `runlet: ${lost} isolate(s) were lost to a fatal out-of-memory; everything is saved, exiting hard\n`,
      );
      process.kill(process.pid, "SIGKILL");
    }
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`runlet: ${err.message}\n`);
  else if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") {
    process.stderr.write(`runlet: the port is in use; stop the other server or set RUNLET_PORT\n`);
  } else
    process.stderr.write(
      `runlet: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
  process.exit(1);
});
