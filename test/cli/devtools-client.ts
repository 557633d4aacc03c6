// A DevTools-protocol client over the `ws` package, for the `runlet dev --inspect` tests: commands by id,
// waits for events by name. Every wait ends: a message that never comes fails the test, never hangs it.
import WebSocket from "ws";

export const WAIT_MS = 20_000;

/** `promise`, or a failure naming `what` once WAIT_MS pass. */
export async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${WAIT_MS} ms`)), WAIT_MS);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

export interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
}

export interface DevtoolsClient {
  /** The next (or an already received) event `method` that `match` accepts. */
  event(method: string, match?: (m: Message) => boolean): Promise<Message>;
  command(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Settles with the close code when the endpoint closes the connection. */
  closed: Promise<number>;
  close(): void;
}

export async function connect(url: string): Promise<DevtoolsClient> {
  const ws = new WebSocket(url);
  const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
  await within(
    new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    }),
    "the WebSocket did not open",
  );
  let next = 0;
  const seen: Message[] = [];
  const waiters: { match(m: Message): boolean; resolve(m: Message): void }[] = [];
  ws.on("message", (data) => {
    const message = JSON.parse(String(data)) as Message;
    seen.push(message);
    for (const waiter of waiters.splice(0)) {
      if (waiter.match(message)) waiter.resolve(message);
      else waiters.push(waiter);
    }
  });
  const wait = (what: string, match: (m: Message) => boolean) => {
    const found = seen.find(match);
    if (found) return Promise.resolve(found);
    return within(new Promise<Message>((resolve) => waiters.push({ match, resolve })), `no ${what}`);
  };
  return {
    event: (method, match = () => true) => wait(method, (m) => m.method === method && match(m)),
    command: async (method, params = {}) => {
      const id = ++next;
      ws.send(JSON.stringify({ id, method, params }));
      return (await wait(`answer to ${method}`, (m) => m.id === id)).result ?? {};
    },
    closed,
    close: () => ws.close(),
  };
}
