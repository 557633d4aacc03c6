// `import { Toolbelt } from "runlet/toolbelt"`, also resolvable as `lp-faas-toolbelt` (the name hosted
// lambdas require): the hosted platform's in-function helpers, backed by Runlet's own services. Bundled
// into the function at compile time (src/compat/toolbelt-plugin.ts); it runs inside the isolate.
import { ContextServiceClient } from "./context-service-client.js";
import { request } from "./http-client.js";
import { OrchestratorClient } from "./orchestrator-client.js";
import { SecretClient } from "./secret-client.js";

export { ErrorCodes, SecretError, type SecretEntry } from "./secret-client.js";
export { SDKError, type Entity, type Namespace, type NamespaceOptions } from "./context-service-client.js";
export {
  ErrorStrategy,
  OrchestratorError,
  type Invocation,
  type InvocationResult,
} from "./orchestrator-client.js";
export { ConversationContentTypes, LpServices, SDETypes } from "./vendor-constants.js";
export { StatusCodeError, type RequestOptions, type FullResponse } from "./http-client.js";

/** The helpers that reach the vendor's own chat platform, which Runlet does not host (README, "Toolbelt"). */
function vendorOnly(name: string): never {
  throw new Error(
    `Toolbelt.${name}() reaches LivePerson's own platform services, which Runlet does not host; call that platform's HTTP API with Toolbelt.HTTPClient() or fetch (allowlist its domain)`,
  );
}

export class Toolbelt {
  static SecretClient(): SecretClient {
    return new SecretClient();
  }
  /** The key and account are accepted and unused: the store is the invoking account's ctx.kv. */
  static ContextServiceClient(_config?: { apiKey?: string; accountId?: string }): ContextServiceClient {
    return new ContextServiceClient();
  }
  static OrchestratorClient(): OrchestratorClient {
    return new OrchestratorClient();
  }
  static HTTPClient(): typeof request {
    return request;
  }
  static LpClient(): never {
    return vendorOnly("LpClient");
  }
  static ConversationUtil(): never {
    return vendorOnly("ConversationUtil");
  }
  static GDPRUtil(): never {
    return vendorOnly("GDPRUtil");
  }
  static SDEUtil(): never {
    return vendorOnly("SDEUtil");
  }
  static SFClient(): never {
    return vendorOnly("SFClient");
  }
  static MTLSClient(): never {
    return vendorOnly("MTLSClient");
  }
  static CsdsClient(): never {
    return vendorOnly("CsdsClient");
  }
}
