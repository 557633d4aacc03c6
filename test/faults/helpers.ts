import { startPlatform, type TestPlatform } from "../helpers/platform.js";
import { startRemote } from "../outbound/local-server.js";

/** A platform whose functions may fetch `api.test.example` (a local server that counts its requests). */
export interface WithDependency {
  t: TestPlatform;
  /** The dependency's echo URL, as a function fetches it. */
  url: string;
  /** Requests the dependency has received so far. */
  requests(): number;
  close(): Promise<void>;
}

export async function platformWithDependency(): Promise<WithDependency> {
  const remote = await startRemote();
  let requests = 0;
  remote.server.on("request", () => requests++);
  const t = await startPlatform({
    platform: {
      outbound: {
        allowPrivate: ["127.0.0.1"],
        resolve: async (host) => (host === "api.test.example" ? ["127.0.0.1"] : []),
      },
    },
  });
  await t.call("PUT", "/v1/accounts/default/allowlist", { domains: ["api.test.example"] });
  return {
    t,
    url: `http://api.test.example:${remote.port}/echo`,
    requests: () => requests,
    async close() {
      await t.close();
      await remote.close();
    },
  };
}
