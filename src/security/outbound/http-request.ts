import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import type { Readable } from "node:stream";
import type { PinnedAddress } from "./address-guard.js";

export interface WireRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Buffer | null;
  signal: AbortSignal;
}

/**
 * Sends one request to the pinned address (never resolving the name again, so DNS cannot rebind it)
 * while the Host header and TLS SNI stay the URL's host name. No connection pooling: every connection is
 * made to an address this request's own check approved.
 */
export function sendPinned(
  request: WireRequest,
  pinned: PinnedAddress,
  tls: { ca?: string } = {},
): Promise<IncomingMessage> {
  const { url } = request;
  const lookupPinned = ((
    _host: string,
    options: { all?: boolean },
    callback: (...args: unknown[]) => void,
  ) => {
    if (options.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  }) as unknown as LookupFunction;
  const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request({
      protocol: url.protocol,
      hostname,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: request.method,
      headers: request.headers,
      lookup: lookupPinned,
      agent: false,
      signal: request.signal,
      ...(url.protocol === "https:" ? { servername: hostname, ...(tls.ca ? { ca: tls.ca } : {}) } : {}),
    });
    req.once("response", resolve);
    req.once("error", reject);
    req.end(request.body ?? undefined);
  });
}

export class BodyTooLarge extends Error {
  override name = "BodyTooLarge";
}

/** Reads a response body, decompressed as fetch would, refusing more than `limit` bytes (after decompression). */
export async function readBody(
  res: IncomingMessage,
  limit: number,
): Promise<{ body: Buffer; decoded: boolean }> {
  const encoding = String(res.headers["content-encoding"] ?? "")
    .trim()
    .toLowerCase();
  let stream: Readable = res;
  let decoded = true;
  if (encoding === "gzip" || encoding === "x-gzip") stream = res.pipe(createGunzip());
  else if (encoding === "deflate") stream = res.pipe(createInflate());
  else if (encoding === "br") stream = res.pipe(createBrotliDecompress());
  else decoded = false;
  if (stream !== res) res.once("error", (err) => stream.destroy(err));
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > limit) throw new BodyTooLarge(`the response body is over ${limit} bytes`);
      chunks.push(chunk as Buffer);
    }
  } finally {
    res.destroy();
  }
  return { body: Buffer.concat(chunks), decoded };
}
