// `runlet dev --inspect`: the DevTools-protocol endpoint of the function's isolate, as `node --inspect`
// offers one: /json/list and /json/version (how chrome://inspect and VS Code find a target) and a WebSocket
// per debugger, relayed to the inspector session of the instance that serves the function now.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import { isIP } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";

/** The instance a debugger attaches to (runtime/inspector/remote-instance.ts). */
export interface DebugTarget {
  openSession(
    onMessage: (message: string) => void,
    onClose: () => void,
  ): { send(message: string): void; close(): void };
}

export interface DevtoolsEndpoint {
  /** http://host:port: the discovery endpoints (/json/list, /json/version). */
  url: string;
  /** The target's DevTools-protocol WebSocket. */
  webSocketUrl: string;
  /** Opens Chrome DevTools on the target (paste it into Chrome's address bar). */
  devtoolsUrl: string;
  close(): Promise<void>;
}

/**
 * Only requests naming this machine by an IP address or `localhost` are answered, as node --inspect does:
 * a web page that rebinds its own host name to 127.0.0.1 must not reach the debugger.
 */
function trustedHost(req: IncomingMessage): boolean {
  const host = (req.headers.host ?? "").replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
  return host === "localhost" || isIP(host) !== 0;
}

export async function startDevtoolsEndpoint(opts: {
  host: string;
  port: number;
  /** The function's name, as chrome://inspect lists the target. */
  title: string;
  /** The function's entry file (a file: URL). */
  fileUrl: string;
  /** The instance serving the function now, if one runs. */
  target: () => DebugTarget | undefined;
}): Promise<DevtoolsEndpoint> {
  const id = randomUUID();
  let address = "";
  const describe = () => {
    const ws = `${address}/${id}`;
    return {
      description: `runlet function ${opts.title}`,
      devtoolsFrontendUrl: `devtools://devtools/bundled/js_app.html?experiments=true&v8only=true&ws=${ws}`,
      devtoolsFrontendUrlCompat: `devtools://devtools/bundled/inspector.html?experiments=true&v8only=true&ws=${ws}`,
      id,
      title: opts.title,
      type: "node",
      url: opts.fileUrl,
      webSocketDebuggerUrl: `ws://${ws}`,
    };
  };
  const http = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json; charset=UTF-8" });
      res.end(JSON.stringify(body, null, 2));
    };
    if (!trustedHost(req)) return json(403, { error: "the Host header must be an IP address or localhost" });
    if (path === "/json" || path === "/json/list") return json(200, [describe()]);
    if (path === "/json/version") return json(200, { Browser: "runlet", "Protocol-Version": "1.3" });
    json(404, { error: "not found: the endpoints are /json/list, /json/version and the target's WebSocket" });
  });
  const sockets = new WebSocketServer({ noServer: true });
  const refuse = (socket: Duplex, status: string) => {
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\n\r\n`);
  };
  http.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!trustedHost(req)) return refuse(socket, "403 Forbidden");
    if (req.url !== `/${id}`) return refuse(socket, "404 Not Found");
    const target = opts.target();
    if (!target) return refuse(socket, "503 Service Unavailable");
    sockets.handleUpgrade(req, socket, head, (ws) => {
      // The session ends with the instance (a redeploy replaces it): the debugger reconnects to the new one.
      const session = target.openSession(
        (message) => ws.send(message),
        () => ws.close(1001, "the instance ended (redeployed or stopped)"),
      );
      ws.on("message", (data) => session.send(String(data)));
      ws.on("close", () => session.close());
      ws.on("error", () => ws.terminate());
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(opts.port, opts.host, () => resolve());
  });
  const bound = http.address();
  const port = typeof bound === "object" && bound ? bound.port : opts.port;
  address = `${opts.host.includes(":") ? `[${opts.host}]` : opts.host}:${port}`;
  const { webSocketDebuggerUrl, devtoolsFrontendUrl } = describe();
  return {
    url: `http://${address}`,
    webSocketUrl: webSocketDebuggerUrl,
    devtoolsUrl: devtoolsFrontendUrl,
    async close() {
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closed;
    },
  };
}
