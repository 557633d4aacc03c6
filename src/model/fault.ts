/**
 * One rule of a fault profile. `fetch:<host>` (or `fetch:*`) fails, answers with a status, or delays the
 * function's outbound requests to that host; `invoke:<function>` (or `invoke:*`) makes ctx.invoke of it
 * time out or fail; `kv` makes every ctx.kv call fail as unavailable. `rate` is the share of matching
 * calls that fault (1: every one).
 */
export type FaultRule =
  | { target: `fetch:${string}`; kind: "error"; rate: number }
  | { target: `fetch:${string}`; kind: "status"; status: number; rate: number }
  | { target: `fetch:${string}`; kind: "delay"; delayMs: number; rate: number }
  | { target: `invoke:${string}`; kind: "timeout" | "error"; rate: number }
  | { target: "kv"; kind: "unavailable"; rate: number };

/** A named set of rules (PUT …/faults/{profile}); an invocation opts in with `X-Runlet-Faults: <name>`. */
export interface FaultProfile {
  account: string;
  name: string;
  rules: FaultRule[];
  updatedAt: number;
}

/** What an invocation carries of its profile (frozen when it is accepted, queued with it). */
export interface FaultPlan {
  profile: string;
  rules: FaultRule[];
}
