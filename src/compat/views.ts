import { stateOf } from "../functions/state.js";
import type { FunctionRecord, FunctionState, VersionRecord } from "../model/function.js";
import { hostedEvent, NO_EVENT } from "./events/hosted-events.js";

/** The hosted platform's names for Runlet's function states. */
const HOSTED_STATE: Record<FunctionState, string> = {
  draft: "Draft",
  deployed: "Productive",
  modified: "Modified",
  undeployed: "Undeployed",
};

export interface ListFilter {
  eventId?: string | undefined;
  state?: string | string[] | undefined;
  functionName?: string | undefined;
}

function eventTypes(version: VersionRecord | undefined): string[] {
  return (version?.config.events ?? []).map((e) => (typeof e === "string" ? e : e.type));
}

/** The event a function shows as its `eventId`: its first hosted-platform event, else its first event. */
function eventIdOf(version: VersionRecord | undefined): string {
  const types = eventTypes(version);
  return types.find((t) => hostedEvent(t)) ?? types[0] ?? NO_EVENT;
}

export function matches(fn: FunctionRecord, version: VersionRecord | undefined, filter: ListFilter): boolean {
  const states = [filter.state ?? []].flat().filter((s) => s !== "");
  if (states.length > 0 && !states.includes(HOSTED_STATE[stateOf(fn)])) return false;
  if (filter.functionName && filter.functionName !== fn.name) return false;
  if (!filter.eventId) return true;
  return filter.eventId === NO_EVENT
    ? eventTypes(version).length === 0
    : eventTypes(version).includes(filter.eventId);
}

const iso = (ms: number) => new Date(ms).toISOString();

/** One entry of `GET …/lambdas/` (V1), in the fields the hosted client and CLI read (its ILambda). */
export function lambdaView(fn: FunctionRecord, version: VersionRecord | undefined) {
  const env = version?.config.env ?? {};
  return {
    uuid: fn.uuid,
    version: fn.deployedVersion ?? fn.latestVersion,
    name: fn.name,
    description: "",
    eventId: eventIdOf(version),
    samplePayload: {},
    state: HOSTED_STATE[stateOf(fn)],
    runtime: { uuid: "runlet-isolate", name: "Runlet (V8 isolate)", baseImageName: "runlet" },
    createdAt: iso(fn.createdAt),
    updatedAt: iso(fn.updatedAt),
    createdBy: "",
    updatedBy: "",
    lastDeployment:
      fn.deployedVersion === null
        ? {}
        : { lambdaUUID: fn.uuid, lambdaVersion: fn.deployedVersion, deploymentState: "Productive" },
    implementation: {
      code: version?.source ?? "",
      dependencies: [],
      environmentVariables: Object.entries(env).map(([key, value]) => ({ key, value })),
    },
  };
}

/** One entry of `GET …/functions` (V2). */
export function functionView(fn: FunctionRecord, version: VersionRecord | undefined) {
  return {
    uuid: fn.uuid,
    name: fn.name,
    description: "",
    eventId: eventIdOf(version),
    state: HOSTED_STATE[stateOf(fn)],
    version: fn.deployedVersion ?? fn.latestVersion,
    deployedVersion: fn.deployedVersion,
    createdAt: iso(fn.createdAt),
    updatedAt: iso(fn.updatedAt),
  };
}
