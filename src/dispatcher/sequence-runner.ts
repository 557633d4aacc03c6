import type { ActivationStep } from "../model/activation.js";
import type { VersionRecord } from "../model/function.js";
import type { Outcome } from "../outcomes.js";
import type { InvocationTrace, InvokeResult } from "../model/invocation.js";
import { callerSpanId, childTraceparent } from "../telemetry/traceparent.js";
import { answerValue } from "./answer-value.js";
import type { SequenceStep } from "../model/invocation.js";

/**
 * Runs a sequence function's steps in order through the dispatcher, each with the previous step's result
 * as its payload, all within the sequence's own deadline. The first failing step ends the sequence with
 * that step's status and code; steps are billed on their own activations, the sequence itself is not.
 */
export async function runSequence(
  invoke: (step: SequenceStep) => Promise<InvokeResult>,
  target: { account: string; function: string; payload: unknown },
  version: VersionRecord,
  run: { id: string; trace: InvocationTrace; deadline: number; maxDepth: number },
): Promise<Outcome> {
  const names = version.config.sequence ?? [];
  const depth = run.trace.depth + 1;
  if (depth > run.maxDepth) {
    return {
      status: "rejected",
      code: "RUNLET_ERR_INVOKE_DEPTH",
      message: `${target.function} would be invocation ${depth} in one chain, over the limit of ${run.maxDepth}; a sequence or ctx.invoke loop?`,
      steps: [],
    };
  }
  const steps: ActivationStep[] = [];
  let payload: unknown = target.payload ?? null;
  for (const [index, name] of names.entries()) {
    const remaining = run.deadline - Date.now();
    const where = `step ${index + 1} of ${names.length} (${name})`;
    if (remaining <= 0) {
      return {
        status: "timeout",
        code: "RUNLET_ERR_TIMEOUT",
        message: `${target.function} ran past its timeoutMs before ${where}; raise the sequence's timeoutMs`,
        steps,
      };
    }
    const result = await invoke({
      kind: "step",
      account: target.account,
      function: name,
      payload,
      timeoutMs: remaining,
      trace: {
        depth,
        traceparent: childTraceparent(run.trace.traceparent, run.id),
        parentSpanId: callerSpanId(run.trace.traceparent, run.id),
        parentId: run.id,
        chain: run.trace.chain ?? run.id,
      },
    });
    const { outcome, activation } = result;
    if (activation) {
      steps.push({
        function: name,
        activationId: activation.id,
        status: activation.status,
        durationMs: activation.durationMs,
      });
    }
    if (outcome.status !== "succeeded") {
      const how = activation ? `ended ${outcome.status}` : "failed";
      return {
        status: outcome.status,
        code: outcome.code,
        message: `${where} ${how}: ${outcome.message}`,
        steps,
      };
    }
    payload = answerValue(result);
  }
  return { status: "succeeded", answer: { kind: "json", body: JSON.stringify(payload ?? null) }, steps };
}
