// The synchronous host binding (a CSPRNG seed, loading a library), captured once by the prelude.
let sync: RunletHostBindings["sync"] | undefined;

export function installSyncBridge(host: Pick<RunletHostBindings, "sync">): void {
  sync = host.sync;
}

export function hostSync(op: string, a?: unknown, b?: unknown, c?: unknown): unknown {
  if (!sync) throw new Error("the host bridge is not installed");
  return sync(op, a, b, c);
}
