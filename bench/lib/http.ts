// Small HTTP helpers on node:http (not fetch: undici loads lazily, which would skew the first timings).
import http from "node:http";
import net from "node:net";
import type { Child } from "./children.js";

export const HOST = "127.0.0.1";

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("could not get a free port"));
      });
    });
  });
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 8 });

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Use a fresh connection instead of the keep-alive pool (for polling a server that is starting). */
  fresh?: boolean;
  timeoutMs?: number;
}

export function request(url: string, options: RequestOptions = {}): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers["content-length"] = String(Buffer.byteLength(options.body));
    const req = http.request(
      url,
      { method: options.method ?? "GET", headers, agent: options.fresh ? false : keepAlive },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.setTimeout(options.timeoutMs ?? 30_000, () => req.destroy(new Error(`timeout: ${url}`)));
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Closes the pooled keep-alive connections (so the process can exit and servers can stop promptly). */
export function closeConnections(): void {
  keepAlive.destroy();
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Fail at once if this process exits while we wait. */
  child?: Child;
}

/** Polls `url` with GET until it answers 200; resolves with performance.now() at that answer. */
export async function waitFor200(url: string, options: WaitOptions = {}): Promise<number> {
  const deadline = performance.now() + (options.timeoutMs ?? 20_000);
  let last = "no answer yet";
  for (;;) {
    if (options.child?.hasExited()) {
      throw new Error(
        `${options.child.name} exited (${String(await options.child.exited)}) before ${url} answered 200\n` +
          options.child.outputTail(),
      );
    }
    try {
      const res = await request(url, { fresh: true, timeoutMs: 2000 });
      if (res.status === 200) return performance.now();
      last = `HTTP ${res.status} ${res.body.slice(0, 200)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    if (performance.now() > deadline) {
      const tail = options.child ? `\n${options.child.outputTail()}` : "";
      throw new Error(`${url} did not answer 200 in time (last: ${last})${tail}`);
    }
    await sleep(options.intervalMs ?? 20);
  }
}
