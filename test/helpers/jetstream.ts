import { randomBytes } from "node:crypto";
import { connect } from "nats";

/** The NATS server the tests use (CI starts it: unreachable fails the tests, never skips them). */
export const NATS_URL = process.env.RUNLET_TEST_NATS_URL ?? "nats://127.0.0.1:4222";

/** A JetStream prefix of its own, so runs never see each other's jobs; drop() deletes what it made. */
export function freshJetStream(): { prefix: string; drop(): Promise<void> } {
  const prefix = `T${randomBytes(5).toString("hex")}`;
  return {
    prefix,
    async drop() {
      const nc = await connect({ servers: NATS_URL });
      try {
        const jsm = await nc.jetstreamManager();
        const upper = prefix.toUpperCase();
        for (const name of [`${upper}_JOBS`, `${upper}_DLQ`, `KV_${upper}_IDEMPOTENCY`])
          await jsm.streams.delete(name).catch(() => false);
      } finally {
        await nc.close();
      }
    },
  };
}
