import { createServer, type Server } from "node:http";
import { gzipSync } from "node:zlib";

/**
 * The remote end for outbound tests, on 127.0.0.1 (which the real guard refuses; tests reach it through
 * the code-only `allowPrivate` hook). `/echo` answers what it received.
 */
export async function startRemote(): Promise<{ port: number; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const to = url.searchParams.get("to");
      switch (url.pathname) {
        case "/echo":
          res.setHeader("content-type", "application/json");
          res.setHeader("x-remote", "yes");
          res.end(
            JSON.stringify({
              method: req.method,
              host: req.headers.host,
              headers: req.headers,
              body: Buffer.concat(chunks).toString("utf8"),
            }),
          );
          return;
        case "/redirect":
          res.writeHead(Number(url.searchParams.get("status") ?? 302), { location: to ?? "/echo" });
          res.end();
          return;
        case "/loop":
          res.writeHead(302, { location: "/loop" });
          res.end();
          return;
        case "/big":
          res.end(Buffer.alloc(Number(url.searchParams.get("bytes")), 97));
          return;
        case "/gzip":
          res.writeHead(200, { "content-encoding": "gzip", "content-type": "text/plain" });
          res.end(gzipSync(Buffer.alloc(Number(url.searchParams.get("bytes")), 98)));
          return;
        case "/hang":
          return; // never answers
        default:
          res.writeHead(404);
          res.end("no such path");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
