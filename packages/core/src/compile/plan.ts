import type { ParamLocation, ValidationErrorItem } from "../errors.js";
import type { HttpRequest } from "../request.js";
import { assertNoErrors, compileLocationValidator, type LocationValidator } from "../validation/validator.js";
import type { GeneratedRunner } from "./codegen.js";
import type { RequestSchemas } from "./request-schema.js";
import { INPUT, type Step } from "./steps.js";

/**
 * A route's compiled plan: flat steps (the handler last) and how to read request inputs.
 *
 * @example
 * ```ts
 * const steps = route.plan.steps.length; // calls per request, the handler included
 * ```
 */
export interface Plan {
  readonly steps: readonly Step[];
  /** The per-request inputs array (path, query, header, cookie, body), validated where the adapter does not. */
  readonly inputs: (request: HttpRequest) => readonly unknown[] | undefined;
  /** Whether `inputs` validates (otherwise it only reads what the adapter parsed). */
  readonly validates: boolean;
  /** The generated straight-line runner, for plans without generator dependencies. */
  readonly runner: GeneratedRunner | undefined;
}

const LOCATIONS: readonly ParamLocation[] = ["path", "query", "header", "cookie", "body"];

function raw(request: HttpRequest): readonly unknown[] {
  return [request.params, request.query, request.headers, request.cookies, request.body];
}

const none = (): undefined => undefined;

/**
 * Builds the inputs reader: nothing when the route reads no request value, the adapter's parsed
 * values when it validates every location the route uses, otherwise a typebox validation of the
 * other locations that fails with a 422 listing every problem before any dependency runs.
 */
export function inputsReader(schemas: RequestSchemas, native: ReadonlySet<ParamLocation>): Pick<Plan, "inputs" | "validates"> {
  const validators: [number, ParamLocation, LocationValidator][] = [];
  let used = false;
  for (const location of LOCATIONS) {
    const schema = schemas[location];
    if (schema === undefined) continue;
    used = true;
    if (!native.has(location)) validators.push([INPUT[location], location, compileLocationValidator(location, schema, location === "body" && schemas.bodyKind === "form", location !== "body" || schemas.bodyRequired)]);
  }
  if (!used) return { inputs: none, validates: false };
  if (validators.length === 0) return { inputs: raw, validates: false };
  const inputs = (request: HttpRequest): readonly unknown[] => {
    const inputs = raw(request) as unknown[];
    const errors: ValidationErrorItem[] = [];
    for (const [index, , validate] of validators) inputs[index] = validate(inputs[index], errors);
    assertNoErrors(errors);
    return inputs;
  };
  return { inputs, validates: true };
}
