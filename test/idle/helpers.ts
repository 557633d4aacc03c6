import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export const DAY_MS = 86_400_000;

/** A clock tests move on by hand (the platform's `now` option): days pass without waiting for them. */
export function movableClock() {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance: (ms: number) => void (offset += ms),
  };
}

/** A real webhook receiver that keeps what it got and answers 200. */
export async function webhookReceiver() {
  const received: { headers: IncomingHttpHeaders; text: string }[] = [];
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString()));
    req.on("end", () => {
      received.push({ headers: req.headers, text });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/idle`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** What a receiver does to trust a webhook: recompute X-Runlet-Signature with the policy's secret. */
export function signatureOf(secretHex: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", Buffer.from(secretHex, "hex")).update(`${timestamp}.${body}`).digest("hex")}`;
}
