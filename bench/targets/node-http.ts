// The baseline: the trivial function behind a bare node:http server, in its own process.
//   node --import tsx bench/targets/node-http.ts <port> [delayMs]
// Like any function host it reads and parses the request's JSON body, calls the function with it and
// serialises what it returns.
import http from "node:http";

const port = Number(process.argv[2]);
const delayMs = Number(process.argv[3] ?? 0);
const handler = async (_payload: unknown): Promise<unknown> => {
  // The burst benchmark's function waits this long (async work, like a call to a database).
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  return { hello: "world" };
};

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const text = chunks.length === 0 ? "" : Buffer.concat(chunks).toString();
    handler(text === "" ? null : JSON.parse(text)).then(
      (result) => {
        const body = JSON.stringify(result);
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
        res.end(body);
      },
      () => {
        res.writeHead(500).end();
      },
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
