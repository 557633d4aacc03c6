import type { ErrorCode } from "../errors.js";
import { answerValue } from "../dispatcher/answer-value.js";
import type { InvokeRequest, InvokeResult } from "../dispatcher/dispatcher.js";
import type { FinalStatus } from "../outcomes.js";
import type { Answer } from "../runtime/instance.js";
import type { ActivationStep, VersionRecord } from "../store/records.js";
import { childTraceparent } from "../telemetry/traceparent.js";

export interface SequenceOutcome {
  status: FinalStatus;
  code?: ErrorCode;
  message?: string;
  answer?: Answer;
  steps: ActivationStep[];
}

/**
 * Runs a sequence function's steps in order through the dispatcher, each with the previous step's result
 * as its payload, all within the sequence's own deadline. The first failing step ends the sequence with
 * that step's status and code; steps are billed on their own activations, the sequence itself is not.
 */
export async function runSequence(
  invoke: (req: InvokeRequest) => Promise<InvokeResult>,
  req: InvokeRequest,
  version: VersionRecord,
  run: { id: string; deadline: number; maxDepth: number },
): Promise<SequenceOutcome> {
  const names = version.config.sequence ?? [];
  const depth = (req.trace?.depth ?? 0) + 1;
  if (depth > run.maxDepth) {
    return {
      status: "rejected",
      code: "RUNLET_ERR_INVOKE_DEPTH",
      message: `${req.function} would be invocation ${depth} in one chain, over the limit of ${run.maxDepth}; a sequence or ctx.invoke loop?`,
      steps: [],
    };
  }
  const steps: ActivationStep[] = [];
  let payload: unknown = req.payload ?? null;
  for (const [index, name] of names.entries()) {
    const remaining = run.deadline - Date.now();
    const where = `step ${index + 1} of ${names.length} (${name})`;
    if (remaining <= 0) {
      return {
        status: "timeout",
        code: "RUNLET_ERR_TIMEOUT",
        message: `${req.function} ran past its timeoutMs before ${where}; raise the sequence's timeoutMs`,
        steps,
      };
    }
    let result: InvokeResult;
    try {
      result = await invoke({
        account: req.account,
        function: name,
        trigger: "function",
        payload,
        timeoutMs: remaining,
        trace: { depth, traceparent: childTraceparent(req.trace?.traceparent, run.id), parentId: run.id },
      });
    } catch (err) {
      // The step's function was deleted after the sequence was deployed.
      return {
        status: "function_error",
        code: "RUNLET_ERR_FUNCTION_NOT_FOUND",
        message: `${where} failed: ${(err as Error).message}`,
        steps,
      };
    }
    const { activation } = result;
    steps.push({
      function: name,
      activationId: activation.id,
      status: activation.status,
      durationMs: activation.durationMs,
    });
    if (activation.status !== "succeeded") {
      return {
        status: activation.status as FinalStatus,
        code: result.error?.code ?? "RUNLET_ERR_FUNCTION_ERROR",
        message: `${where} ended ${activation.status}: ${activation.error?.message ?? ""}`,
        steps,
      };
    }
    payload = answerValue(result);
  }
  return { status: "succeeded", answer: { kind: "json", body: JSON.stringify(payload ?? null) }, steps };
}
