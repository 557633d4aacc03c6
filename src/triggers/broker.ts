/**
 * The little of a message broker that subject triggers use, so src/triggers/nats.ts depends on a shape,
 * not on the `nats` package (adapted in ./nats-connect.ts).
 */
export interface Broker {
  /** A queue-group subscription: each message goes to one member of the group, across nodes. */
  subscribe(subject: string, queue: string, handler: (message: BrokerMessage) => void): BrokerSubscription;
  /** Resolves once the server has processed everything sent so far (subscribes and unsubscribes). */
  flush(): Promise<void>;
  /** Lets in-flight handlers answer, then disconnects. */
  close(): Promise<void>;
}

export interface BrokerMessage {
  subject: string;
  data: Uint8Array;
  headers: [string, string][];
  /** Set for a request: the subject the answer goes to. */
  reply: string | undefined;
  respond(data: Uint8Array): void;
}

export interface BrokerSubscription {
  unsubscribe(): void;
}
