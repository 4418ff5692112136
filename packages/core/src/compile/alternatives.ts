import type { AlternativeFailure, AlternativesSpec } from "../dependency.js";
import { HTTPException } from "../errors.js";
import type { HttpRequest } from "../request.js";
import { runSteps } from "../run/execute.js";
import { RequestScope } from "../run/teardown.js";
import { isAwaited } from "./codegen.js";
import type { Step } from "./steps.js";

/** One compiled alternative of `anyOf`: its steps, the last one giving the alternative's value. */
export interface SubPlan {
  readonly via: string;
  readonly steps: readonly Step[];
}

interface AlternativesValues {
  readonly request: HttpRequest;
  readonly scope: RequestScope;
  readonly inputs: readonly unknown[] | undefined;
}

/** A successful alternative's request-scoped teardowns join the route's; its value is tagged. */
function adopt(own: RequestScope, route: RequestScope, via: string, value: unknown): { via: string; value: unknown } {
  if (own.stack !== undefined && own.stack.length > 0) (route.stack ??= []).push(...own.stack);
  return { via, value };
}

/**
 * The run-time side of `anyOf`: tries each sub-plan in order on the route's validated inputs, each
 * in a scope of its own (so a failed alternative's teardowns run before the next one is tried),
 * until one succeeds. An `HTTPException` is a failed alternative; any other error propagates.
 */
export function alternativesCall(subPlans: readonly SubPlan[], spec: AlternativesSpec): (values: Record<string, unknown>) => unknown {
  return (values) => {
    const { request, scope, inputs } = values as unknown as AlternativesValues;
    const failures: AlternativeFailure[] = [];
    const attempt = (index: number): unknown => {
      for (let i = index; i < subPlans.length; i++) {
        const { via, steps } = subPlans[i] as SubPlan;
        const own = new RequestScope();
        let result: unknown;
        try {
          result = runSteps(steps, request, inputs, own);
        } catch (error) {
          if (!(error instanceof HTTPException)) throw error;
          failures.push({ via, error });
          continue;
        }
        if (!isAwaited(result, request)) return adopt(own, scope, via, result);
        return Promise.resolve(result).then(
          (value) => adopt(own, scope, via, value),
          (error: unknown) => {
            if (!(error instanceof HTTPException)) throw error;
            failures.push({ via, error });
            return attempt(i + 1);
          },
        );
      }
      throw spec.onFailure(failures);
    };
    return attempt(0);
  };
}
