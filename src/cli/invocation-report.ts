/**
 * What `runlet invoke --json` prints, from a server and with --local alike: the activation's outcome with
 * ISO 8601 times (the shape of GET …/activations/{id}, minus what only a server knows).
 */
export interface InvocationReport {
  activationId: string | null;
  function: string;
  status: string;
  startedAt: string | null;
  durationMs: number | null;
  coldStart: boolean;
  result: unknown;
  error: { code: string; message: string } | null;
  logs: { t: string; level: string; msg: string }[];
}

type Time = number | string | null | undefined;
const iso = (t: Time) =>
  t === null || t === undefined ? null : new Date(typeof t === "string" ? Date.parse(t) : t).toISOString();

export function invocationReport(a: {
  activationId?: string | null | undefined;
  function: string;
  status: string;
  startedAt?: Time;
  durationMs?: number | null | undefined;
  coldStart?: boolean | undefined;
  result?: unknown;
  error?: { code: string; message: string } | null | undefined;
  logs?: { t: Time; level: string; msg: string }[] | undefined;
}): InvocationReport {
  return {
    activationId: a.activationId ?? null,
    function: a.function,
    status: a.status,
    startedAt: iso(a.startedAt),
    durationMs: a.durationMs ?? null,
    coldStart: a.coldStart ?? false,
    result: a.status === "succeeded" ? (a.result ?? null) : null,
    error: a.error ?? null,
    logs: (a.logs ?? []).map((l) => ({ t: iso(l.t) ?? "", level: l.level, msg: l.msg })),
  };
}
