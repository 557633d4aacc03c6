// One debugger session on the inspector child's isolate, with a workaround for a lost wakeup in isolated-vm
// (6.2.0, inspector.cc): a paused isolate waits in `runMessageLoopOnPause` on a condition variable, which a
// dispatched message signals only if the loop is waiting at that moment. A message that arrives just
// before the loop starts waiting (right after `Debugger.paused` went out), or while it is handling the one
// before, is queued and never handled: the debugger's next command gets no answer, ever (seen under load as
// `Debugger.evaluateOnCallFrame` hanging). Every dispatch signals the loop, which then handles everything
// queued; so while a command is unanswered the relay dispatches a harmless one of its own now and then, and
// drops its answers.
import type ivm from "isolated-vm-types";

/** How long a command may go unanswered before the relay wakes the isolate's pause loop. */
export const NUDGE_MS = 100;
/** The relay's own commands: ids no client uses (DevTools counts up from 1). */
const NUDGE_ID = -1;
const NUDGE = JSON.stringify({ id: NUDGE_ID, method: "Runtime.getIsolateId" });

export class SessionRelay {
  readonly #session: ivm.InspectorSession;
  /** The client's commands sent and not yet answered. */
  readonly #unanswered = new Set<number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(isolate: ivm.Isolate, send: (message: string) => void) {
    this.#session = isolate.createInspectorSession();
    this.#session.onResponse = (callId, message) => {
      if (callId === NUDGE_ID) return;
      this.#unanswered.delete(callId);
      if (this.#unanswered.size === 0) this.stopNudging();
      send(message);
    };
    this.#session.onNotification = (message) => send(message);
  }

  dispatch(message: string): void {
    const id = idOf(message);
    if (id !== undefined && id !== NUDGE_ID) {
      this.#unanswered.add(id);
      this.#timer ??= setInterval(() => this.#session.dispatchProtocolMessage(NUDGE), NUDGE_MS);
    }
    this.#session.dispatchProtocolMessage(message);
  }

  dispose(): void {
    this.stopNudging();
    this.#session.dispose();
  }

  private stopNudging(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** The id of a protocol command (the parent relays the developer's own DevTools client: bad JSON is theirs). */
function idOf(message: string): number | undefined {
  try {
    const { id } = JSON.parse(message) as { id?: unknown };
    return Number.isInteger(id) ? (id as number) : undefined;
  } catch {
    return undefined;
  }
}
