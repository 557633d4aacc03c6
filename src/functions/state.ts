import type { FunctionRecord, FunctionState } from "../model/function.js";

/** DESIGN §4: the state is derived from what is deployed, never stored. */
export function stateOf(fn: FunctionRecord): FunctionState {
  if (fn.deployedVersion === null) return fn.everDeployed ? "undeployed" : "draft";
  return fn.deployedVersion === fn.latestVersion ? "deployed" : "modified";
}
